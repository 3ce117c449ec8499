# Production image: gunicorn serving the app, static files through WhiteNoise (compressed, hashed).
FROM python:3.13-slim
# pg_dump and pg_restore for `manage.py backup` and restores; gettext is not needed at run time
# (the compiled catalogue is in the repository).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 dialogue

# The runtime dependencies exactly as locked (hashes checked), then the project without them.
COPY requirements/base.txt ./requirements/
RUN pip install --require-hashes -r requirements/base.txt

COPY pyproject.toml README.md ./
COPY dialogue ./dialogue
COPY rounds ./rounds
COPY stakeholders ./stakeholders
COPY followup ./followup
COPY api ./api
COPY core ./core
COPY dashboard ./dashboard
COPY search ./search
COPY exchange ./exchange
COPY demo ./demo
RUN pip install --no-deps .

# The rest of what runs (manage.py, gunicorn.conf.py, templates, static, locale, data);
# .dockerignore keeps out the tests, the benchmark, the scripts, the docs and local state.
COPY . .
# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/materials && chown -R dialogue /app/var

USER dialogue
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "dialogue.wsgi"]
