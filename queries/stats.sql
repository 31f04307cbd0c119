-- stats: how many filtered exonerations, how many with each contributing factor and each kind of
-- official misconduct, and the years lost (total and median). One row.
-- `<code>_in_om` counts the cases with that code among those with official misconduct (coded Yes):
-- the numerator of a share "of the exonerations with official misconduct" is always a subset of
-- its denominator. `updated_after_as_of`: cases posted by the as-of date that the registry updated
-- after it (a past date is shown with today's coding).
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989)
),

final as (
    select
        count(*) as total,
        max(posting_date) as last_posting_date,
        count_true(official_misconduct) as official_misconduct,
        count_true(perjury_or_false_accusation) as perjury_or_false_accusation,
        count_true(mistaken_witness_id) as mistaken_witness_id,
        count_true(false_or_misleading_forensic_evidence) as false_or_misleading_forensic_evidence,
        count_true(inadequate_legal_defense) as inadequate_legal_defense,
        count_true(false_confession) as false_confession,
        count_true(dna) as dna,
        count_true(om_police) as police,
        count_true(om_prosecutor) as prosecutor,
        count_true(om_forensic_analyst) as forensic_analyst,
        count_true(om_child_welfare) as child_welfare,
        count_true(om_withheld_evidence) as withheld_evidence,
        count_true(om_not_withholding) as not_withholding,
        count_true(om_prosecutor_permitted_perjury) as prosecutor_permitted_perjury,
        count_true(om_witness_tampering) as witness_tampering,
        count_true(om_interrogation) as interrogation,
        count_true(om_perjury_by_official) as perjury_by_official,
        count_true(om_prosecutor_lied) as prosecutor_lied,
        count_true(om_police and om_prosecutor) as police_and_prosecutor,
        count_true(official_misconduct and om_police) as police_in_om,
        count_true(official_misconduct and om_prosecutor) as prosecutor_in_om,
        count_true(official_misconduct and om_forensic_analyst) as forensic_analyst_in_om,
        count_true(official_misconduct and om_child_welfare) as child_welfare_in_om,
        count_true(official_misconduct and om_withheld_evidence) as withheld_evidence_in_om,
        count_true(official_misconduct and om_not_withholding) as not_withholding_in_om,
        count_true(official_misconduct and om_prosecutor_permitted_perjury) as prosecutor_permitted_perjury_in_om,
        count_true(official_misconduct and om_witness_tampering) as witness_tampering_in_om,
        count_true(official_misconduct and om_interrogation) as interrogation_in_om,
        count_true(official_misconduct and om_perjury_by_official) as perjury_by_official_in_om,
        count_true(official_misconduct and om_prosecutor_lied) as prosecutor_lied_in_om,
        count_true(official_misconduct and om_police and om_prosecutor) as police_and_prosecutor_in_om,
        count_true(last_update_date > $as_of) as updated_after_as_of,
        round(sum(years_lost), 1) as years_lost,
        count(years_lost) as cases_with_years_lost,
        median(years_lost) as median_years_lost
    from selected
)

select * from final
