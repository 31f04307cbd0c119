# The app in a container: `docker build -t exonerations .` then
#   docker run -p 8501:8501 -v /path/to/registry-files:/data:ro exonerations
# The registry file is mounted, never baked into the image: the start script imports the newest .csv or
# .xlsx in /data into the container's own database (or builds the synthetic demo when there is none).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ADDRESS=0.0.0.0 \
    PORT=8501 \
    EXONERATIONS_DATA_DIR=/data \
    EXONERATIONS_DB=/home/app/db/exonerations.duckdb

RUN useradd --create-home --uid 10001 app
WORKDIR /app
# The packages first (a layer kept while they do not change), then the app; requirements.txt ends with the
# app itself ("-e ."), which needs its pyproject.toml and package.
COPY requirements.txt pyproject.toml README.md ./
COPY exonerations ./exonerations
RUN pip install -r requirements.txt
COPY --chown=app:app . .
RUN mkdir -p /data /home/app/db && chown app:app /home/app/db
USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/_stcore/health', timeout=4)"
CMD ["sh", "deploy/start.sh"]
