"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py dialogue.wsgi`.

Every value can be overridden from the environment (GUNICORN_WORKERS, PORT, ...).
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Two workers a core: the work is mostly waiting on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak cannot grow without bound: rarely, since a
# new worker starts cold (imports, connection), and with a wide jitter,
# since workers under the same load would otherwise all restart in the same second.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 4
# Logs to standard output and error, for the platform to collect; the application's own
# logs are JSON lines (LOG_FORMAT).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
