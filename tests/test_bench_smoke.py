"""`make bench` must not rot: the cheapest parts of bench/run.py run here on small data. No timing is
asserted (the machine is shared); only that each part produces figures and no error."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = mod  # dataclasses look their module up while the file executes
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop("bench_run", None)


def test_pages_are_read_from_app_py(bench):
    pages = bench.discover_pages()
    assert len(pages) >= 2
    assert sum(p.default for p in pages) == 1
    assert next(p for p in pages if p.default).url == ""  # the default page is served at the root URL
    for p in pages:
        assert (ROOT / p.file).is_file(), p.file
    assert set(bench.FILTER_PAGES) <= {p.url_path for p in pages}
    assert [p.url_path for p in bench.select_pages(pages, "overview,misconduct")] == ["overview", "misconduct"]


def test_rendered_condition_comes_from_conftest(bench):
    assert "exoChart" in bench.rendered_js() and "stPlotlyChart" in bench.rendered_js()


def test_import_timing_on_fixture(bench, tmp_path):
    s = bench.time_import(FIXTURES / "b_small.csv", 1, tmp_path)
    assert s.error is None
    assert len(s.values) == 1 and s.median > 0


def test_warm_rerun_of_default_page(bench, demo_db):
    page = next(p for p in bench.discover_pages() if p.default)
    out = bench.apptest_reruns(bench.APP, {"EXONERATIONS_DB": str(demo_db)}, [page], runs=1)
    assert out[""].error is None, out[""].error
    assert len(out[""].values) == 1


def test_floor_and_peer_rerun(bench, demo_db, tmp_path):
    csv_path = bench.export_cases_csv(demo_db, tmp_path / "cases.csv")
    floor = bench.apptest_reruns(bench.FLOOR_APP, {}, [None], runs=1)[""]
    peer = bench.apptest_reruns(bench.PEER_APP, {"PEER_CSV": str(csv_path)}, [None], runs=1)[""]
    assert floor.error is None and len(floor.values) == 1
    assert peer.error is None and len(peer.values) == 1


def test_table_has_figures_and_verdicts(bench):
    S = bench.Sample
    rerun = bench.Row("rerun", "Warm rerun, busiest page (ms)", "ms", floor=S([5.0]))
    rerun.app = {1: S([20.0, 25.0, 40.0]), 100: S([300.0])}
    rerun.peer = {1: S([90.0]), 100: S([600.0])}
    imp = bench.Row("import", "Import of the full export (s)", "s", app={1: S(error="import failed: x")})
    rows = [imp, rerun]
    bench.check_targets(rows)
    table = bench.render_table(rows, [1, 100], ["# header"], ["a note"])
    assert "| Figure | Floor | 1× app |" in table
    line = next(x for x in table.splitlines() if x.startswith("| Warm rerun"))
    assert "| 25 |" in line and "0.28×" in line and "≤ 30 ms at 1×: PASS" in line
    assert "≤ 250 ms at 100×: FAIL" in line and "≥ 3× better than peer at 100×: FAIL" in line
    assert "| error |" in table and "≤ 1 s: n/a" in table
    assert "- a note" in table


def test_page_load_target_uses_the_floor_measured_alongside(bench):
    """The floor loaded between the page's own loads, when there is one, decides "app − floor" and
    the floor target; without it the floor's own run does."""
    S = bench.Sample
    load = bench.Row("load", "Page load to rendered, slowest page (ms)", "ms", floor=S([400.0]))
    load.app = {1: S([780.0])}
    load.paired = {1: S([500.0, 510.0, 490.0])}
    alone = bench.Row("load", "Page load to rendered, slowest page (ms)", "ms", floor=S([400.0]))
    alone.app = {1: S([780.0])}
    bench.check_targets([load, alone])
    assert load.targets == [("within 0.3 s of floor at 1×", True)]
    assert alone.targets == [("within 0.3 s of floor at 1×", False)]
    table = bench.render_table([load], [1], [], [])
    assert "+0.28 s" in table and "| 400 |" in table  # the Floor column stays the floor's own run


def test_breakdown_of_default_page(bench, demo_db):
    spec = importlib.util.spec_from_file_location("bench_breakdown", ROOT / "bench" / "breakdown.py")
    bd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bd)
    page = next(p for p in bench.discover_pages() if p.default)
    row = bd.breakdown(demo_db, [page], runs=1)[page.title]
    assert "error" not in row, row
    assert set(bd.CATEGORIES) <= set(row) and row["total"] > 0
    assert "| " + page.title + " |" in bd.render({page.title: row}, "t")


@pytest.fixture(scope="module")
def elements():
    spec = importlib.util.spec_from_file_location("bench_elements", ROOT / "bench" / "elements.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_elements"] = mod
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop("bench_elements", None)


@pytest.mark.parametrize("kind", ["none", "chart", "st_chart", "dataframe", "metric", "markdown", "caption", "below_chart",
                                  "download", "expander"])
