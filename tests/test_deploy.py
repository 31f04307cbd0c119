"""Deploy recipes: the production switches of make run / make serve (one start script), the Dockerfile
(slim Python 3.11, non-root, health check, data mounted not baked in; its install and start steps run in a
fresh virtualenv), and several app processes behind nginx (a visitor's page survives the death of the
process that served it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, free_port, open_filter_panel, wait_rendered

sys.path.insert(0, str(ROOT / "deploy"))  # deploy/cluster.py is a script, not part of the package
import cluster  # noqa: E402

START = (ROOT / "deploy" / "start.sh").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def make_dry_run(target: str, **env) -> str:
    out = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=30, env={**os.environ, **env}
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_run_and_serve_use_the_start_script_with_address_and_port_from_the_environment(target):
    text = make_dry_run(target, PORT="9123", ADDRESS="127.0.0.9", SERVE_ADDRESS="10.1.2.3")
    line = next(ln for ln in text.splitlines() if "deploy/start.sh" in ln)
    assert "PORT=9123" in line
    assert ("ADDRESS=127.0.0.9" if target == "run" else "ADDRESS=10.1.2.3") in line


def test_start_script_switches_are_production_ones():
    for flag in (
        "--server.headless true",
        "--server.fileWatcherType none",
        "--server.enableXsrfProtection true",
        "--browser.gatherUsageStats false",
        '--server.address "${ADDRESS:-127.0.0.1}"',
        '--server.port "${PORT:-8501}"',
    ):
        assert flag in START, flag
    assert "-m streamlit run app.py" in START and "-m exonerations prepare" in START


def test_dockerfile_is_slim_non_root_with_a_health_check_and_no_data_inside():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    user = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/_stcore/health", DOCKERFILE, re.M)
    assert "deploy/start.sh" in DOCKERFILE and "EXONERATIONS_DATA_DIR=/data" in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert "data" in ignored and "*.duckdb" in ignored and ".venv" in ignored
    assert not re.search(r"^(COPY|ADD)\s+\S*(data/|\.csv|\.xlsx|\.duckdb)", DOCKERFILE, re.M)


def dockerfile_env() -> dict[str, str]:
    env = {}
    for block in re.findall(r"^ENV ((?:.*\\\n)*.*)$", DOCKERFILE, re.M):
        for k, v in re.findall(r"(\w+)=(\S+)", block.replace("\\\n", " ")):
            env[k] = v
    return env


@pytest.mark.slow
def test_dockerfile_install_and_start_steps_in_a_fresh_virtualenv(tmp_path):
    """No container engine runs here: the Dockerfile's own steps — its pip install, its environment, its
    start command and its health check — run in a new virtualenv with a registry file mounted as /data
    would be, and the health endpoint answers."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    for cmd in re.findall(r"^RUN (pip install .*)$", DOCKERFILE, re.M):
        subprocess.run([str(py), "-m", *cmd.split()], cwd=ROOT, check=True, timeout=900, stdout=subprocess.DEVNULL)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "b_small.csv", data / "registry.csv")
    port = free_port()
    env = {
        **os.environ,
        **dockerfile_env(),
        "PYTHON": str(py),
        "ADDRESS": "127.0.0.1",
        "PORT": str(port),
        "EXONERATIONS_DATA_DIR": str(data),
        "EXONERATIONS_DB": str(tmp_path / "db" / "exonerations.duckdb"),
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
    }
    cmd = re.search(r'^CMD \["sh", "(\S+)"\]', DOCKERFILE, re.M).group(1)
    proc = subprocess.Popen(["sh", cmd], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        cluster.wait_healthy(f"http://127.0.0.1:{port}", 120)
        check = re.search(r'CMD python -c "(.*)"', DOCKERFILE).group(1)
        assert subprocess.run([str(py), "-c", check], env=env, timeout=30).returncode == 0
        assert (tmp_path / "db" / "exonerations.duckdb").is_file()  # the mounted file was imported
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/_stcore/bidi-components/exonerations.chart/chart.js"
        ) as r:
            assert b"Plotly.react" in r.read()  # the chart element's assets are served
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode(errors="replace")
    assert "Imported registry.csv" in out, out[-2000:]


