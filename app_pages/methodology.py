"""Methodology & data: the file loaded and its import warnings, loading another file, how to read the
figures, how they are counted, every code's definition, the `cases` table and the SQL behind every
chart."""

import hashlib
import re

import streamlit as st

from exonerations import db, glossary, ingest, pages, private, ui
from exonerations.findings import methodology

v = ui.view()
meta = v.meta

st.title(methodology.TITLE)
st.caption(
    "Where the figures come from, how to read them, exactly how they are counted, and the SQL behind "
    "every chart — so that any number in this app can be checked and cited."
)

# -- The data loaded ------------------------------------------------------------------------------
st.header("The data loaded")
if meta.is_demo:
    st.info(
        "This is the **synthetic demo dataset**: invented cases (“Demo Person 0001”, …) generated so the app "
        "can be tried without the registry file. No figure computed from it describes real exonerations. "
        "Load the registry's own file below.",
        icon=":material/info:",
    )
ui.table(methodology.file_facts(v), methodology.FILE_FACTS_LABEL)
missing = methodology.missing_fields(v)
if missing:
    st.caption(
        "Fields this layout does not have (figures that need them say *not in this file*, never 0): "
        + ui.md(", ".join(missing))
        + "."
    )
if meta.sha256:
    st.caption(
        "The SHA-256 fingerprint identifies the exact file: anyone holding the same file gets the same "
        "fingerprint and, with the same filters and as-of date, the same figures."
    )

st.subheader("Import warnings")
warnings = ui.import_warnings().rename(
    columns={"row_number": "Row", "column_name": "Column", "value": "Value", "message": "Message"}
)
if warnings.empty and meta.is_demo:
    st.caption("The demo data is generated, not imported, so there are no import warnings.")
elif warnings.empty:
    st.success("The import raised no warnings: every cell was read as expected.", icon=":material/check_circle:")
else:
    st.markdown(ui.md(methodology.warnings_summary(warnings)))
    # The list, sent only once opened: a long table is the slowest thing on this page to draw.
    with st.expander("Every warning, row by row", key="import_warnings_open", on_change="rerun") as listed:
        if listed.open:
            st.dataframe(warnings, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(warnings)))
    ui.csv_download(
        st,
        "Import warnings (CSV)",
        warnings,
        key="warnings_csv",
        file_name=f"import-warnings-{ui.file_stub(v, 'file')}.csv",
    )

# -- Load a registry file ----------------------------------------------------------------------------
st.header("Look at your own registry file")
st.markdown(
    "The registry does not publish a stable download link: request the data through the form on "
    "[exonerationregistry.org](https://exonerationregistry.org) and upload the CSV or XLSX file you receive. "
    "Every layout the registry has used is recognised from its header row. **Your file is yours alone**: it "
    "opens in your browser session only, nobody else sees its figures, and it is deleted from the server when "
    "you leave (or press *Back to the shared data*). The shared data stays exactly as it is."
)


def handle_upload(upload, key: str, replace_shared: bool) -> None:
    """Import an uploaded file once (keyed by its SHA-256) — privately, or for everyone in admin mode — and
    say what happened in one sentence."""
    ss = st.session_state
    data = upload.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    outcome = ss.get(key)
    if outcome is None or outcome[0] != sha:  # process each uploaded file once, not on every rerun
        if sha == meta.sha256:
            ss[key] = outcome = (
                sha,
                "info",
                f"{upload.name} is the file the app already shows (same SHA-256): nothing to do.",
            )
            st.info(ui.md(outcome[2]))
            return
        try:
            with st.spinner(f"Importing {upload.name}…"):
                parsed = ui.import_upload(data, upload.name) if replace_shared else ui.open_private(data, upload.name)
        except (ingest.RegistryFileError, private.Full) as e:
            outcome = (sha, "error", str(e))
        except Exception as e:  # noqa: BLE001 - the user gets one sentence, never a traceback
            outcome = (sha, "error", f"{upload.name} could not be imported ({type(e).__name__}): nothing was changed.")
        else:
            ss[key] = (sha, "success", methodology.imported_sentence(parsed, upload.name, replace_shared))
            st.rerun()  # every widget, cache and page now reads the file
        ss[key] = outcome
    kind, message = outcome[1], outcome[2]
    {"success": st.success, "info": st.info}.get(kind, st.error)(ui.md(message))
    if kind == "error":
        st.caption("Nothing was changed: " + ui.md(f"the app still shows {meta.file_name}."))


