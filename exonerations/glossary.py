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
    Code("official_misconduct", "OM", "Official misconduct",
         "Police, prosecutors or other government officials significantly abused their authority or "
         "the judicial process in a manner that contributed to the exoneree's conviction."),
    Code("perjury_or_false_accusation", "P/FA", "Perjury or false accusation",
         "A person other than the exoneree falsely accused the exoneree of the crime, in sworn "
         "testimony or otherwise."),
    Code("mistaken_witness_id", "MWID", "Mistaken witness identification",
         "At least one witness mistakenly identified the exoneree as a person who committed the crime."),
    Code("false_or_misleading_forensic_evidence", "F/MFE", "False or misleading forensic evidence",
         "The conviction was based at least in part on forensic information that was caused by errors "
         "in forensic testing, unreliable or unproven methods, expressions of exaggerated or misleading "
         "confidence, or fraud."),
    Code("inadequate_legal_defense", "ILD", "Inadequate legal defense",
         "The exoneree's lawyer at trial provided obviously and grossly inadequate representation."),
    Code("false_confession", "FC", "False confession",
         "The exoneree falsely confessed to the crime (including statements taken as admissions)."),
)
# DNA is how a case was resolved, not a contributing factor: it is shown apart from the six, never
# ranked among them.
DNA = Code("dna", "DNA", "DNA evidence",
           "DNA evidence was a substantial part of the evidence that led to the exoneration. It says how the "
           "case was resolved, not what caused the wrongful conviction.")
# The columns the `stats` query counts under "factors" (its JSON keeps DNA beside the six).
FACTORS: tuple[Code, ...] = (*CONTRIBUTING, DNA)

# Official-misconduct detail. `group` separates who committed it (actor) from what was done (kind).
MISCONDUCT: tuple[Code, ...] = tuple(replace(c, prefix="om_") for c in (
    Code("police", "OF", "Police officer", "Misconduct by a police officer."),
    Code("prosecutor", "PR", "Prosecutor", "Misconduct by a prosecutor."),
    Code("forensic_analyst", "FA", "Forensic analyst", "Misconduct by a forensic analyst."),
    Code("child_welfare", "CW", "Child welfare worker", "Misconduct by a child welfare worker."),
    Code("withheld_evidence", "WH", "Withheld exculpatory evidence",
         "Officials concealed exculpatory evidence from the defense."),
    Code("not_withholding", "NW", "Misconduct other than withholding",
         "Official misconduct other than withholding exculpatory evidence."),
    Code("prosecutor_permitted_perjury", "KP", "Prosecutor permitted perjury",
         "A prosecutor knowingly permitted perjured testimony."),
    Code("witness_tampering", "WT", "Witness tampering",
         "An official tampered with a witness (threats, coaching, inducements)."),
    Code("interrogation", "INT", "Misconduct in interrogation",
         "Misconduct in the interrogation of the exoneree (coercion, threats, deception beyond the law)."),
    Code("perjury_by_official", "PJ", "Perjury by an official", "An official committed perjury."),
    Code("prosecutor_lied", "PL", "Prosecutor lied in court", "A prosecutor lied in court."),
))
ACTORS = MISCONDUCT[:4]
KINDS = MISCONDUCT[4:]

# Case tags (layout A `Tags`; layout B spells them out in `Case Characteristics`).
TAGS: tuple[Code, ...] = (
    Code("arson", "A", "Arson", "The crime was arson."),
    Code("bite_mark", "BM", "Bite mark", "Bite-mark evidence was used."),
    Code("codefendant_confessed", "CDC", "Co-defendant confessed", "A co-defendant falsely confessed."),
    Code("conviction_integrity_unit", "CIU", "Conviction integrity unit",
         "A prosecutorial conviction integrity unit was involved in the exoneration."),
    Code("child_sex_abuse_hysteria", "CSH", "Child sex abuse hysteria",
         "The case arose from a wave of child sex abuse hysteria."),
    Code("child_victim", "CV", "Child victim", "The victim was a child."),
    Code("female_exoneree", "F", "Female exoneree", "The exoneree is a woman."),
    Code("federal", "FED", "Federal case", "The case was prosecuted federally."),
    Code("homicide", "H", "Homicide", "The case involved a homicide."),
    Code("innocence_organization", "IO", "Innocence organization",
         "An innocence organization was involved in the exoneration."),
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
    "Arson": "A", "Bitemark": "BM", "Bite mark": "BM", "Codefendant confessed": "CDC",
    "Co-defendant confessed": "CDC", "Conviction Integrity Unit": "CIU",
    "Child sex abuse hysteria": "CSH", "Child victim": "CV", "Female exoneree": "F",
    "Federal case": "FED", "Homicide": "H", "Innocence organization": "IO",
    "Jailhouse informant": "JI", "Juvenile defendant": "JV", "Misdemeanor": "M",
    "No crime case": "NC", "No crime": "NC", "Plea": "P", "Guilty plea": "P",
    "Posthumous exoneration": "PH", "Posthumous": "PH", "Sexual Assault": "SA",
    "Sexual assault": "SA", "Shaken baby syndrome": "SBS", "Shaken Baby Syndrome": "SBS",
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
    "The registry codes conservatively: a code means the attribute is known; a missing code does not "
    "prove it absent.",
    "Group exonerations (for example more than 1,800 defendants cleared in police-corruption scandals) "
    "are a separate registry and are mostly not in these files.",
    "Every figure is a snapshot of the data on a date: the as-of date is printed beside it.",
    "“Official misconduct played a role” is the registry's coding of a case, not a court finding "
    "against a named person.",
)

SOURCE = "National Registry of Exonerations"
