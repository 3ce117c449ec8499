# Production image: gunicorn serving the app, static files through WhiteNoise.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 dialogue

COPY pyproject.toml README.md ./
COPY dialogue ./dialogue
COPY rounds ./rounds
COPY stakeholders ./stakeholders
COPY followup ./followup
RUN pip install .

COPY . .
# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R dialogue /app/var

USER dialogue
EXPOSE 8000
CMD ["gunicorn", "dialogue.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