upload = st.file_uploader(
    f"Registry export — CSV or XLSX, up to {ui.MAX_UPLOAD_MB} MB",
    type=["csv", "xlsx"],
    key="registry_upload",
    max_upload_size=ui.MAX_UPLOAD_MB,
    help="Opens in your session only: nobody else sees it, and it is deleted when you leave.",
)
st.caption("A registry export is a few MB; larger files are refused here and on the command line alike.")
if upload is not None:
    handle_upload(upload, "_upload_outcome", replace_shared=False)

if ui.admin_mode():
    with st.expander("Replace the shared data (operator)", icon=":material/admin_panel_settings:"):
        st.caption(
            "For the operator of this app: the file replaces the data every visitor sees, by the same atomic "
            "import as the command line (a file that cannot be imported changes nothing)."
        )
        if not ui.admin_signed_in():
            ui.admin_sign_in()
        else:
            shared = st.file_uploader(
                "Registry export for everyone",
                type=["csv", "xlsx"],
                key="shared_upload",
                max_upload_size=ui.MAX_UPLOAD_MB,
            )
            if shared is not None:
                handle_upload(shared, "_shared_outcome", replace_shared=True)

# -- How to read these figures ------------------------------------------------------------------------
st.header("How to read these figures")
st.markdown(
    "The registry's own guidance, which every figure in this app follows:\n\n"
    + "\n".join(f"- {g}" for g in glossary.READING_GUIDANCE)
)

st.header("How the figures are computed")
st.markdown("\n".join(f"- {ui.md(point)}" for point in methodology.how_computed(v).splitlines()))

# -- Codes and definitions -------------------------------------------------------------------------------
st.header("Codes and definitions")
st.caption(
    "The registry's codes, the labels this app uses for them, and what they mean. The column is the "
    "name in the `cases` table (SQL console)."
)
code_tables = methodology.code_tables()
for tab, (_, about, table) in zip(st.tabs([label for label, _, _ in code_tables]), code_tables, strict=True):
    with tab:
        st.caption(about)
        st.html(table)  # every text escaped (fmt.html_table), labelled for a screen reader ("Codes: …")

# -- The cases table ----------------------------------------------------------------------------------------
readme = db.read_text(db.QUERIES_DIR / "README.md")
section = readme.split("## The `cases` table", 1)
if len(section) == 2:
    with st.expander(
        "The `cases` table: every column (for the SQL console)", key="doc_cases_table", on_change="rerun"
    ) as ex:
        if ex.open:  # long: sent only once opened, as the SQL below
            st.markdown(section[1].split("\n", 1)[1].strip())

# -- The SQL behind every chart -------------------------------------------------------------------------------
st.header("The SQL behind every chart")
st.markdown(
    "Each question is one SQL file in `queries/`, named as the question. Every filtered question starts from "
    "the shared `filtered(...)` macro, so the filters are defined once; parameters such as `$as_of` and "
    "`$states` are bound by DuckDB, never pasted into the SQL. A `NULL` parameter means “no limit”."
)


def header(sql: str) -> str:
    """The leading comment of a query file, as text."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


ui.sql_expander(
    st,
    "Shared definitions — `_macros.sql` (the `cases` view and the `filtered(...)` macro)",
    ("_macros",),
    key="sql_query__macros",
)
for name in db.query_names():
    sql = db.query_text(name)
    text = header(sql)
    what = text.split(":", 1)[1].strip() if text.startswith(f"{name}:") else text
    first = re.split(r"(?<=[.?!])\s| — ", what, maxsplit=1)[0].rstrip(".") if what else ""
    with st.expander(f"`{name}` — {first}" if first else f"`{name}`", key=f"sql_query_{name}", on_change="rerun") as ex:
        if not ex.open:  # each query's text is sent only once its expander is opened
            continue
        used = [p.title for p in pages.using(name)]
        if used:
            st.caption("Used on: " + ", ".join(used) + ".")
        st.markdown(what[:1].upper() + what[1:])
        st.code(sql, language="sql")
