# interlock as a server: PostgreSQL (INTERLOCK_DATABASE_URL), several server processes, the job
# worker beside them. See docs/operations.md.
#
#   docker build -t interlock .
#   docker run -e INTERLOCK_DATABASE_URL=postgresql://interlock@db:5432/interlock -p 8000:8000 interlock
FROM python:3.11-slim

# Java runs OPSIN, which reads systematic chemical names
RUN apt-get update \
    && apt-get install --yes --no-install-recommends default-jre-headless \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 interlock
WORKDIR /opt/interlock
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir ".[postgres]"

USER interlock
ENV INTERLOCK_DATA_DIR=/home/interlock/data \
    INTERLOCK_FETCH_INTERVAL_HOURS=24 \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# migrations run first; the bundled lists load once (a no-op afterwards); then the service
CMD ["sh", "-c", "interlock db upgrade && interlock lists load --bundled && exec interlock serve --host 0.0.0.0 --workers ${INTERLOCK_WORKERS:-2}"]
