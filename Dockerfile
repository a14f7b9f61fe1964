# The Pre-birth Tracker as one container: gunicorn serving Django, static files by
# WhiteNoise. See docs/deploy.md; compose.yaml runs it with PostgreSQL and ClamAV.
#
# Runs with a read-only root filesystem: it writes only to DOCUMENTS_ROOT (/data/documents,
# a volume), /backups (a volume, for manage.py backup) and /tmp (a tmpfs). Everything else,
# the collected static files included, is made here, at build.
#
# Debian 12 (bookworm), as CI: the package names below are .ci/run's, and its
# postgresql-client (15) matches the PostgreSQL 15 server for pg_dump and pg_restore.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries and a font (the PDF exports; docs/operations.md), Liberation Sans
# for the print styles' Arial, and pg_dump/pg_restore for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core fonts-liberation postgresql-client \
    && fc-cache -f \
    && rm -rf /var/lib/apt/lists/*

# The service's own user: no login, no home, no root.
RUN groupadd --system --gid 10001 prebirth \
    && useradd --system --uid 10001 --gid prebirth --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin prebirth

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .

# Production settings (config/settings.py); the secrets and host names come at run time.
# HOME and the caches point into /tmp: nothing else is writable.
ENV DJANGO_ENV=production \
    PREBIRTH_VAR_DIR=/app/var \
    DOCUMENTS_ROOT=/data/documents \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/cache \
    GUNICORN_BIND=0.0.0.0:8000

# Static files collected (hashed names, compressed) into /app/var/staticfiles, owned by
# root and read-only to the service. The values here exist only for this step.
RUN SECRET_KEY=collectstatic-at-build-only ALLOWED_HOSTS=build.invalid DOCUMENTS_SCANNER=none \
        python manage.py collectstatic --noinput \
    && python -m compileall -q /app \
    && mkdir -p /data/documents /backups \
    && chown prebirth:prebirth /data/documents /backups \
    && chmod 0700 /data/documents /backups

USER prebirth:prebirth
EXPOSE 8000
VOLUME ["/data/documents", "/backups"]

# GET /healthz (200 when the service and its database answer), asked as the proxy would.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "config.healthcheck"]

CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"]
