"""The server's additions (exonerations/web.py): the base-URL hint and the early start of the chart
library, added to the HTML of the app's pages only (the hint to page paths, the start to the pages
that draw charts), with a correct length, whatever the browser accepts (the browser then connects
without the failed first attempt at `/<page>/_stcore/health`); and the chart library's route."""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import gzip
import urllib.request
from pathlib import Path

import pytest

from exonerations import chart_view, web

ROOT = Path(__file__).resolve().parent.parent
HTML = b"<!DOCTYPE html>\n<html lang='en'>\n  <head>\n    <meta charset='UTF-8' />\n  </head><body></body></html>"


def app_url_paths() -> set[str]:
    """The url_path of every st.Page in app.py."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return {kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "url_path"}


def test_page_paths_are_app_pys_pages():
    assert web.PAGE_PATHS == app_url_paths()


@pytest.mark.parametrize(("path", "expected"), [
    ("/misconduct", True), ("/new-york", True), ("/explorer/misconduct", True), ("/overview", True),
    ("/", False), ("", False), ("/misconduct/", False), ("/foo", False), ("/misconduct/_stcore/health", False),
    ("/static/js/index.js", False), ("/misconductx", False),
])
def test_is_page_path(path, expected):
    assert web.is_page_path(path) is expected


def test_edit_puts_first_and_last_in_head_once():
    out = web.edit(HTML, web.HINT, web.PRELOAD)
    assert out.count(web.HINT) == 1 and out.count(web.PRELOAD) == 1
    assert out.index(web.HINT) == out.index(b"<head>") + len(b"<head>")
    assert out.index(web.PRELOAD) + len(web.PRELOAD) == out.index(b"</head>")
    assert out.replace(web.HINT, b"").replace(web.PRELOAD, b"") == HTML
    assert web.edit(b"no head here", web.HINT, web.PRELOAD) == b"no head here"


@pytest.mark.parametrize(("path", "page"), [
    ("/", ""), ("", ""), ("/misconduct", "misconduct"), ("/x/new-york", "new-york"), ("/cases", "cases"),
    ("/misconduct/", None), ("/foo", None), ("/static/js/index.js", None),
])
def test_page_of(path, page):
    assert web.page_of(path) == page


def test_additions_per_page():
    assert web.additions("") == (b"", web.PRELOAD)  # the root: Overview's charts, no hint needed
    assert web.additions("misconduct") == (web.HINT, web.PRELOAD)
    assert web.additions("cases") == (web.HINT, b"")
    assert web.additions(None) == (b"", b"")
    assert chart_view.SCRIPT_URL.lstrip("/").encode() in web.PRELOAD


def test_chart_pages_are_the_pages_that_draw_charts(demo_db, monkeypatch):
    """CHART_PAGES names exactly the pages whose first run sends a chart ("" is the default page)."""
    from conftest import chart_figures
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EXONERATIONS_DB", str(demo_db))
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = [(node.args[0].value, {kw.arg: kw.value.value for kw in node.keywords if kw.arg in ("url_path", "default")})
             for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"]
    drawing = set()
    for file, kw in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.run()
        at.switch_page(file).run()
        assert not at.exception, file
        if chart_figures(at):
            drawing.add(kw["url_path"])
            if kw.get("default"):
                drawing.add("")
    assert drawing == set(web.CHART_PAGES)


def run(coro):
    """`asyncio.run(coro)` in a thread of its own (a browser test's Playwright may own this one's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run_asgi(app, path: str, method: str = "GET", headers=None) -> tuple[dict, bytes, list]:
    """One request through an ASGI app; returns the start message, the body and the request headers
    the inner app saw."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers or [(b"accept-encoding", b"gzip")]}
    run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start, body, sent


def inner_app(body: bytes = HTML, content_type: bytes = b"text/html; charset=utf-8", status: int = 200, pieces: int = 3):
    seen: list = []

    async def app(scope, receive, send):
        seen.append(scope["headers"])
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"etag", b'"abc"'), (b"cache-control", b"no-cache")]})
        step = max(1, len(body) // pieces)
        parts = [body[i:i + step] for i in range(0, len(body), step)] or [b""]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})

    return app, seen


@pytest.mark.parametrize(("path", "first", "last"), [
    ("/misconduct", web.HINT, web.PRELOAD), ("/", b"", web.PRELOAD), ("/cases", web.HINT, b"")])
def test_middleware_adds_to_a_page_and_fixes_headers(path, first, last):
    app, seen = inner_app()
    start, body, _ = run_asgi(web.PageAdditions(app), path)
    assert body == web.edit(HTML, first, last)
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in headers and headers[b"cache-control"] == b"no-cache"
    assert all(k != b"accept-encoding" for k, _ in seen[0])  # asked for uncompressed, to be editable


@pytest.mark.parametrize(("path", "method", "content_type", "status"), [
    ("/misconduct", "HEAD", b"text/html", 200),
    ("/misconduct", "GET", b"application/json", 200),
    ("/misconduct", "GET", b"text/html", 404),
    ("/static/js/index.js", "GET", b"text/javascript", 200),
    ("/_stcore/health", "GET", b"text/plain", 200),
])
def test_middleware_leaves_everything_else_alone(path, method, content_type, status):
    app, seen = inner_app(content_type=content_type, status=status)
    start, body, _ = run_asgi(web.PageAdditions(app), path, method)
    assert body == HTML and start["status"] == status
    assert dict(start["headers"])[b"etag"] == b'"abc"'
    if web.page_of(path) is None:
        assert (b"accept-encoding", b"gzip") in seen[0]


def test_middleware_passes_other_scopes():
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["type"])

    run(web.PageAdditions(app)({"type": "websocket", "path": "/_stcore/stream"}, None, None))
    assert calls == ["websocket"]


@pytest.mark.parametrize("accept", [b"gzip, deflate, br", b""])
def test_plotly_route_serves_the_installed_library(accept):
    from starlette.applications import Starlette

    from exonerations import chart_view

    headers = [(b"accept-encoding", accept)] if accept else [(b"user-agent", b"test")]
    start, body, _ = run_asgi(Starlette(routes=web.routes()), chart_view.SCRIPT_URL, headers=headers)
    got = dict(start["headers"])
    assert start["status"] == 200 and got[b"content-type"].startswith(b"text/javascript")
    assert b"immutable" in got[b"cache-control"]
    if accept:
        assert got[b"content-encoding"] == b"gzip" and gzip.decompress(body) == chart_view.PLOTLY_JS.read_bytes()
        assert len(body) < chart_view.PLOTLY_JS.stat().st_size / 2
    else:
        assert b"content-encoding" not in got and body == chart_view.PLOTLY_JS.read_bytes()
    assert int(got[b"content-length"]) == len(body)


def test_serve_py_is_an_st_app_the_cli_finds():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.import_string.endswith(":app")


@pytest.mark.browser
def test_a_page_url_connects_at_the_first_try(page, full_server):
    """Served the `make run` way, a page's URL carries the hint (even to a client that accepts gzip)
    and the browser never asks `/<page>/_stcore/…`; the page still renders, and so does the root."""
    from conftest import wait_rendered

    req = urllib.request.Request(f"{full_server.url}/human-cost", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=10) as r:
        raw = r.read()
        html = gzip.decompress(raw) if r.headers.get("Content-Encoding") == "gzip" else raw
    assert web.HINT in html
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    for path in ("misconduct", "new-york", ""):
        page.goto(f"{full_server.url}/{path}")
        wait_rendered(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("Page not found").count() == 0
    assert not [u for u in asked if "/misconduct/_stcore" in u or "/new-york/_stcore" in u]
    assert any(u.endswith("/_stcore/health") for u in asked)


@pytest.mark.browser
def test_the_chart_library_loads_once_and_only_where_charts_are(browser, full_server):
    """A page without charts does not load Plotly; a page with charts loads it once (the early start
    and the charts share one request and one script element), from the versioned URL."""
    from conftest import wait_rendered

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(f"{full_server.url}/cases")
    wait_rendered(page)
    assert not [u for u in asked if "/_app/" in u]
    page.goto(f"{full_server.url}/misconduct")
    wait_rendered(page)
    assert [u for u in asked if "/_app/" in u] == [full_server.url + chart_view.SCRIPT_URL]
    assert page.evaluate("() => document.querySelectorAll('script[src*=\"_app/plotly-\"]').length") == 1
    assert page.locator("[data-testid='exoChart'] .main-svg").count() >= 2
    ctx.close()