def backend_serving(ports: list[int]) -> int | None:
    """The backend port that holds an established connection from nginx (a visitor's websocket)."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, _remote, state = line.split()[1:4]
        if state == "01":
            established.add(int(local.split(":")[1], 16))
    held = [p for p in ports if p in established]
    return held[0] if len(held) == 1 else None


@pytest.mark.browser
def test_two_processes_behind_nginx_survive_the_death_of_one(browser, full_db, tmp_path):
    """Two app processes behind nginx on loopback: a page loads through it; the process holding the
    visitor's session is stopped; the page reconnects to the other and shows the same figures (its
    filters are in the URL); a new visit works too."""
    if cluster.NGINX is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("nginx is missing: `apt-get install nginx`")
        pytest.skip("nginx is not installed: `apt-get install nginx` to run the several-servers test")
    port = free_port()
    with cluster.Cluster(2, port, db=full_db, first_backend=free_port(), log_dir=tmp_path) as c:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(f"{c.url}/?as_of=2026-02-05&state=New+York")
        wait_rendered(page)
        shown = page.locator("h3").first.inner_text()
        assert "New York" in page.locator("[data-testid='stSidebar']").inner_text()
        serving = backend_serving(c.backends)
        assert serving is not None
        c.stop_app(c.backends.index(serving))
        # The page reconnects to the other process: a rerun it asks for (opening the filter panel) is
        # answered there, and its figures are the same.
        time.sleep(3)
        open_filter_panel(page, timeout=60_000)
        assert backend_serving(c.backends) not in (None, serving)
        assert page.locator("h3").first.inner_text() == shown
        assert page.locator("[data-testid='stException']").count() == 0
        again = ctx.new_page()
        again.goto(page.url)
        wait_rendered(again, timeout=60_000)
        assert again.locator("h3").first.inner_text() == shown
        ctx.close()
        with urllib.request.urlopen(c.url + "/_stcore/health", timeout=10) as r:
            assert r.status == 200


def test_prepare_fetches_the_registry_file_from_a_private_address(tmp_path, monkeypatch):
    """With no database and no file in the data folder, `prepare` fetches the file from EXONERATIONS_DATA_URL
    (with its token as a Bearer header) and imports it; a refused address is one sentence and the demo."""
    import http.server
    import threading

    from exonerations import db
    from exonerations.prepare import prepare

    body = (FIXTURES / "b_small.csv").read_bytes()
    seen = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            seen["auth"] = self.headers.get("Authorization")
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("EXONERATIONS_DATA_URL", f"http://127.0.0.1:{server.server_port}/private/registry.csv")
        monkeypatch.setenv("EXONERATIONS_DATA_TOKEN", "t0ken")
        monkeypatch.setenv("EXONERATIONS_DATA_DIR", str(tmp_path / "files"))
        said: list[str] = []
        prepare(tmp_path / "db" / "exonerations.duckdb", said.append)
    finally:
        server.shutdown()
    assert seen["auth"] == "Bearer t0ken"
    assert said and said[-1].startswith("Imported registry.csv")
    reg = db.Registry(tmp_path / "db" / "exonerations.duckdb")
    try:
        assert reg.meta.file_name == "registry.csv" and not reg.meta.is_demo
    finally:
        reg.close()
    monkeypatch.setenv("EXONERATIONS_DATA_URL", "ftp://example.org/registry.csv")
    monkeypatch.setenv("EXONERATIONS_DATA_DIR", str(tmp_path / "empty"))
    said.clear()
    prepare(tmp_path / "other.duckdb", said.append)
    assert "must be an https:// address" in said[0] and "demo" in said[-1]
