"""A deterministic synthetic dataset in the registry's schema, for demos, tests and benchmarks.

Every name is obviously fake ("Demo Person 0001"); rates and co-occurrences are hand-set to look like
a registry of this kind, not taken from any real file. Same `scale` → byte-identical table.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from . import ingest

BASE_ROWS = 3_850
SEED = 20260205
FIRST_POSTING = dt.date(2011, 8, 29)
LAST_POSTING = dt.date(2026, 6, 30)

# (state, weight). Hand-set; a few federal jurisdictions stand in for the registry's "Fed-XX".
STATES = (
    ("Illinois", 15), ("Texas", 13), ("New York", 10), ("California", 9), ("Michigan", 6),
    ("Pennsylvania", 4), ("Massachusetts", 3), ("Ohio", 4), ("Florida", 3), ("Louisiana", 3),
    ("North Carolina", 3), ("New Jersey", 2), ("Virginia", 2), ("Wisconsin", 2), ("Maryland", 2),
    ("Georgia", 2), ("Missouri", 2), ("Washington", 2), ("Indiana", 1.5), ("Oklahoma", 1.2),
    ("Alabama", 1.2), ("Connecticut", 1.2), ("Oregon", 1.2), ("Tennessee", 1.1), ("Minnesota", 1),
    ("Mississippi", 0.8), ("Arizona", 0.7), ("Kentucky", 0.6), ("Nevada", 0.6), ("Kansas", 0.6),
    ("Utah", 0.6), ("New Mexico", 0.5), ("Colorado", 0.5), ("Iowa", 0.5), ("Montana", 0.4),
    ("South Carolina", 0.4), ("West Virginia", 0.4), ("Arkansas", 0.4), ("Nebraska", 0.3),
    ("Rhode Island", 0.3), ("Alaska", 0.2), ("Idaho", 0.2), ("Hawaii", 0.2), ("Maine", 0.2),
    ("Vermont", 0.2), ("South Dakota", 0.15), ("North Dakota", 0.1), ("New Hampshire", 0.1),
    ("Delaware", 0.1), ("Wyoming", 0.1), ("District of Columbia", 0.8), ("Puerto Rico", 0.2),
    ("Fed-NY", 0.5), ("Fed-CA", 0.4), ("Fed-IL", 0.3), ("Fed-DC", 0.15), ("Fed-Military", 0.2),
)
CRIMES = (
    ("Murder", 45), ("Drug Possession or Sale", 16), ("Sexual Assault", 11), ("Child Sex Abuse", 9),
    ("Robbery", 7), ("Assault", 4), ("Attempted Murder", 3), ("Manslaughter", 2),
    ("Weapon Possession or Sale", 2), ("Fraud", 1.5), ("Burglary", 1), ("Theft", 0.8), ("Arson", 0.7),
    ("Kidnapping", 0.6), ("Other Nonviolent Felony", 1.2),
)
RACES = (("Black", 52), ("White", 33), ("Hispanic", 12), ("Don't Know", 1.6), ("Asian", 0.8),
         ("Native American", 0.6))
SENTENCES = (("Term of Years", 62), ("Life", 16), ("Life without parole", 8), ("Probation", 5),
             ("Not Sentenced", 4), ("Death", 5))


def _pick(rng: np.random.Generator, options, n: int) -> np.ndarray:
    names = np.array([o[0] for o in options], dtype=object)
    w = np.array([o[1] for o in options], dtype=float)
    return names[rng.choice(len(names), size=n, p=w / w.sum())]


def generate(scale: float = 1) -> pa.Table:
    """The synthetic table: about BASE_ROWS × scale cases."""
    n = max(50, int(round(BASE_ROWS * scale)))
    rng = np.random.default_rng(SEED)
    ids = np.arange(1, n + 1)
    width = max(4, len(str(n)))

    state = _pick(rng, STATES, n)
    federal = np.array([s.startswith("Fed") for s in state])
    county_no = rng.integers(1, 9, size=n)
    crime = _pick(rng, CRIMES, n)
    race = _pick(rng, RACES, n)
    female = rng.random(n) < 0.085
    age = rng.integers(14, 66, size=n).astype(float)
    age[rng.random(n) < 0.03] = np.nan

    pre = rng.random(n) < 0.11
    # Exonerations per year grow over time; the last year is only partly in (the data ends mid-year).
    years = np.arange(1989, LAST_POSTING.year + 1)
    weight = (years - 1985.0) ** 1.3
    weight[-1] *= LAST_POSTING.timetuple().tm_yday / 365
    exon_year = np.where(pre, rng.integers(1900, 1989, size=n), rng.choice(years, size=n, p=weight / weight.sum()))
    served = np.clip(rng.gamma(1.6, 6.5, size=n), 0, 48)
    conv_year = exon_year - np.ceil(served).astype(int)
    crime_year = conv_year - rng.integers(0, 3, size=n)
    last_day = np.where(exon_year == LAST_POSTING.year, LAST_POSTING.timetuple().tm_yday - 1, 365)
    exon_doy = (rng.random(n) * last_day).astype(int)
    years_lost = np.round(served * rng.uniform(0.7, 1.0, size=n), 1)
    exon_ord = np.array([dt.date(int(y), 1, 1).toordinal() for y in exon_year]) + exon_doy

    # Posting: cases exonerated before the registry's launch were posted in its first batch; later
    # ones some weeks or months after their exoneration, never after the data's last day.
    first, last = FIRST_POSTING.toordinal(), LAST_POSTING.toordinal()
    lag = rng.gamma(1.5, 60, size=n).astype(int)
    posted = np.where(exon_ord < first, first, np.minimum(exon_ord + lag, last))
    posted = np.where(pre, dt.date(2018, 3, 13).toordinal(), posted)

    homicide = np.isin(crime, ["Murder", "Manslaughter", "Attempted Murder"])
    sexual = np.isin(crime, ["Sexual Assault", "Child Sex Abuse"])
    u = rng.random
    dna = (u(n) < np.where(sexual, 0.42, np.where(homicide, 0.14, 0.02))) & ~pre
    mwid = u(n) < np.where(sexual, 0.55, np.where(crime == "Robbery", 0.7, 0.22))
    fc = u(n) < np.where(homicide, 0.2, 0.06)
    fmfe = u(n) < np.where(dna, 0.55, 0.2)
    pfa = u(n) < np.where(mwid, 0.45, 0.78)
    om = u(n) < np.where(homicide, 0.72, np.where(crime == "Drug Possession or Sale", 0.8, 0.45))
    om &= ~(pre & (u(n) < 0.5))
    ild = u(n) < 0.27
    death = (u(n) < np.where(homicide, 0.11, 0.0)) & ~pre
    sentence = _pick(rng, SENTENCES[:-1], n)
    sentence = np.where(death, "Death", sentence)

    police = om & (u(n) < 0.73)
    prosecutor = om & (u(n) < np.where(police, 0.48, 0.7))
    forensic = om & (u(n) < np.where(fmfe, 0.12, 0.01))
    child = om & (crime == "Child Sex Abuse") & (u(n) < 0.2)
    withheld = om & (u(n) < 0.8)
    not_withholding = om & (u(n) < np.where(withheld, 0.75, 0.95))
    permitted = prosecutor & (u(n) < 0.25)
    tampering = om & (u(n) < np.where(police, 0.45, 0.15))
    interrogation = om & fc & (u(n) < 0.6)
    perjury_official = om & (u(n) < np.where(police, 0.33, 0.08))
    lied = prosecutor & (u(n) < 0.17)

    tag_rules = (
        ("H", homicide), ("SA", sexual), ("CV", (crime == "Child Sex Abuse") | (u(n) < 0.12)),
        ("F", female), ("FED", federal), ("IO", u(n) < 0.3), ("CIU", u(n) < 0.2),
        ("NC", (crime == "Drug Possession or Sale") | (u(n) < 0.1)), ("P", u(n) < 0.22),
        ("JV", age < 18), ("JI", u(n) < 0.07), ("CDC", u(n) < 0.13), ("A", crime == "Arson"),
        ("PH", u(n) < 0.008), ("SBS", u(n) < 0.01), ("BM", u(n) < 0.008), ("M", u(n) < 0.03),
        ("CSH", (crime == "Child Sex Abuse") & (u(n) < 0.15)),
    )
    tag_matrix = np.column_stack([m for _, m in tag_rules])
    tag_codes = [c for c, _ in tag_rules]
    tags = [[tag_codes[j] for j in np.flatnonzero(r)] for r in tag_matrix]
    for t in tags:
        t.sort()

    posting = [dt.date.fromordinal(int(o)) for o in posted]
    exon_date = [dt.date.fromordinal(int(o)) for o in exon_ord]

    cols = {
        "case_id": [f"D{i}" for i in ids],
        "nre_id": pa.nulls(n, pa.int64()),
        "name": [f"Demo Person {i:0{width}d}" for i in ids],
        "state": state,
        "county": [f"Demo County {c}" for c in county_no],
        "federal": federal,
        "sex": np.where(female, "Female", "Male"),
        "race": race,
        "age": pa.array(age, type=pa.float64(), from_pandas=True).cast(pa.int32()),
        "worst_crime": crime,
        "other_crimes": [[] for _ in ids],
        "sentence": sentence,
        "death_sentence": death,
        "crime_year": crime_year.astype(np.int32),
        "crime_date": pa.nulls(n, pa.date32()),
        "conviction_year": conv_year.astype(np.int32),
        "conviction_date": pa.nulls(n, pa.date32()),
        "exoneration_year": exon_year.astype(np.int32),
        "exoneration_date": exon_date,
        "release_date": pa.nulls(n, pa.date32()),
        "years_lost": years_lost,
        "posting_date": posting,
        "last_update_date": pa.nulls(n, pa.date32()),
        "pre_1989": pre,
        "group_exoneration": np.zeros(n, dtype=bool),
        "official_misconduct": om,
        "perjury_or_false_accusation": pfa,
        "mistaken_witness_id": mwid,
        "false_or_misleading_forensic_evidence": fmfe,
        "inadequate_legal_defense": ild,
        "false_confession": fc,
        "dna": dna,
        "dna_involved": dna | (u(n) < 0.03),
        "om_police": police,
        "om_prosecutor": prosecutor,
        "om_forensic_analyst": forensic,
        "om_child_welfare": child,
        "om_withheld_evidence": withheld,
        "om_not_withholding": not_withholding,
        "om_prosecutor_permitted_perjury": permitted,
        "om_witness_tampering": tampering,
        "om_interrogation": interrogation,
        "om_perjury_by_official": perjury_official,
        "om_prosecutor_lied": lied,
        "tags": tags,
        "source_row": (ids + 1).astype(np.int32),
    }
    assert set(cols) == set(ingest.FIELD_NAMES)
    arrays = [pa.array(cols[name], type=typ) if not isinstance(cols[name], pa.Array) else cols[name]
              for name, typ in ingest.FIELDS]
    return pa.Table.from_arrays(arrays, schema=ingest.SCHEMA)


def meta(table: pa.Table, scale: float) -> dict:
    posting = table.column("posting_date")
    return {
        "dataset": "demo",
        "file_name": f"synthetic demo data (scale {scale:g})",
        "sha256": "",
        "layout": "demo",
        "layout_name": "synthetic demo data",
        "encoding": "",
        "rows": str(table.num_rows),
        "warnings": "0",
        "available": sorted(set(ingest.FIELD_NAMES) - {"nre_id", "crime_date", "conviction_date",
                                                       "release_date", "last_update_date"}),
        "posting_min": min(posting.to_pylist()).isoformat(),
        "posting_max": max(posting.to_pylist()).isoformat(),
        "imported_at": "",
    }


def build_demo(path, scale: float = 1):
    from . import db

    table = generate(scale)
    db.build(table, path, meta(table, scale))
    return table

