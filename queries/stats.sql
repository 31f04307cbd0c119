-- stats: how many filtered exonerations, how many with each contributing factor and each kind of
-- official misconduct, and the years lost (total and median). One row.
-- `<code>_in_om` counts the cases with that code among those with official misconduct (coded Yes):
-- the numerator of a share "of the exonerations with official misconduct" is always a subset of
-- its denominator. `updated_after_as_of`: cases posted by the as-of date that the registry updated
-- after it (a past date is shown with today's coding).
-- Accountability (full export only; 0 where the file lacks the column, so read meta.available:
-- `disc_any`, `trial_any`, `omnc_any`, `judicial_misconduct`, `conviction_form`):
--   acc_*   among the cases with official misconduct (coded Yes): `acc_om_cases`; an official
--           disciplined for misconduct in this case (`acc_disciplined_this_case`, whatever else the
--           cell holds), for misconduct in this case that did not contribute to the conviction, for
--           similar or other misconduct in other cases; `acc_any_discipline` (any "Yes" answer),
--           `acc_no_known_discipline` (coded, no "Yes" answer) and `acc_not_coded` (blank), which
--           partition `acc_om_cases`;
--   trial_* a prosecutor's misconduct at trial, over all the filtered cases (`trial_any`: any "Yes"
--           answer; `trial_not_coded`: blank);
--   omnc_*  misconduct that did not cause the conviction, over all the filtered cases;
--   judicial_misconduct  extreme judicial misconduct coded Yes;
--   form_*  how the conviction was obtained (jury, plea, bench, other or unknown; `form_not_coded`).
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
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
        count_true(official_misconduct) as acc_om_cases,
        count_true(official_misconduct and disc_this_case) as acc_disciplined_this_case,
        count_true(official_misconduct and disc_this_case_not_contributing)
            as acc_disciplined_this_case_not_contributing,
        count_true(official_misconduct and disc_other_similar) as acc_disciplined_other_similar,
        count_true(official_misconduct and disc_other_dissimilar) as acc_disciplined_other_dissimilar,
        count_true(official_misconduct and disc_any) as acc_any_discipline,
        count_true(official_misconduct and not disc_any) as acc_no_known_discipline,
        count_true(official_misconduct and disc_any is null) as acc_not_coded,
        count_true(trial_improper_argument) as trial_improper_argument,
        count_true(trial_fraud_on_court) as trial_fraud_on_court,
        count_true(trial_knowingly_allowed_perjury) as trial_knowingly_allowed_perjury,
        count_true(trial_jury_selection) as trial_jury_selection,
        count_true(trial_improper_cross) as trial_improper_cross,
        count_true(trial_other) as trial_other,
        count_true(trial_any) as trial_any,
        count_true(trial_any is null) as trial_not_coded,
        count_true(omnc_post_conviction) as omnc_post_conviction,
        count_true(omnc_physical_abuse) as omnc_physical_abuse,
        count_true(omnc_failed_attempt) as omnc_failed_attempt,
        count_true(omnc_other) as omnc_other,
        count_true(omnc_search_seizure) as omnc_search_seizure,
        count_true(omnc_racial_prejudice) as omnc_racial_prejudice,
        count_true(omnc_relationship) as omnc_relationship,
        count_true(omnc_any) as omnc_any,
        count_true(judicial_misconduct) as judicial_misconduct,
        count_true(conviction_form = 'jury') as form_jury,
        count_true(conviction_form = 'plea') as form_plea,
        count_true(conviction_form = 'bench') as form_bench,
        count_true(conviction_form = 'other_or_unknown') as form_other_or_unknown,
        count_true(conviction_form is null) as form_not_coded,
        count_true(last_update_date > $as_of) as updated_after_as_of,
        round(sum(years_lost), 1) as years_lost,
        count(years_lost) as cases_with_years_lost,
        median(years_lost) as median_years_lost
    from selected
)

select * from final
