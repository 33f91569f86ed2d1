# The app server, `robotpayment-app serve`, as a non-root user. Build from the repository root:
#     docker build -t robotpayment-saleor-app .
# Configure it with ROBOTPAYMENT_APP_* variables (README: Configuration, Deployment).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ROBOTPAYMENT_APP_DATA_DIR=/var/lib/robotpayment-app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app /var/lib/robotpayment-app \
    && chown app:app /var/lib/robotpayment-app

WORKDIR /app

# Dependencies first, from pyproject.toml alone: a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The app reads graphql/ beside plugin/ (saleor/documents.py), so it runs from this source tree (editable install).
COPY README.md manifest.json ./
COPY graphql ./graphql
COPY plugin ./plugin
RUN pip install --no-deps -e . && python -m compileall -q plugin

USER app
EXPOSE 8000
# Readiness: the process answers and the database does (web/health_routes.py).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"

# One worker per container: scale with replicas (each one's /metrics is then its own).
CMD ["robotpayment-app", "serve", "--host", "0.0.0.0", "--port", "8000"]
