"""A deterministic synthetic dataset in the registry's schema, for demos, tests and benchmarks.

Every name is obviously fake ("Demo Person 0001"); rates and co-occurrences are hand-set to look like
a registry of this kind, not taken from any real file. Same `scale` → byte-identical table.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from . import glossary, ingest

BASE_ROWS = 3_850
SEED = 20260205
FIRST_POSTING = dt.date(2011, 8, 29)
LAST_POSTING = dt.date(2026, 6, 30)

# (state, weight). Hand-set; a few federal jurisdictions stand in for the registry's "Fed-XX".
STATES = (
    ("Illinois", 15),
    ("Texas", 13),
    ("New York", 10),
    ("California", 9),
    ("Michigan", 6),
    ("Pennsylvania", 4),
    ("Massachusetts", 3),
    ("Ohio", 4),
    ("Florida", 3),
    ("Louisiana", 3),
    ("North Carolina", 3),
    ("New Jersey", 2),
    ("Virginia", 2),
    ("Wisconsin", 2),
    ("Maryland", 2),
    ("Georgia", 2),
    ("Missouri", 2),
    ("Washington", 2),
    ("Indiana", 1.5),
    ("Oklahoma", 1.2),
    ("Alabama", 1.2),
    ("Connecticut", 1.2),
    ("Oregon", 1.2),
    ("Tennessee", 1.1),
    ("Minnesota", 1),
    ("Mississippi", 0.8),
    ("Arizona", 0.7),
    ("Kentucky", 0.6),
    ("Nevada", 0.6),
    ("Kansas", 0.6),
    ("Utah", 0.6),
    ("New Mexico", 0.5),
    ("Colorado", 0.5),
    ("Iowa", 0.5),
    ("Montana", 0.4),
    ("South Carolina", 0.4),
    ("West Virginia", 0.4),
    ("Arkansas", 0.4),
    ("Nebraska", 0.3),
    ("Rhode Island", 0.3),
    ("Alaska", 0.2),
    ("Idaho", 0.2),
    ("Hawaii", 0.2),
    ("Maine", 0.2),
    ("Vermont", 0.2),
    ("South Dakota", 0.15),
    ("North Dakota", 0.1),
    ("New Hampshire", 0.1),
    ("Delaware", 0.1),
    ("Wyoming", 0.1),
    ("District of Columbia", 0.8),
    ("Puerto Rico", 0.2),
    ("Fed-NY", 0.5),
    ("Fed-CA", 0.4),
    ("Fed-IL", 0.3),
    ("Fed-DC", 0.15),
    ("Fed-Military", 0.2),
)
CRIMES = (
    ("Murder", 45),
    ("Drug Possession or Sale", 16),
    ("Sexual Assault", 11),
    ("Child Sex Abuse", 9),
    ("Robbery", 7),
    ("Assault", 4),
    ("Attempted Murder", 3),
    ("Manslaughter", 2),
    ("Weapon Possession or Sale", 2),
    ("Fraud", 1.5),
    ("Burglary", 1),
    ("Theft", 0.8),
    ("Arson", 0.7),
    ("Kidnapping", 0.6),
    ("Other Nonviolent Felony", 1.2),
)
RACES = (("Black", 52), ("White", 33), ("Hispanic", 12), ("Don't Know", 1.6), ("Asian", 0.8), ("Native American", 0.6))
SENTENCES = (
    ("Term of Years", 62),
    ("Life", 16),
    ("Life without parole", 8),
    ("Probation", 5),
    ("Not Sentenced", 4),
    ("Death", 5),
)


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
    # Drawn in this order (each step from the same generator), so a scale always gives the same table.
    c = _people(rng, n)
    c |= _timeline(rng, n)
    c |= _factors(rng, n, c)
    c |= _misconduct(rng, n, c)
    c["tags"] = _tags(rng, n, c)
    c["dna_involved"] = c["dna"] | (rng.random(n) < 0.03)
    c |= _accountability(rng, n, c)

    cols = {
        "case_id": [f"D{i}" for i in ids],
        "nre_id": pa.nulls(n, pa.int64()),
        "name": [f"Demo Person {i:0{width}d}" for i in ids],
        "county": [f"Demo County {k}" for k in c.pop("county_no")],
        "age": pa.array(c.pop("age"), type=pa.float64(), from_pandas=True).cast(pa.int32()),
        "other_crimes": [[] for _ in ids],
        "crime_date": pa.nulls(n, pa.date32()),
        "conviction_date": pa.nulls(n, pa.date32()),
        "release_date": pa.nulls(n, pa.date32()),
        "last_update_date": pa.nulls(n, pa.date32()),
        "group_exoneration": np.zeros(n, dtype=bool),
        "source_row": (ids + 1).astype(np.int32),
        **{k: v for k, v in c.items() if k in ingest.FIELD_NAMES},
    }
    assert set(cols) == set(ingest.FIELD_NAMES)
    arrays = [
        pa.array(cols[name], type=typ) if not isinstance(cols[name], pa.Array) else cols[name]
        for name, typ in ingest.FIELDS
    ]
    return pa.Table.from_arrays(arrays, schema=ingest.SCHEMA)


def _people(rng: np.random.Generator, n: int) -> dict:
    """Where, what crime, who."""
    state = _pick(rng, STATES, n)
    federal = np.array([s.startswith("Fed") for s in state])
    county_no = rng.integers(1, 9, size=n)
    crime = _pick(rng, CRIMES, n)
    race = _pick(rng, RACES, n)
    female = rng.random(n) < 0.085
    age = rng.integers(14, 66, size=n).astype(float)
    age[rng.random(n) < 0.03] = np.nan
    return {
        "state": state,
        "federal": federal,
        "county_no": county_no,
        "worst_crime": crime,
        "race": race,
        "female": female,
        "sex": np.where(female, "Female", "Male"),
        "age": age,
    }


def _timeline(rng: np.random.Generator, n: int) -> dict:
    """Crime, conviction, exoneration and posting dates, and the years lost."""
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
    return {
        "pre_1989": pre,
        "crime_year": crime_year.astype(np.int32),
        "conviction_year": conv_year.astype(np.int32),
        "exoneration_year": exon_year.astype(np.int32),
        "years_lost": years_lost,
        "exoneration_date": [dt.date.fromordinal(int(o)) for o in exon_ord],
        "posting_date": [dt.date.fromordinal(int(o)) for o in posted],
    }


def _factors(rng: np.random.Generator, n: int, c: dict) -> dict:
    """Contributing factors, DNA and the sentence."""
    crime, pre = c["worst_crime"], c["pre_1989"]
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
    return {
        "homicide": homicide,
        "sexual": sexual,
        "dna": dna,
        "mistaken_witness_id": mwid,
        "false_confession": fc,
        "false_or_misleading_forensic_evidence": fmfe,
        "perjury_or_false_accusation": pfa,
        "official_misconduct": om,
        "inadequate_legal_defense": ild,
        "death_sentence": death,
        "sentence": np.where(death, "Death", sentence),
    }


def _misconduct(rng: np.random.Generator, n: int, c: dict) -> dict:
    """Official misconduct by actor and kind (only where official misconduct is coded)."""
    u = rng.random
    om, fc = c["official_misconduct"], c["false_confession"]
    police = om & (u(n) < 0.73)
    prosecutor = om & (u(n) < np.where(police, 0.48, 0.7))
    forensic = om & (u(n) < np.where(c["false_or_misleading_forensic_evidence"], 0.12, 0.01))
    child = om & (c["worst_crime"] == "Child Sex Abuse") & (u(n) < 0.2)
    withheld = om & (u(n) < 0.8)
    not_withholding = om & (u(n) < np.where(withheld, 0.75, 0.95))
    permitted = prosecutor & (u(n) < 0.25)
    tampering = om & (u(n) < np.where(police, 0.45, 0.15))
    interrogation = om & fc & (u(n) < 0.6)
    perjury_official = om & (u(n) < np.where(police, 0.33, 0.08))
    lied = prosecutor & (u(n) < 0.17)
    return {
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
    }


def _tags(rng: np.random.Generator, n: int, c: dict) -> list[list[str]]:
    u = rng.random
    crime = c["worst_crime"]
    tag_rules = (
        ("H", c["homicide"]),
        ("SA", c["sexual"]),
        ("CV", (crime == "Child Sex Abuse") | (u(n) < 0.12)),
        ("F", c["female"]),
        ("FED", c["federal"]),
        ("IO", u(n) < 0.3),
        ("CIU", u(n) < 0.2),
        ("NC", (crime == "Drug Possession or Sale") | (u(n) < 0.1)),
        ("P", u(n) < 0.22),
        ("JV", c["age"] < 18),
        ("JI", u(n) < 0.07),
        ("CDC", u(n) < 0.13),
        ("A", crime == "Arson"),
        ("PH", u(n) < 0.008),
        ("SBS", u(n) < 0.01),
        ("BM", u(n) < 0.008),
        ("M", u(n) < 0.03),
        ("CSH", (crime == "Child Sex Abuse") & (u(n) < 0.15)),
    )
    tag_matrix = np.column_stack([m for _, m in tag_rules])
    tag_codes = [code for code, _ in tag_rules]
    tags = [[tag_codes[j] for j in np.flatnonzero(r)] for r in tag_matrix]
    for t in tags:
        t.sort()
    return tags


def _nullable(values: np.ndarray, coded: np.ndarray) -> pa.Array:
    """A BOOLEAN column, NULL (not coded) where `coded` is false."""
    return pa.array(values, type=pa.bool_(), mask=~coded)


def _accountability(rng: np.random.Generator, n: int, c: dict) -> dict:
    """The full export's accountability columns. Hand-set rates of the kind the registry shows: most
    cases with official misconduct have no discipline known to the registry; discipline for similar
    misconduct in other cases is the most common kind; cases exonerated before 1989 are mostly not
    coded, and a few later ones too (so "not coded" shows on the pages)."""
    u = rng.random
    om, prosecutor, pre = c["official_misconduct"], c["om_prosecutor"], c["pre_1989"]
    coded = ~((pre & (u(n) < 0.7)) | (u(n) < 0.01))
    this_case = om & (u(n) < 0.075)
    not_contributing = om & (u(n) < 0.004)
    similar = u(n) < np.where(om, 0.2, 0.0015)
    dissimilar = u(n) < np.where(om, np.where(similar, 0.15, 0.045), 0.006)
    out = {}
    disc = (this_case, not_contributing, similar, dissimilar)
    for code, values in zip(glossary.DISCIPLINE, disc, strict=True):
        out[code.column] = _nullable(values, coded)
    out["disc_any"] = _nullable(np.logical_or.reduce(disc), coded)

    omnc_any = u(n) < np.where(om, 0.165, 0.027)
    shares = (0.4, 0.22, 0.25, 0.17, 0.09, 0.05, 0.04)  # post-conviction, abuse, failed, other, search, race, relation
    omnc = [omnc_any & (u(n) < s) for s in shares]
    omnc[0] |= omnc_any & ~np.logical_or.reduce(omnc)  # every "yes" names at least one kind
    for code, values in zip(glossary.NOT_CONNECTED, omnc, strict=True):
        out[code.column] = _nullable(values, coded)
    out["omnc_any"] = _nullable(omnc_any, coded)

    trial_any = u(n) < np.where(prosecutor, 0.45, np.where(om, 0.03, 0.001))
    trial = [trial_any & (u(n) < s) for s in (0.5, 0.35, 0.0, 0.04, 0.06, 0.04)]
    trial[2] = trial_any & (c["om_prosecutor_permitted_perjury"] | (u(n) < 0.45))  # knowingly allowed perjury
    trial[0] |= trial_any & ~np.logical_or.reduce(trial)
    for code, values in zip(glossary.PROSECUTOR_AT_TRIAL, trial, strict=True):
        out[code.column] = _nullable(values, coded)
    out["trial_any"] = _nullable(trial_any, coded)

    out["judicial_misconduct"] = _nullable(u(n) < np.where(om, 0.005, 0.002), coded)
    plea = np.array(["P" in t for t in c["tags"]])
    form = np.where(plea, "plea", np.where(u(n) < 0.9, "jury", "bench"))
    form = np.where(u(n) < 0.0005, "other_or_unknown", form)
    out["conviction_form"] = pa.array(form, type=pa.string(), mask=~coded)
    return out


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
        "available": sorted(
            set(ingest.FIELD_NAMES) - {"nre_id", "crime_date", "conviction_date", "release_date", "last_update_date"}
        ),
        "posting_min": min(posting.to_pylist()).isoformat(),
        "posting_max": max(posting.to_pylist()).isoformat(),
        "imported_at": "",
    }


def build_demo(path, scale: float = 1):
    from . import db

    table = generate(scale)
    db.build(table, path, meta(table, scale))
    return table
