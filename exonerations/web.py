"""The web server's additions to Streamlit's: two additions to the HTML of the app's pages, and the
chart library the app's chart element loads (`routes()`).

The hint. Opened at a page's URL (`/misconduct?…`, how every shared link arrives), Streamlit's
frontend does not know whether `/misconduct` is a page or the path the app is served under, so it
first asks `/misconduct/_stcore/health`, gets a 404, waits about 100 ms and only then tries `/`. The
hint (`window.__streamlit.BACKEND_BASE_URL`, Streamlit's setting for hosts that embed it) names the
parent of the page's path, so the first try is the right one. It is computed in the browser from
the address it shows, so it stays right behind a proxy that serves the app under a prefix. It is
added to the app's own page paths (the root needs none).

The early start of the chart library. On the pages that draw charts as they open (the root, which
is Overview, among them), the HTML starts loading Plotly (chart_view.LOADER_JS) as soon as the server
starts running the page, while the browser waits for its elements, instead of when the first chart
arrives: it takes about 70 ms to load from the browser's cache, which the first chart would
otherwise wait.

Anything else is passed through untouched (the frontend still falls back to its usual search if
the hint were ever wrong, and a chart loads the library itself if it is not there yet).

`serve.py` builds the app with `middleware()` and `routes()`; `make run`, the browser tests and the
benchmark all serve the app that way.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterable

from .chart_view import LOADER_JS, SCRIPT_URL

# The url_path of every page but the default one in app.py's PAGES (a test keeps them in step).
PAGE_PATHS = frozenset({
    "overview", "misconduct", "over-time", "geography", "new-york", "human-cost",
    "cases", "claims", "briefing", "sql", "methodology",
})
# The pages that draw charts as they open; "" is the root (a test keeps them in step with the pages).
CHART_PAGES = frozenset({"", "overview", "misconduct", "over-time", "geography", "new-york", "human-cost"})

HINT = (
    b"<script>(function(){var p=location.pathname.replace(/\\/+$/,''),i=p.lastIndexOf('/');"
    b"window.__streamlit=Object.assign({},window.__streamlit,"
    b"{BACKEND_BASE_URL:location.origin+p.slice(0,i)+'/'});})();</script>"
)
# Started when the page's script starts running on the server (the app's root element says so): the
# browser then waits for the server's first elements, and loading Plotly cannot delay the frontend's
# start or its request to run the page.
PRELOAD = ("<script>" + LOADER_JS + """(() => {
  const watch = new MutationObserver(() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (app && app.getAttribute("data-test-script-state") === "running") {
      watch.disconnect();
      setTimeout(() => window.__exoPlotly().catch(() => {}), 0);
    }
  });
  watch.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-test-script-state"]});
})();</script>""").encode()


def is_page_path(path: str, pages: Iterable[str] = PAGE_PATHS) -> bool:
    """Whether a request path ends in one of the app's pages (`/misconduct`, `/x/new-york`)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(last) and last in pages and not path.endswith("/")


def page_of(path: str, pages: Iterable[str] = PAGE_PATHS) -> str | None:
    """The page a request path opens: its url_path, "" for the root, None for anything else."""
    if path in ("", "/"):
        return ""
    return path.rstrip("/").rsplit("/", 1)[-1] if is_page_path(path, pages) else None


def additions(page: str | None, charts: Iterable[str] = CHART_PAGES) -> tuple[bytes, bytes]:
    """What the HTML of `page` gets: (first in its head, last in its head)."""
    if page is None:
        return b"", b""
    return (HINT if page else b""), (PRELOAD if page in charts else b"")


def edit(html: bytes, first: bytes, last: bytes) -> bytes:
    """`html` with `first` as the first element of its head and `last` as its last (unchanged if it
    has no head)."""
    if b"<head>" not in html or b"</head>" not in html:
        return html
    return html.replace(b"<head>", b"<head>" + first, 1).replace(b"</head>", last + b"</head>", 1)


class PageAdditions:
    """ASGI middleware: adds the hint and the early start of the chart library (`additions`) to the
    HTML answer of a GET for one of the app's pages.

    Such a request is passed on without `Accept-Encoding` (its answer is Streamlit's index.html,
    8 KB) so the answer arrives uncompressed and can be edited; its length header is then set
    again and its validators dropped (the body is no longer the file they describe)."""

    def __init__(self, app, pages: Iterable[str] = PAGE_PATHS, charts: Iterable[str] = CHART_PAGES) -> None:
        self.app = app
        self.pages = frozenset(pages)
        self.charts = frozenset(charts)

    async def __call__(self, scope, receive, send) -> None:
        first, last = (b"", b"")
        if scope["type"] == "http" and scope.get("method") == "GET":
            first, last = additions(page_of(scope.get("path", ""), self.pages), self.charts)
        if not (first or last):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        held: dict | None = None
        chunks: list[bytes] = []

        async def relay(message) -> None:
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
                body = edit(b"".join(chunks), first, last)
                drop = {b"content-length", b"etag", b"last-modified"}
                headers = [(k, v) for k, v in held.get("headers", []) if k.lower() not in drop]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**held, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, relay)


def middleware() -> list:
    """The middleware list for `st.App(…, middleware=…)`."""
    from starlette.middleware import Middleware

    return [Middleware(PageAdditions)]


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

    return [Route(SCRIPT_URL, _plotly_script, methods=["GET"])]
