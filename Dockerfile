# claimtrack API: gunicorn serving service.app:create_app(), migrations applied at start.
#   docker build -t claimtrack .
#   docker run -p 8000:8000 -e CLAIMTRACK_SECRET_KEY=... -e DATABASE_URL=postgresql+psycopg://... claimtrack
# or `docker compose up` (compose.yaml): nginx in front of two of these, on PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a source change does not reinstall them:
# install the project with a placeholder package to pull its dependencies, then drop it.
COPY pyproject.toml README.md ./
RUN mkdir service && touch service/__init__.py \
    && pip install ".[postgres,server]" \
    && pip uninstall --yes claimtrack \
    && rm -rf service build *.egg-info

# The source. Editable, so service/migrate.py finds migrations/ next to service/ in /app.
COPY . .
RUN pip install --no-deps --editable . \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent claimtrack \
    && mkdir -p /app/instance && chown claimtrack:claimtrack /app/instance

USER claimtrack

# gunicorn settings are read by service/gunicorn_conf.py (WEB_CONCURRENCY, CLAIMTRACK_THREADS,
# CLAIMTRACK_TIMEOUT). Without DATABASE_URL the app uses SQLite in /app/instance.
# Set CLAIMTRACK_BASE_URL (https://claims.example.org) to the address clients use: links are
# built from it. Without it only the hosts in CLAIMTRACK_TRUSTED_HOSTS (default localhost,
# 127.0.0.1, [::1], any port) are answered; /health answers any host, for the HEALTHCHECK.
ENV CLAIMTRACK_BIND=0.0.0.0:8000 \
    CLAIMTRACK_ENV=production
EXPOSE 8000

# slim has no curl: ask /health with the standard library (urlopen raises on a non-2xx answer).
# It assumes port 8000; change it here too if CLAIMTRACK_BIND changes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
