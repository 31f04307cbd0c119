"""Every code the registry uses, with the label and definition shown in charts, filters and the
methodology page. One place: nothing else spells these out."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Code:
    key: str  # column name in the `cases` table and key in JSON output
    code: str  # the registry's own short code
    label: str  # short label for charts and filters
    definition: str  # plain-language definition for the methodology page
    prefix: str = ""  # column prefix in the `cases` table ("om_" for misconduct detail)

    @property
    def column(self) -> str:
        return self.prefix + self.key


# The six contributing factors, in the order the registry lists them: what contributed to the wrongful
# conviction. Rankings ("the most common factor", "second only to …") rank these six only.
CONTRIBUTING: tuple[Code, ...] = (
    Code(
        "official_misconduct",
        "OM",
        "Official misconduct",
        "Police, prosecutors or other government officials significantly abused their authority or "
        "the judicial process in a manner that contributed to the exoneree's conviction.",
    ),
    Code(
        "perjury_or_false_accusation",
        "P/FA",
        "Perjury or false accusation",
        "A person other than the exoneree falsely accused the exoneree of the crime, in sworn testimony or otherwise.",
    ),
    Code(
        "mistaken_witness_id",
        "MWID",
        "Mistaken witness identification",
        "At least one witness mistakenly identified the exoneree as a person who committed the crime.",
    ),
    Code(
        "false_or_misleading_forensic_evidence",
        "F/MFE",
        "False or misleading forensic evidence",
        "The conviction was based at least in part on forensic information that was caused by errors "
        "in forensic testing, unreliable or unproven methods, expressions of exaggerated or misleading "
        "confidence, or fraud.",
    ),
    Code(
        "inadequate_legal_defense",
        "ILD",
        "Inadequate legal defense",
        "The exoneree's lawyer at trial provided obviously and grossly inadequate representation.",
    ),
    Code(
        "false_confession",
        "FC",
        "False confession",
        "The exoneree falsely confessed to the crime (including statements taken as admissions).",
    ),
)
# DNA is how a case was resolved, not a contributing factor: it is shown apart from the six, never
# ranked among them.
DNA = Code(
    "dna",
    "DNA",
    "DNA evidence",
    "DNA evidence was a substantial part of the evidence that led to the exoneration. It says how the "
    "case was resolved, not what caused the wrongful conviction.",
)
# The columns the `stats` query counts under "factors" (its JSON keeps DNA beside the six).
FACTORS: tuple[Code, ...] = (*CONTRIBUTING, DNA)

# Official-misconduct detail. `group` separates who committed it (actor) from what was done (kind).
MISCONDUCT: tuple[Code, ...] = tuple(
    replace(c, prefix="om_")
    for c in (
        Code("police", "OF", "Police officer", "Misconduct by a police officer."),
        Code("prosecutor", "PR", "Prosecutor", "Misconduct by a prosecutor."),
        Code("forensic_analyst", "FA", "Forensic analyst", "Misconduct by a forensic analyst."),
        Code("child_welfare", "CW", "Child welfare worker", "Misconduct by a child welfare worker."),
        Code(
            "withheld_evidence",
            "WH",
            "Withheld exculpatory evidence",
            "Officials concealed exculpatory evidence from the defense.",
        ),
        Code(
            "not_withholding",
            "NW",
            "Misconduct other than withholding",
            "Official misconduct other than withholding exculpatory evidence.",
        ),
        Code(
            "prosecutor_permitted_perjury",
            "KP",
            "Prosecutor permitted perjury",
            "A prosecutor knowingly permitted perjured testimony.",
        ),
        Code(
            "witness_tampering",
            "WT",
            "Witness tampering",
            "An official tampered with a witness (threats, coaching, inducements).",
        ),
        Code(
            "interrogation",
            "INT",
            "Misconduct in interrogation",
            "Misconduct in the interrogation of the exoneree (coercion, threats, deception beyond the law).",
        ),
        Code("perjury_by_official", "PJ", "Perjury by an official", "An official committed perjury."),
        Code("prosecutor_lied", "PL", "Prosecutor lied in court", "A prosecutor lied in court."),
    )
)
ACTORS = MISCONDUCT[:4]
KINDS = MISCONDUCT[4:]

# Case tags (layout A `Tags`; layout B spells them out in `Case Characteristics`).
TAGS: tuple[Code, ...] = (
    Code("arson", "A", "Arson", "The crime was arson."),
    Code("bite_mark", "BM", "Bite mark", "Bite-mark evidence was used."),
    Code("codefendant_confessed", "CDC", "Co-defendant confessed", "A co-defendant falsely confessed."),
    Code(
        "conviction_integrity_unit",
        "CIU",
        "Conviction integrity unit",
        "A prosecutorial conviction integrity unit was involved in the exoneration.",
    ),
    Code(
        "child_sex_abuse_hysteria",
        "CSH",
        "Child sex abuse hysteria",
        "The case arose from a wave of child sex abuse hysteria.",
    ),
    Code("child_victim", "CV", "Child victim", "The victim was a child."),
    Code("female_exoneree", "F", "Female exoneree", "The exoneree is a woman."),
    Code("federal", "FED", "Federal case", "The case was prosecuted federally."),
    Code("homicide", "H", "Homicide", "The case involved a homicide."),
    Code(
        "innocence_organization",
        "IO",
        "Innocence organization",
        "An innocence organization was involved in the exoneration.",
    ),
    Code("jailhouse_informant", "JI", "Jailhouse informant", "A jailhouse informant testified."),
    Code("juvenile", "JV", "Juvenile defendant", "The exoneree was a juvenile at the time of the crime."),
    Code("misdemeanor", "M", "Misdemeanor", "The exoneree was convicted of a misdemeanor."),
    Code("no_crime", "NC", "No crime occurred", "No crime actually occurred."),
    Code("guilty_plea", "P", "Guilty plea", "The exoneree pleaded guilty."),
    Code("posthumous", "PH", "Posthumous exoneration", "The exoneree was exonerated after death."),
    Code("sexual_assault", "SA", "Sexual assault", "The case involved a sexual assault."),
    Code("shaken_baby", "SBS", "Shaken baby syndrome", "The case involved shaken-baby-syndrome evidence."),
)

# Layout B spells the tags out in `Case Characteristics`; map them back to the codes above.
TAG_NAMES_B: dict[str, str] = {
    "Arson": "A",
    "Bitemark": "BM",
    "Bite mark": "BM",
    "Codefendant confessed": "CDC",
    "Co-defendant confessed": "CDC",
    "Conviction Integrity Unit": "CIU",
    "Child sex abuse hysteria": "CSH",
    "Child victim": "CV",
    "Female exoneree": "F",
    "Federal case": "FED",
    "Homicide": "H",
    "Innocence organization": "IO",
    "Jailhouse informant": "JI",
    "Juvenile defendant": "JV",
    "Misdemeanor": "M",
    "No crime case": "NC",
    "No crime": "NC",
    "Plea": "P",
    "Guilty plea": "P",
    "Posthumous exoneration": "PH",
    "Posthumous": "PH",
    "Sexual Assault": "SA",
    "Sexual assault": "SA",
    "Shaken baby syndrome": "SBS",
    "Shaken Baby Syndrome": "SBS",
}

# ---------------------------------------------------------------------------------------------
# Accountability: columns of the full export only (the public spreadsheet has none of them, so every
# figure from them is "not in this file" there). Each cell holds one or more of the registry's answers
# joined with "; "; a blank cell is not coded. The registry's "No or don't know" codes the case without
# saying that nothing happened: "no discipline known to the registry" is not proof that none happened.


@dataclass(frozen=True)
class AnswerColumn:
    """A full-export column whose cells hold one or more of the registry's answers, "; "-joined. Each
    "Yes" answer is a BOOLEAN column of `cases` (`codes`); `any_column` is true when any "Yes" answer is
    there. A blank cell makes them all NULL (not coded); a coded cell makes each FALSE unless its answer
    is in it."""

    header: str  # the column's header in the full export
    codes: tuple[Code, ...]  # one per "Yes" answer, in the registry's order
    # The registry's wording of each answer (as in the 2026 export) → the key of its code; None for
    # "No or don't know". Matched without case, padding, runs of spaces or apostrophes.
    wordings: tuple[tuple[str, str | None], ...]
    any_column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (*(c.column for c in self.codes), self.any_column)


# Whether an official was disciplined: per case, not per official (it cannot be split between police
# and prosecutors), and discipline is not civil liability. `stats --json` reports these as
# "disciplined_<key>".
DISCIPLINE: tuple[Code, ...] = tuple(
    replace(c, prefix="disc_")
    for c in (
        Code(
            "this_case",
            "D-THIS",
            "Disciplined for misconduct in this case",
            "An official was disciplined based, at least in part, on the official misconduct in this case "
            "(the registry: \u201cYes, based (at least in part) on official misconduct in this case\u201d).",
        ),
        Code(
            "this_case_not_contributing",
            "D-NOTCONTRIB",
            "Disciplined for misconduct in this case that did not cause the conviction",
            "An official was disciplined for misconduct in this case that did not contribute to the wrongful "
            "conviction, such as beating up an inmate or misconduct after the conviction (the registry: "
            "\u201cYes, for misconduct in this case that did not contribute to the wrongful conviction\u201d).",
        ),
        Code(
            "other_similar",
            "D-SIMILAR",
            "Disciplined for similar misconduct in other cases",
            "An official was disciplined for misconduct in other cases that is similar to the misconduct in "
            "this case (the registry: \u201cYes, for misconduct in other cases that is similar to the "
            "misconduct in this case\u201d).",
        ),
        Code(
            "other_dissimilar",
            "D-OTHER",
            "Disciplined for other misconduct in other cases",
            "An official was disciplined for misconduct in other cases of a type that did not happen in this "
            "case (the registry: \u201cYes, for misconduct in other cases of a type that did not happen in "
            "this case\u201d).",
        ),
    )
)
# The three groups `stats` splits the cases with official misconduct into (they partition them).
DISCIPLINE_SUMMARY: tuple[Code, ...] = (
    Code(
        "any_discipline",
        "D-ANY",
        "An official was disciplined",
        "The registry records at least one of its four kinds of discipline of an official.",
    ),
    Code(
        "no_known_discipline",
        "D-NONE",
        "No discipline known to the registry",
        "The registry coded the case \u201cNo or don't know\u201d: no discipline of an official is known "
        "to it. That is not proof that none happened.",
    ),
    Code(
        "not_coded",
        "D-BLANK",
        "Discipline not coded",
        "The registry has not coded whether an official was disciplined in this case.",
    ),
)
DISCIPLINE_ANSWERS = AnswerColumn(
    header="Official actor disciplined for OM?",
    codes=DISCIPLINE,
    wordings=(
        ("No or dont know", None),
        ("Yes, based (at least in part) on official misconduct in this case", "this_case"),
        (
            "Yes, for misconduct in this case that did not contribute to the wrongful conviction. (ex. beating "
            "up an inmate, and post conviction misconduct)",
            "this_case_not_contributing",
        ),
        ("Yes, for misconduct in other cases that is similar to the misconduct in this case.", "other_similar"),
        ("Yes, for misconduct in other cases of a type that did not happen in this case.", "other_dissimilar"),
    ),
    any_column="disc_any",
)

# Official misconduct in the case that did not cause the conviction.
NOT_CONNECTED: tuple[Code, ...] = tuple(
    replace(c, prefix="omnc_")
    for c in (
        Code("post_conviction", "NC-POST", "Misconduct after the conviction", "Post-conviction misconduct."),
        Code(
            "physical_abuse",
            "NC-ABUSE",
            "Physical abuse of the exoneree",
            "Physical abuse of the exoneree that did not contribute to the conviction.",
        ),
        Code(
            "failed_attempt",
            "NC-FAILED",
            "Misconduct that failed to help convict",
            "Misconduct intended to help obtain a conviction that failed (for example threatening a witness "
            "to lie when the witness refused).",
        ),
        Code(
            "other",
            "NC-OTHER",
            "Other misconduct that did not cause the conviction",
            "Other misconduct that did not contribute to the conviction.",
        ),
        Code("search_seizure", "NC-SEARCH", "Search and seizure violation", "A search and seizure violation."),
        Code(
            "racial_prejudice",
            "NC-RACE",
            "Expressions of racial prejudice",
            "Expressions of racial prejudice by an official that are not causally related to the conviction.",
        ),
        Code(
            "relationship",
            "NC-RELATION",
            "Inappropriate relationship",
            "An official had an inappropriate sexual or romantic relationship with another party to the case.",
        ),
    )
)
NOT_CONNECTED_ANSWERS = AnswerColumn(
    header="OM not connected to conviction",
    codes=NOT_CONNECTED,
    wordings=(
        ("No or dont know", None),
        ("Yes, post-conviction misconduct", "post_conviction"),
        ("Yes, physical abuse of the exoneree that did not contribute to the conviction", "physical_abuse"),
        (
            "Yes, misconduct that was intended to help obtain a conviction but failed (e.g., threatening a "
            "witness to get the witness to lie, but the witness refuses to do so)",
            "failed_attempt",
        ),
        ("Yes, other misconduct that did not contribute to the conviction", "other"),
        ("Yes, search and seizure violation", "search_seizure"),
        # the registry's own label is cut off at "convictio"; the whole word is read alike
        ("Yes, expressions of racial prejudice that are not causally related to the convictio", "racial_prejudice"),
        ("Yes, expressions of racial prejudice that are not causally related to the conviction", "racial_prejudice"),
        (
            "Yes, an official actor had an inappropriate sexual or romantic relationship with another party to "
            "the case (if the relationship could have been used for impeachment but was not disclosed to the "
            "defense, do not check this box and instead code them in the misconduct categories above)",
            "relationship",
        ),
    ),
    any_column="omnc_any",
)

# A prosecutor's misconduct during the trial (the registry numbers its answers 0-6).
PROSECUTOR_AT_TRIAL: tuple[Code, ...] = tuple(
    replace(c, prefix="trial_")
    for c in (
        Code("improper_argument", "1", "Improper argument", "A prosecutor made an improper argument at trial."),
        Code(
            "fraud_on_court",
            "2",
            "Fraud on the court",
            "A prosecutor perpetrated a fraud on the court (intentionally misrepresenting facts).",
        ),
        Code(
            "knowingly_allowed_perjury",
            "3",
            "Knowingly allowing perjury",
            "A prosecutor knowingly allowed perjury at trial.",
        ),
        Code(
            "jury_selection", "4", "Discriminatory jury selection", "A prosecutor selected the jury discriminatorily."
        ),
        Code("improper_cross", "5", "Improper cross-examination", "A prosecutor cross-examined improperly."),
        Code("other", "6", "Other misconduct at trial", "Other misconduct by a prosecutor in the trial proceedings."),
    )
)
_TRIAL_WORDINGS = (
    ("0  No or dont know", None),
    ("1 Yes, improper argument", "improper_argument"),
    ("2 Yes, perpetrating a fraud on the court (intentionally misrepresenting facts)", "fraud_on_court"),
    (
        "3  Yes, knowingly allowing perjury (code this even if procuring perjury is already coded for the same act)",
        "knowingly_allowed_perjury",
    ),
    ("4 Yes, discriminatory jury selection", "jury_selection"),
    ("5  Yes, improper cross examination", "improper_cross"),
    ("6 Yes, other misconduct in trial proceedings", "other"),
)
PROSECUTOR_AT_TRIAL_ANSWERS = AnswerColumn(
    header="OM by prosecutor during trial?",
    codes=PROSECUTOR_AT_TRIAL,
    # with the registry's number or without it (a wrong number is not this answer)
    wordings=_TRIAL_WORDINGS + tuple((w.split(" ", 1)[1].strip(), k) for w, k in _TRIAL_WORDINGS),
    any_column="trial_any",
)
ANSWER_COLUMNS: tuple[AnswerColumn, ...] = (DISCIPLINE_ANSWERS, NOT_CONNECTED_ANSWERS, PROSECUTOR_AT_TRIAL_ANSWERS)

JUDICIAL_MISCONDUCT = Code(
    "judicial_misconduct",
    "EJM",
    "Extreme judicial misconduct",
    "The registry coded extreme misconduct by a judge in the case (Yes, or No or don't know).",
)

# How the (first) conviction was obtained: `conviction_form` holds one of these keys (NULL: not coded).
CONVICTION_FORMS: tuple[Code, ...] = (
    Code("jury", "Jury", "Jury trial", "The exoneree was convicted by a jury."),
    Code("plea", "Plea", "Guilty plea", "The exoneree pleaded guilty."),
    Code("bench", "Bench", "Bench trial", "The exoneree was convicted by a judge sitting without a jury."),
    Code(
        "other_or_unknown",
        "Other",
        "Other or unknown",
        "The registry records a trial without saying whether by jury or judge (\u201cTrial\u201d), or does "
        "not know how the conviction was obtained (\u201cDon't Know\u201d).",
    ),
)
CONVICTION_FORM_WORDINGS: dict[str, str] = {
    "Jury": "jury",
    "Plea": "plea",
    "Bench": "bench",
    "Trial": "other_or_unknown",
    "Don't Know": "other_or_unknown",
}

ALL_CODES: tuple[Code, ...] = FACTORS + MISCONDUCT + TAGS
BY_KEY: dict[str, Code] = {c.key: c for c in ALL_CODES}
BY_CODE: dict[str, Code] = {c.code: c for c in MISCONDUCT + TAGS}


def label(key: str) -> str:
    """The label of a factor, misconduct or tag key; the key itself if unknown."""
    code = BY_KEY.get(key)
    return code.label if code else key


def in_sentence(text: str) -> str:
    """A label as it reads inside a sentence: "Perjury or false accusation" → "perjury or false
    accusation", but "DNA evidence" stays (a leading acronym keeps its capitals)."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


# The registry's own guidance on reading its figures (paraphrased), shown on the methodology page and
# carried into exports.
READING_GUIDANCE: tuple[str, ...] = (
    "Every percentage depends on its denominator: which place and which years it counts.",
    "The default view is 1989 to the present. Cases exonerated before 1989 are a separate, thinner "
    "collection and are included only when you choose to.",
    "The registry codes conservatively: a code means the attribute is known; a missing code does not prove it absent.",
    "Group exonerations (for example more than 1,800 defendants cleared in police-corruption scandals) "
    "are a separate registry and are mostly not in these files.",
    "Every figure is a snapshot of the data on a date: the as-of date is printed beside it.",
    "“Official misconduct played a role” is the registry's coding of a case, not a court finding "
    "against a named person.",
)

SOURCE = "National Registry of Exonerations"