def test_element_page_draws_each_kind(elements, kind):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(elements.ELEMENT_APP), default_timeout=60)
    at.query_params["kind"] = kind
    at.query_params["n"] = "3"
    at.query_params["panel"] = "1"
    at.run()
    assert not at.exception and not at.error
    assert len(at.sidebar.multiselect) == 4  # the filter panel's widgets
    counts = {"chart": len(at.get("bidi_component")), "st_chart": len(at.get("plotly_chart")) - 1, "dataframe": len(at.dataframe), "metric": len(at.metric),
              "markdown": len(at.markdown) - 1, "caption": len(at.caption),
              "download": len(at.get("download_button")) - (kind == "below_chart") * 3,
              "expander": len(at.expander) - 1 - (kind == "below_chart") * 3,  # the filter panel is one
              "below_chart": min(len(at.get("download_button")), len(at.expander) - 1)}
    assert all(v == (3 if k == kind else 0) for k, v in counts.items()), counts
    at.sidebar.selectbox[0].set_value("Yes").run()  # a filter change redraws it
    assert not at.exception and "DNA: Yes" in at.markdown[0].value


def test_element_variants_and_table(elements):
    V = elements.Variant
    assert V.parse("chart:3+panel") == V("chart", 3, True)
    assert V.parse("none") == V("none", 0, False) and V.parse("metric") == V("metric", 1, False)
    assert V.parse("chart:3+panel").base == V("none", 0, True) and V.parse("none+panel").base == V("none", 0, False)
    with pytest.raises(ValueError):
        V.parse("chart:3+sidebar")
    R = elements.Result
    text = elements.table({V("none", 0, False): R([400, 410, 420], [60, 70]), V("chart", 2, False): R([500, 520], [120, 130])})
    row = next(line for line in text.splitlines() if line.startswith("| 2 × chart"))
    assert [c.strip() for c in row.strip("|").split("|")][1:] == ["510", "+100", "+50", "125", "+60", "+30"]


def _fake_page(*, waits, run_started: bool):
    """A stand-in for a Playwright page: `waits` are what successive wait_for_function calls give (an
    exception is raised); whether a run started after the click is what the page reports."""
    from unittest import mock

    page = mock.MagicMock()
    page.wait_for_function.side_effect = [
        w if isinstance(w, Exception) else mock.MagicMock(json_value=mock.MagicMock(return_value=dict(w)))
        for w in waits
    ]
    page.evaluate.side_effect = lambda js: (not run_started) if "start === null" in js else None
    return page


def test_filter_pick_is_made_again_when_no_run_started(bench):
    done = {"ms": 250.0, "to_start": 40.0, "script": 150.0, "draw": 60.0}
    page = _fake_page(waits=[TimeoutError("no run"), done], run_started=False)
    s = bench.Sample()
    bench._pick(page, "DNA exoneration", "Yes", "() => true", s)
    assert s.values == [250.0] and s.phases == [{"to_start": 40.0, "script": 150.0, "draw": 60.0}]
    option = page.get_by_role.return_value
    assert option.click.call_count == 2  # picked again
    page.keyboard.press.assert_called_once_with("Escape")  # the list left open by the missed click is closed
    assert [c.kwargs["timeout"] for c in page.wait_for_function.call_args_list] == [bench.NO_RUN_MS] * 2


def test_filter_pick_waits_for_a_run_that_started(bench):
    done = {"ms": 900.0, "to_start": 40.0, "script": 800.0, "draw": 60.0}
    page = _fake_page(waits=[TimeoutError("slow"), done], run_started=True)
    s = bench.Sample()
    bench._pick(page, "Death sentence", "No", "() => true", s)
    assert s.values == [900.0]
    assert page.get_by_role.return_value.click.call_count == 1  # not picked again: the run is waited for
    assert [c.kwargs["timeout"] for c in page.wait_for_function.call_args_list] == [bench.NO_RUN_MS, bench.WAIT_MS]


@pytest.mark.browser
def test_ab_compares_checkouts(demo_db, tmp_path, browser):
    """bench/ab.py: one round, the same checkout twice, one page load each, and the floor — in the
    suite's browser (a second sync Playwright in this process would refuse to start)."""
    spec = importlib.util.spec_from_file_location("bench_ab", ROOT / "bench" / "ab.py")
    ab = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ab)
    results = ab.measure([ROOT, ROOT], demo_db, ["misconduct"], loads=1, filters=False, rounds=1, log_dir=tmp_path,
                         browser=browser)
    assert len(results[(str(ROOT), "misconduct", "load")]) == 2  # both servers of the same checkout
    assert len(results[("floor", "misconduct", "load")]) == 1
    assert all(v > 0 for values in results.values() for v in values)
    assert "| floor | misconduct | load |" in ab.table(results)
