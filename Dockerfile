# interlock as a server: PostgreSQL (INTERLOCK_DATABASE_URL), several server processes, the job
# worker beside them. See docs/operations.md.
#
#   docker build -t interlock .
#   docker run -e INTERLOCK_DATABASE_URL=postgresql://interlock@db:5432/interlock -p 8000:8000 interlock
#
# BASE: any Debian-based image with Python >= 3.11, its C headers and pip on the PATH.
ARG BASE=python:3.11-slim

# the wheels, compiled where PyPI has none: interlock's C scorer (without a compiler it would
# install as pure Python) and PyICU, which rigour's normality transliterates with
FROM ${BASE} AS wheels
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gcc g++ libc6-dev pkg-config libicu-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY pyproject.toml setup.py README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]" \
    && python -c "import sys, zipfile, glob; \
names = zipfile.ZipFile(glob.glob('/wheels/interlock-*.whl')[0]).namelist(); \
sys.exit(not any(n.startswith('interlock/match/_native') for n in names))"

FROM ${BASE}
# Java runs OPSIN, which reads systematic chemical names; ICU's library is the one PyICU was built
# against (its package name carries the version: libicu72 on Debian 12)
RUN apt-get update \
    && apt-get install --yes --no-install-recommends default-jre-headless \
        $(apt-cache search --names-only '^libicu[0-9]+$' | cut -d' ' -f1) \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 interlock
COPY --from=wheels /wheels /tmp/wheels
RUN pip install --no-cache-dir --no-index --find-links /tmp/wheels "interlock[postgres]" \
    && rm -rf /tmp/wheels \
    && python -c "import icu, interlock.match._native"

USER interlock
WORKDIR /home/interlock
ENV INTERLOCK_DATA_DIR=/home/interlock/data \
    INTERLOCK_FETCH_INTERVAL_HOURS=24 \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# migrations run first; the bundled lists load once (a no-op afterwards); then the service
CMD ["sh", "-c", "interlock db upgrade && interlock lists load --bundled && exec interlock serve --host 0.0.0.0 --workers ${INTERLOCK_WORKERS:-2}"]
