"""The app's pages, defined once: their file, title, icon, URL path, the link parameters each reads
(beside the sidebar's filters) and the named queries behind its figures. `app.py` builds its
navigation from this list, the Methodology page says which page uses which query, and the tests run
every page from it."""

from __future__ import annotations

from dataclasses import dataclass

APP_NAME = "Exoneration Misconduct Explorer"


@dataclass(frozen=True)
class Page:
    file: str  # under app_pages/
    title: str
    icon: str
    url_path: str
    section: str
    params: tuple[str, ...] = ()  # link parameters the page reads, beside the filters
    queries: tuple[str, ...] = ()  # queries/<name>.sql behind its figures
    charts: bool = True  # whether it draws charts as it opens

    @property
    def path(self) -> str:
        return f"app_pages/{self.file}"

    @property
    def browser_title(self) -> str:
        """The browser tab's title: 'New York — Exoneration Misconduct Explorer'."""
        return f"{self.title} — {APP_NAME}"


FINDINGS, CITE = "Findings", "Cite and explore"

PAGES: tuple[Page, ...] = (
    Page(
        "overview.py",
        "Overview",
        ":material/insights:",
        "overview",
        FINDINGS,
        queries=("stats", "registry_growth", "registry_reached"),
    ),
    Page(
        "misconduct.py",
        "Misconduct",
        ":material/gavel:",
        "misconduct",
        FINDINGS,
        params=("tab",),
        queries=(
            "stats",
            "misconduct_by_actor",
            "misconduct_by_kind",
            "misconduct_police_and_prosecutor",
            "misconduct_cooccurrence",
            "misconduct_share_by_group",
        ),
    ),
    Page(
        "over_time.py",
        "Over time",
        ":material/timeline:",
        "over-time",
        FINDINGS,
        params=("period",),
        queries=("stats", "exonerations_by_year", "years_lost_by_year"),
    ),
    Page(
        "geography.py",
        "Geography",
        ":material/map:",
        "geography",
        FINDINGS,
        params=("measure", "county_state"),
        queries=("by_state", "by_county"),
    ),
    Page(
        "new_york.py",
        "New York",
        ":material/location_city:",
        "new-york",
        FINDINGS,
        queries=("stats", "filter_options", "by_county", "cases_table"),
    ),
    Page(
        "accountability.py",
        "Accountability",
        ":material/balance:",
        "accountability",
        FINDINGS,
        params=("tab",),
        queries=(
            "stats",
            "by_state",
            "by_county",
            "conviction_forms",
            "cleared_with_help",
        ),
    ),
    Page(
        "human_cost.py",
        "Human cost",
        ":material/hourglass_bottom:",
        "human-cost",
        FINDINGS,
        queries=(
            "stats",
            "years_lost_by_misconduct",
            "years_lost_distribution",
            "longest_years_lost",
            "death_sentence_cases",
        ),
    ),
    Page(
        "cases.py",
        "Cases",
        ":material/table_view:",
        "cases",
        CITE,
        params=("q", "sort", "dir", "page", "case"),
        queries=("cases_table", "cases_table_count", "case_detail"),
        charts=False,
    ),
    Page(
        "claims.py",
        "Claims, checked",
        ":material/fact_check:",
        "claims",
        CITE,
        params=("claim", "measure", "stat", "cmp", "threshold", "n"),
        queries=("stats", "registry_reached", "registry_growth"),
        charts=False,
    ),
    Page(
        "briefing.py",
        "Briefing pack",
        ":material/slideshow:",
        "briefing",
        CITE,
        queries=(
            "stats",
            "exonerations_by_year",
            "years_lost_by_misconduct",
            "filter_options",
            "by_county",
            "registry_reached",
        ),
        charts=False,
    ),
    Page("sql_console.py", "SQL console", ":material/terminal:", "sql", CITE, params=("sql",), charts=False),
    Page("methodology.py", "Methodology & data", ":material/menu_book:", "methodology", CITE, charts=False),
)

DEFAULT = PAGES[0]
BY_PATH: dict[str, Page] = {p.url_path: p for p in PAGES}
BY_TITLE: dict[str, Page] = {p.title: p for p in PAGES}
# Every link parameter a page reads (the sidebar keeps them when it rewrites the URL).
PAGE_PARAMS: frozenset[str] = frozenset(k for p in PAGES for k in p.params)


def sections() -> dict[str, list[Page]]:
    out: dict[str, list[Page]] = {}
    for p in PAGES:
        out.setdefault(p.section, []).append(p)
    return out


def using(query: str) -> list[Page]:
    """The pages whose figures come from `queries/<query>.sql`."""
    return [p for p in PAGES if query in p.queries]
