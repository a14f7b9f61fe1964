"""gunicorn's settings: `gunicorn -c config/gunicorn.conf.py config.wsgi` (the container's
command; docs/deploy.md). Each can be changed by an environment variable.

The access log goes to standard output with each request's path but never its query
string: a search for a family (`/cases/?q=…`) must not put a name in the logs.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError as error:
        raise SystemExit(f"Environment variable {name}={value!r} is not a number") from error


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 – inside the container
# Synchronous workers: 2 per core and one more is gunicorn's advice.
workers = _int("GUNICORN_WORKERS", 3)
# A request slower than this is killed (the PDF of a 40-family pack takes a few seconds).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a deploy, `docker stop`) a worker finishes its request for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A fresh worker now and then; the jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Address, time, method and path (no query string), status, bytes, milliseconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# The heartbeat files live in memory (/dev/shm), never on a read-only or slow disk.
_MEMORY = "/dev/shm"  # noqa: S108 – gunicorn's advice for its heartbeat files
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    _MEMORY if os.path.isdir(_MEMORY) else None
)
# gunicorn's control socket would be written to the home folder; the service needs none.
control_socket_disable = True
