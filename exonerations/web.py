"""The web server's two additions to Streamlit's: a hint in the HTML of a page's URL that tells the
browser where the app's server is, and the chart library the app's chart element loads (`routes()`).

Opened at a page's URL (`/misconduct?…`, how every shared link arrives), Streamlit's frontend does
not know whether `/misconduct` is a page or the path the app is served under, so it first asks
`/misconduct/_stcore/health`, gets a 404, waits about 100 ms and only then tries `/`. The hint
(`window.__streamlit.BACKEND_BASE_URL`, Streamlit's setting for hosts that embed it) names the
parent of the page's path, so the first try is the right one. It is computed in the browser from
the address it shows, so it stays right behind a proxy that serves the app under a prefix. It is
added only to the app's own page paths; anything else is passed through untouched (the frontend
still falls back to its usual search if the hint were ever wrong).

`serve.py` builds the app with `middleware()` and `routes()`; `make run`, the browser tests and the
benchmark all serve the app that way.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterable

# The url_path of every page but the default one in app.py's PAGES (a test keeps them in step).
PAGE_PATHS = frozenset({
    "overview", "misconduct", "over-time", "geography", "new-york", "human-cost",
    "cases", "claims", "briefing", "sql", "methodology",
})

HINT = (
    b"<script>(function(){var p=location.pathname.replace(/\\/+$/,''),i=p.lastIndexOf('/');"
    b"window.__streamlit=Object.assign({},window.__streamlit,"
    b"{BACKEND_BASE_URL:location.origin+p.slice(0,i)+'/'});})();</script>"
)


def is_page_path(path: str, pages: Iterable[str] = PAGE_PATHS) -> bool:
    """Whether a request path ends in one of the app's pages (`/misconduct`, `/x/new-york`)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(last) and last in pages and not path.endswith("/")


def add_hint(html: bytes) -> bytes:
    """`html` with the hint as the first element of its head (unchanged if it has no `<head>`)."""
    return html.replace(b"<head>", b"<head>" + HINT, 1) if b"<head>" in html else html


class BaseUrlHint:
    """ASGI middleware: adds the hint to the HTML answer of a GET for one of the app's pages.

    Such a request is passed on without `Accept-Encoding` (its answer is Streamlit's index.html,
    8 KB) so the answer arrives uncompressed and can be edited; its length header is then set
    again and its validators dropped (the body is no longer the file they describe)."""

    def __init__(self, app, pages: Iterable[str] = PAGE_PATHS) -> None:
        self.app = app
        self.pages = frozenset(pages)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not is_page_path(scope.get("path", ""), self.pages):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        held: dict | None = None
        chunks: list[bytes] = []

        async def edit(message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if (message.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
                        and b"content-encoding" not in headers):
                    held = message
                    return
            elif message["type"] == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = add_hint(b"".join(chunks))
                drop = {b"content-length", b"etag", b"last-modified"}
                headers = [(k, v) for k, v in held.get("headers", []) if k.lower() not in drop]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**held, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, edit)


def middleware() -> list:
    """The middleware list for `st.App(…, middleware=…)`."""
    from starlette.middleware import Middleware

    return [Middleware(BaseUrlHint)]


@functools.cache
def _script(compressed: bool) -> bytes:
    from .chart_view import PLOTLY_JS

    data = PLOTLY_JS.read_bytes()
    return gzip.compress(data, 6, mtime=0) if compressed else data


async def _plotly_script(request):
    """Plotly (plotly.min.js of the installed package) for the chart element: 4.7 MB, 1.4 MB
    compressed; kept by the browser for good, since its URL names the version."""
    from starlette.responses import Response

    compressed = "gzip" in request.headers.get("accept-encoding", "")
    headers = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}
    if compressed:
        headers["Content-Encoding"] = "gzip"
    return Response(_script(compressed), media_type="text/javascript", headers=headers)


def routes() -> list:
    """The routes for `st.App(…, routes=…)`."""
    from starlette.routing import Route

    from .chart_view import SCRIPT_URL

    return [Route(SCRIPT_URL, _plotly_script, methods=["GET"])]
