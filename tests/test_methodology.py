"""The Methodology & data page (file facts, import warnings, codes, SQL of every query, upload) and the
SQL console page, in AppTest; plus the upload handler called directly."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, filters, need_full_export, page_tables, read_full_export_rows
from streamlit.testing.v1 import AppTest

from exonerations import db, glossary, ingest, runs, ui


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def page(db_path, monkeypatch, path: str) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(path)
    return at.run()


def methodology(db_path, monkeypatch) -> AppTest:
    return page(db_path, monkeypatch, "app_pages/methodology.py")


def unescape(text: str) -> str:
    import re

    return re.sub(r"\\(.)", r"\1", text)


def markdown_text(at: AppTest) -> str:
    """The page's text as a reader sees it (escapes removed), a table's rows as `| a | b |` lines."""
    rows = ["| " + " | ".join([str(c) for c in row]) + " |" for t in page_tables(at) for row in t.values.tolist()]
    return "\n".join([*(unescape(m.value) for m in at.markdown), *rows])


def warning_count_shown(at: AppTest) -> int:
    facts = next(t for t in page_tables(at) if t.attrs["label"] == "The loaded file")
    return int(dict(facts.values.tolist())["Import warnings"].replace(",", ""))


def check_page_lists_codes_and_queries(at: AppTest) -> None:
    tables = page_tables(at)
    codes = {c for t in tables if "Code" in t.columns for c in t["Code"].tolist()}
    assert {c.code for c in glossary.FACTORS + glossary.MISCONDUCT + glossary.TAGS} <= codes
    labels = [e.label for e in at.expander]
    for name in db.query_names():
        assert any(f"`{name}`" in lab for lab in labels), name
    # The SQL is sent only once an expander is opened; opened, each shows its query's exact text.
    assert not any(db.query_text(name).strip() == c.value.strip() for c in at.code for name in db.query_names())
    for name in db.query_names():
        at.session_state[f"sql_query_{name}"] = True
    at.run()
    assert not at.exception
    code_blocks = [c.value.strip() for c in at.code]
    for name in db.query_names():
        assert db.query_text(name).strip() in code_blocks
    text = markdown_text(at)
    for guidance in glossary.READING_GUIDANCE:
        assert guidance in text


def test_demo(demo_db, monkeypatch):
    at = methodology(demo_db, monkeypatch)
    assert not at.exception
    assert any("synthetic demo dataset" in i.value for i in at.info)
    assert warning_count_shown(at) == 0
    check_page_lists_codes_and_queries(at)


def test_fixture_file_facts(small_db, monkeypatch):
    at = methodology(small_db, monkeypatch)
    assert not at.exception
    text = markdown_text(at)
    assert sha(FIXTURES / "b_small.csv") in text
    assert "b_small.csv" in text and "full export (layout B)" in text
    independent = ingest.parse((FIXTURES / "b_small.csv").read_bytes(), "b_small.csv")
    assert warning_count_shown(at) == len(independent.warnings)
    assert not any("synthetic demo dataset" in i.value for i in at.info)
    check_page_lists_codes_and_queries(at)


def test_a_rerun_reads_the_warnings_and_makes_the_code_tables_no_more(small_db, monkeypatch):
    """The import warnings are read once per database file (cached as the queries are) and the code
    tables made once per process: a rerun of the page (a panel opened, a widget) only sends them."""
    from exonerations import fmt

    ui._warnings.clear()
    made = []
    for module, name in ((db.Registry, "warnings"), (fmt, "html_table")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: made.append(_name) or _real(*a, **k))
    at = methodology(small_db, monkeypatch)
    assert not at.exception and "warnings" in made
    shown = [h.proto.body for h in at.get("html")]
    made.clear()
    at.run()
    assert made == ["html_table"]  # the file's own facts only
    assert [h.proto.body for h in at.get("html")] == shown


def test_full_export_facts_and_warnings(full_db, monkeypatch):
    src = need_full_export()
    at = methodology(full_db, monkeypatch)
    assert not at.exception
    text = markdown_text(at)
    assert sha(src) in text
    independent = ingest.parse(src.read_bytes(), src.name)
    n = len(independent.warnings)
    assert warning_count_shown(at) == n
    if n:
        assert not at.dataframe  # the list is sent only once its expander is opened
        at.session_state["import_warnings_open"] = True
        at.run()
        shown = at.dataframe[0].value
        assert list(shown.columns) == ["Row", "Column", "Value", "Message"]
        assert len(shown) == n
        assert shown["Row"].tolist() == [w.row for w in independent.warnings]
        assert f"{n:,} warning" in text
        assert any(b.label == "Import warnings (CSV)" for b in at.get("download_button"))
    assert f"| Cases (rows) | {len(read_full_export_rows()):,} |" in text


# ---------------------------------------------------------------------------------------------
# Upload (AppTest supports st.file_uploader in this Streamlit version)


@pytest.fixture
def scratch_db(small_db, tmp_path):
    path = tmp_path / "scratch.duckdb"
    shutil.copy(small_db, path)
    return path


def uploader(at: AppTest):
    return at.get("file_uploader")[0]


def headline_text(at: AppTest) -> str:
    return unescape(next(m.value for m in at.markdown if m.value.startswith("### ")))


def test_upload_opens_privately_and_changes_nothing_for_others(scratch_db, monkeypatch):
    """A visitor's upload is theirs alone: imported into a private database, a banner on every page, the
    shared file byte-identical, another session still on the shared figures; back with one click, and the
    private database is gone."""
    from exonerations import private

    at = methodology(scratch_db, monkeypatch)
    before = sha(scratch_db)
    data = (FIXTURES / "a_2023.csv").read_bytes()
    uploader(at).set_value(("a_2023.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert sha(scratch_db) == before
    msg = next(unescape(s.value) for s in at.success if "Imported" in s.value)
    independent = ingest.parse(data, "a_2023.csv")
    assert f"{independent.layout_name}, {independent.rows:,} cases" in msg and "Only you see" in msg
    assert hashlib.sha256(data).hexdigest() in markdown_text(at)  # this page now describes the visitor's file
    assert any("Your file" in m.value and "only you see these figures" in m.value for m in at.markdown)
    mine = at.session_state["_private"].path
    assert mine in private.STORE and mine != str(scratch_db)
    at.switch_page("app_pages/overview.py").run()  # the banner is on every page
    assert any("only you see these figures" in m.value for m in at.markdown)
    # processed once: another run with the same file in the uploader does not import it again
    at.switch_page("app_pages/methodology.py").run()
    assert at.session_state["_private"].path == mine
    # another visitor, at the same time, sees the shared data
    other = methodology(scratch_db, monkeypatch)
    assert "b_small.csv" in markdown_text(other) and hashlib.sha256(data).hexdigest() not in markdown_text(other)
    # one click back
    at.button(key="leave_private").click().run()
    assert not at.exception and "_private" not in at.session_state
    assert mine not in private.STORE and not Path(mine).exists()
    assert "b_small.csv" in markdown_text(at)
    assert sha(scratch_db) == before


def test_private_file_is_removed_when_its_session_ends(scratch_db, monkeypatch):
    from exonerations import private

    at = methodology(scratch_db, monkeypatch)
    uploader(at).set_value(("a_2023.csv", (FIXTURES / "a_2023.csv").read_bytes(), "text/csv"))
    at.run()
    mine = at.session_state["_private"].path
    assert Path(mine).exists()
    del at  # Streamlit drops a session's state when the session ends; the next full collection finds it
    runs.COLLECTOR.full()
    assert mine not in private.STORE and not Path(mine).exists()


def test_private_files_are_bounded_per_server(scratch_db, monkeypatch):
    from exonerations import private

    monkeypatch.setattr(private.STORE, "limit", 1)
    first = methodology(scratch_db, monkeypatch)
    uploader(first).set_value(("a_2023.csv", (FIXTURES / "a_2023.csv").read_bytes(), "text/csv"))
    first.run()
    second = methodology(scratch_db, monkeypatch)
    uploader(second).set_value(("a_2023.csv", (FIXTURES / "a_2023.csv").read_bytes(), "text/csv"))
    second.run()
    assert not second.exception
    errors = [unescape(e.value) for e in second.error]
    assert len(errors) == 1 and "limit" in errors[0] and "\n" not in errors[0]
    assert "_private" not in second.session_state
    first.button(key="leave_private").click().run()


def test_admin_mode_replaces_the_shared_data_for_everyone(scratch_db, monkeypatch):
    """With admin mode on (the operator's password in the environment), a signed-in operator's upload
    replaces the shared database atomically; a wrong password changes nothing."""
    monkeypatch.setenv("EXONERATIONS_ADMIN_PASSWORD", "s3cret")
    at = methodology(scratch_db, monkeypatch)
    before = sha(scratch_db)
    assert "Replace the shared data (operator)" in [e.label for e in at.expander]
    at.text_input[0].set_value("wrong")  # inside a form: sent with its submit button
    at.button[[b.label for b in at.button].index("Sign in")].click().run()
    assert any("not the operator's password" in e.value for e in at.error)
    assert not at.get("file_uploader")[1:] and sha(scratch_db) == before
    at.text_input[0].set_value("s3cret")
    at.button[[b.label for b in at.button].index("Sign in")].click().run()
    shared = [u for u in at.get("file_uploader") if u.proto.label == "Registry export for everyone"]
    assert shared
    shared[0].set_value(("a_2023.csv", (FIXTURES / "a_2023.csv").read_bytes(), "text/csv"))
    at.run()
    assert not at.exception and sha(scratch_db) != before
    assert any("Every visitor now sees this file" in unescape(s.value) for s in at.success)
    other = methodology(scratch_db, monkeypatch)  # another visitor now sees the new file
    assert "a_2023.csv" in markdown_text(other)


def test_admin_mode_is_off_without_a_secret(scratch_db, monkeypatch):
    monkeypatch.delenv("EXONERATIONS_ADMIN_PASSWORD", raising=False)
    at = methodology(scratch_db, monkeypatch)
    assert "Replace the shared data (operator)" not in [e.label for e in at.expander]


@pytest.mark.parametrize(
    "name,data",
    [
        ("wrong.csv", b"a,b,c\n1,2,3\n"),
        ("empty.csv", b""),
        ("cut.xlsx", b"PK\x03\x04 not really a workbook"),
    ],
)
def test_upload_bad_file_one_sentence_db_untouched(scratch_db, monkeypatch, name, data):
    at = methodology(scratch_db, monkeypatch)
    before = sha(scratch_db)
    uploader(at).set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert sha(scratch_db) == before
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    with pytest.raises(ingest.RegistryFileError) as expected:
        ingest.parse(data, name)
    assert unescape(errors[0]) == str(expected.value)
    assert "\n" not in errors[0] and "Traceback" not in errors[0]
    assert "b_small.csv" in markdown_text(at)  # still the old data


def test_upload_same_file_as_loaded_does_nothing(scratch_db, monkeypatch):
    at = methodology(scratch_db, monkeypatch)
    stamp = scratch_db.stat().st_mtime_ns
    uploader(at).set_value(("again.csv", (FIXTURES / "b_small.csv").read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("already shows" in unescape(i.value) for i in at.info)
    assert scratch_db.stat().st_mtime_ns == stamp and "_private" not in at.session_state


def test_import_upload_handler_directly(small_db, tmp_path):
    path = tmp_path / "direct.duckdb"
    shutil.copy(small_db, path)
    before = sha(path)
    with pytest.raises(ingest.RegistryFileError):
        ui.import_upload(b"not,a,registry\n1,2,3\n", "x.csv", path)
    assert sha(path) == before
    too_big = b"x" * (ingest.MAX_FILE_BYTES + 1)
    with pytest.raises(ingest.RegistryFileError, match="over the 50 MB limit"):
        ui.import_upload(too_big, "big.csv", path)
    assert sha(path) == before
    imported = ui.import_upload((FIXTURES / "a_2015_cp1252.csv").read_bytes(), "a_2015_cp1252.csv", path)
    assert sha(path) != before
    parsed = ingest.parse((FIXTURES / "a_2015_cp1252.csv").read_bytes(), "a_2015_cp1252.csv")
    reg = db.Registry(path)
    try:
        assert reg.meta.sha256 == sha(FIXTURES / "a_2015_cp1252.csv") and not reg.meta.is_demo
        assert reg.meta.rows == parsed.rows == imported.rows and reg.meta.warnings == parsed.warnings_total
    finally:
        reg.close()


def test_an_upload_that_inflates_is_refused_at_once(small_db, tmp_path):
    """A small workbook that unzips to far more than a registry export is refused before it is read
    (it cost 47-60 s of the server's CPU): one sentence, in well under a second."""
    import io
    import time
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<c>" + "0" * 120_000_000 + "</c>")
    data = buf.getvalue()
    assert len(data) < 1_000_000
    t = time.perf_counter()
    with pytest.raises(ingest.RegistryFileError, match="expands to far more data"):
        ingest.parse(data, "bomb.xlsx")
    assert time.perf_counter() - t < 1.0


def test_millions_of_row_warnings_keep_a_few_thousand(tmp_path):
    """A file with a warning on every row keeps at most MAX_WARNINGS_KEPT of them (and their number)."""
    header = (FIXTURES / "b_small.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    cols = header.split(",")
    rows = []
    for i in range(ingest.MAX_WARNINGS_KEPT + 500):
        cells = {c: "" for c in cols}
        cells.update(
            {
                "ID": str(100000 + i),
                "Name": f"Person {i}",
                "State": "Texas",
                "Posting Date": "1/2/2020",
                "Pre-1989": "No",
                "Official Misconduct": "Yes",
                "Worst Crime Display": "Murder",
                "Years Lost": "-5",
            }
        )
        rows.append(",".join(cells[c] for c in cols))
    parsed = ingest.parse(("\n".join([header, *rows]) + "\n").encode(), "many.csv")
    assert len(parsed.warnings) <= ingest.MAX_WARNINGS_KEPT + 3
    assert parsed.warnings_total >= ingest.MAX_WARNINGS_KEPT + 500
    assert "more row-level warnings" in parsed.warnings[-1].message


def test_upload_limit_matches_server_config():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["maxUploadSize"] == ui.MAX_UPLOAD_MB


# ---------------------------------------------------------------------------------------------
# SQL console page


def sql_page(db_path, monkeypatch) -> AppTest:
    return page(db_path, monkeypatch, "app_pages/sql_console.py")


def test_sql_console_runs_example_and_query(small_db, monkeypatch):
    at = sql_page(small_db, monkeypatch)
    assert not at.exception
    assert len(at.dataframe) == 1  # the example ran on the first visit
    at.text_area(key="sql_text").set_value("select state, count(*) as n from cases group by state order by state")
    at.button[[b.label for b in at.button].index("Run")].click()
    at.run()
    assert not at.exception and not at.error
    df = at.dataframe[0].value
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert df["state"].tolist() == sorted({r["State"].strip() for r in rows})
    assert int(df["n"].sum()) == len(rows)
    assert any(f"{len(df)} rows" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "sql",
    ["drop view cases", "select * from read_text('/etc/passwd')", "select 1; select 2", "attach '/tmp/x.duckdb' as x"],
)
def test_sql_console_refuses_with_one_sentence(small_db, monkeypatch, sql):
    before = sha(small_db)
    at = sql_page(small_db, monkeypatch)
    at.text_area(key="sql_text").set_value(sql)
    at.button[[b.label for b in at.button].index("Run")].click()
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert not at.dataframe
    assert sha(small_db) == before
    # and the console still works
    at.text_area(key="sql_text").set_value("select count(*) as n from cases")
    at.button[[b.label for b in at.button].index("Run")].click()
    at.run()
    assert not at.error and len(at.dataframe) == 1


def test_sql_console_sidebar_filters_button(small_db, monkeypatch):
    at = sql_page(small_db, monkeypatch)
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    at.button[[b.label for b in at.button].index("Start from the sidebar's filters")].click()
    at.run()
    assert "['New York']" in at.text_area(key="sql_text").value
    at.button[[b.label for b in at.button].index("Run")].click()
    at.run()
    assert not at.exception and not at.error
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        ny = [r for r in csv.DictReader(f) if r["State"].strip() == "New York" and r["Pre-1989"].strip() != "Yes"]
    result = at.dataframe[0].value
    assert result["state"].tolist() == ["New York"] and int(result["exonerations"].sum()) == len(ny)
    assert int(result["with_misconduct"].sum()) == sum(r["Official Misconduct"] == "Yes" for r in ny)


def test_sql_console_opening_query_follows_the_sidebar(small_db, monkeypatch):
    """The console's default query is written with the sidebar's filters (a state, here) and runs."""
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["state"] = "Texas"
    at.run()
    at.switch_page("app_pages/sql_console.py").run()
    assert "['Texas']" in at.text_area(key="sql_text").value
    assert at.dataframe[0].value["state"].tolist() == ["Texas"]


def test_sql_console_link_carries_the_query(small_db, monkeypatch):
    at = sql_page(small_db, monkeypatch)
    at.text_area(key="sql_text").set_value("select 41 + 1 as answer")
    at.button[[b.label for b in at.button].index("Run")].click()
    at.run()
    link = at.query_params["sql"]
    link = link[0] if isinstance(link, list) else link
    assert link == "select 41 + 1 as answer"
    # a new session opened with that link shows the same result
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    again.query_params["sql"] = link
    again.run()
    again.switch_page("app_pages/sql_console.py")
    again.run()
    assert not again.exception
    # a query from a link is shown, and runs only when the reader presses Run
    assert again.text_area(key="sql_text").value == link and not again.dataframe
    assert any("press Run" in i.value for i in again.info)
    again.button[[b.label for b in again.button].index("Run")].click()
    again.run()
    assert again.dataframe[0].value["answer"].tolist() == [42]
