#!/bin/sh
# Start the app for production, as `make run`, `make serve` and the Dockerfile do: prepare the database
# (import the newest registry file in the data folder, else keep the database, else build the demo), then
# `streamlit run app.py` with production switches. From the environment: PYTHON (default python),
# ADDRESS (default 127.0.0.1), PORT (default 8501), EXONERATIONS_DB (the database file, default
# data/exonerations.duckdb) and EXONERATIONS_DATA_DIR (where registry files are looked for, default the
# database's folder).
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
"$PYTHON" -m exonerations prepare
exec "$PYTHON" -m streamlit run app.py \
    --server.headless true \
    --server.fileWatcherType none \
    --server.runOnSave false \
    --server.enableXsrfProtection true \
    --browser.gatherUsageStats false \
    --server.address "${ADDRESS:-127.0.0.1}" \
    --server.port "${PORT:-8501}"
