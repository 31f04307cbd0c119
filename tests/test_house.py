"""House rules checked on the tree: an ordinary Streamlit app (no Streamlit internals, documented config
options only), short functions, a Streamlit-free findings layer, pages defined once, a README for users,
runtime-only requirements — and every share the pages print has its numerator inside its denominator."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from exonerations import fmt, pages

APP_SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "app_pages").glob("*.py")),
    *sorted((ROOT / "exonerations").rglob("*.py")),
]
INTERNALS = re.compile(r"^\s*(?:from|import)\s+streamlit\.(runtime|proto|elements|web|delta_generator)\b", re.M)


def test_the_app_uses_no_streamlit_internals():
    offenders = [str(p.relative_to(ROOT)) for p in APP_SOURCES if INTERNALS.search(p.read_text(encoding="utf-8"))]
    assert not offenders


def test_findings_layer_does_not_import_streamlit():
    for p in [*(ROOT / "exonerations" / "findings").glob("*.py"), ROOT / "exonerations" / "fmt.py"]:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n == "streamlit" or n.startswith("streamlit.")], p.name


def test_config_has_documented_options_only():
    import streamlit.config as config  # the registry of options, read here to check the project's file

    options = config._config_options_template
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    keys = [f"{section}.{key}" for section, values in cfg.items() for key in values]
    assert keys
    for key in keys:
        assert key in options, f"{key} is not a Streamlit option"
        assert options[key].visibility == "visible" and not options[key].deprecated, f"{key} is hidden or deprecated"
    assert cfg.get("server", {}).get("fileWatcherType", "auto") != "none"  # the development loop stays on


@pytest.mark.parametrize("top", ["app.py", "app_pages", "exonerations", "bench"])
def test_no_function_over_80_lines(top):
    paths = [ROOT / top] if top.endswith(".py") else sorted((ROOT / top).rglob("*.py"))
    long = []
    for p in paths:
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > 80:
                long.append(f"{p.relative_to(ROOT)}:{n.lineno} {n.name}")
    assert not long


def test_readme_is_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 160


def test_requirements_are_runtime_only_and_dev_adds_the_tools():
    runtime = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for tool in ("pytest", "playwright", "hypothesis", "ruff", "xdist"):
        assert tool not in runtime, tool
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").lower()
    assert "-r requirements.txt" in dev and "pytest" in dev
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = {ln.split("==")[0].strip().lower() for ln in runtime.splitlines() if "==" in ln}
    assert {re.split(r"[<>=]", d)[0].strip().lower() for d in declared} <= pinned


def test_pages_are_defined_once():
    files = {p.name for p in (ROOT / "app_pages").glob("*.py")}
    assert files == {p.file for p in pages.PAGES}
    assert len({p.url_path for p in pages.PAGES}) == len(pages.PAGES)
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "pages.sections()" in app and 'st.Page("' not in app
    from exonerations import db

    names = set(db.query_names())
    for p in pages.PAGES:
        assert set(p.queries) <= names, p.title


# ---------------------------------------------------------------------------------------------
# Every share printed: the numerator is inside its denominator

SHARE_VIEWS = [
    ("overview", {}),
    ("overview", {"as_of": "2026-02-05"}),
    ("overview", {"dna": "yes"}),
    ("misconduct", {}),
    ("misconduct", {"tab": "together"}),
    ("misconduct", {"tab": "where"}),
    ("misconduct", {"pre1989": "yes"}),
    ("over_time", {}),
    ("over_time", {"period": "5"}),
    ("geography", {}),
    ("new_york", {}),
    ("new_york", {"from": "2010", "to": "2015"}),
    ("human_cost", {}),
    ("claims", {}),
    ("briefing", {}),
]


def test_every_share_the_pages_print_has_its_part_within_its_whole(full_db, monkeypatch):
    """Every share the pages format goes through fmt.share; recorded while every page runs on the real
    export under several filters, none has a part larger than its whole (or negative)."""
    seen: list[tuple] = []
    original = fmt.share

    def recording(part, whole):
        seen.append((part, whole))
        return original(part, whole)

    monkeypatch.setattr(fmt, "share", recording)
    monkeypatch.setenv("EXONERATIONS_DB", str(full_db))
    for page, query in SHARE_VIEWS:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, query)
    shares = [(p, w) for p, w in seen if not fmt.missing(p) and not fmt.missing(w) and w]
    assert len(shares) > 200
    bad = [(p, w) for p, w in shares if not 0 <= float(p) <= float(w)]
    assert not bad, bad[:10]


def test_source_files_are_files():
    assert all(isinstance(p, Path) and p.is_file() for p in APP_SOURCES)
