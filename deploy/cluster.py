"""N app processes behind nginx on one machine (`make serve-cluster N=3`): each `streamlit run app.py` on
its own loopback port, all reading one database file; nginx (Debian's package) in front with sticky
sessions and websocket upgrade (deploy/nginx.conf). Stops everything on Ctrl-C or SIGTERM.

    python deploy/cluster.py --servers 3 --port 8501 [--address 127.0.0.1] [--db data/exonerations.duckdb]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
APP_FLAGS = [
    "--server.headless",
    "true",
    "--server.fileWatcherType",
    "none",
    "--server.runOnSave",
    "false",
    "--server.enableXsrfProtection",
    "true",
    "--browser.gatherUsageStats",
    "false",
]


def nginx_conf(run_dir: Path, address: str, port: int, backends: list[int]) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in backends)
    text = TEMPLATE.read_text(encoding="utf-8")
    return (
        text.replace("@RUN@", str(run_dir))
        .replace("@SERVERS@", servers)
        .replace("@ADDRESS@", address)
        .replace("@PORT@", str(port))
    )


def wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer its health check in {seconds:.0f} s")


class Cluster:
    """The processes of a running cluster: `apps` (one per backend port) and `nginx`."""

    def __init__(
        self,
        servers: int,
        port: int,
        address: str = "127.0.0.1",
        db: Path | None = None,
        first_backend: int | None = None,
        log_dir: Path | None = None,
    ):
        if NGINX is None:
            raise RuntimeError("nginx is not installed: `apt-get install nginx` (Debian's package).")
        self.url = f"http://{address}:{port}"
        self.backends = [(first_backend or port + 100) + i for i in range(servers)]
        self.run_dir = Path(tempfile.mkdtemp(prefix="exonerations-cluster-"))
        self.log_dir = log_dir or self.run_dir
        env = {**os.environ, **({"EXONERATIONS_DB": str(db)} if db else {}), "PYTHONUNBUFFERED": "1"}
        self.apps = [self._app(p, env) for p in self.backends]
        for p in self.backends:
            wait_healthy(f"http://127.0.0.1:{p}")
        conf = self.run_dir / "nginx.conf"
        conf.write_text(nginx_conf(self.run_dir, address, port, self.backends), encoding="utf-8")
        self.nginx = subprocess.Popen(
            [NGINX, "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        wait_healthy(self.url)

    def _app(self, port: int, env: dict) -> subprocess.Popen:
        log = (self.log_dir / f"app-{port}.log").open("w")
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                *APP_FLAGS,
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop_app(self, i: int) -> None:
        """Stop one app process (as if it died)."""
        _stop(self.apps[i])

    def stop(self) -> None:
        for p in [self.nginx, *self.apps]:
            _stop(p)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8501)
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--db", type=Path, default=None)
    a = ap.parse_args(argv)
    if not 1 <= a.servers <= 16:
        print("--servers takes 1 to 16 app processes.", file=sys.stderr)
        return 2
    try:
        cluster = Cluster(a.servers, a.port, a.address, a.db)
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 2
    print(f"{a.servers} app processes ({', '.join(map(str, cluster.backends))}) behind nginx at {cluster.url}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(p.poll() is None for p in [cluster.nginx, *cluster.apps]) or cluster.nginx.poll() is None:
            time.sleep(1)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
