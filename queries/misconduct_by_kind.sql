-- misconduct_by_kind: what the officials did — of the filtered exonerations, how many the registry
-- coded with each kind of official misconduct (withheld exculpatory evidence, witness tampering,
-- misconduct in interrogation, perjury by an official, prosecutor permitted perjury, prosecutor lied
-- in court, misconduct other than withholding). One row per kind (glossary order); a case can have several.
-- Columns: kind (glossary key), cases (coded Yes), cases_outside_misconduct (of them,
-- cases whose official-misconduct factor is not coded Yes), total (all filtered exonerations — the
-- denominator), misconduct_total (those coded with official misconduct), share (cases / total).
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

counts as (
    select
        count(*) as total,
        count_true(official_misconduct) as misconduct_total,
        count_true(om_withheld_evidence) as withheld_evidence,
        count_true(om_withheld_evidence and not coalesce(official_misconduct, false)) as withheld_evidence_outside,
        count_true(om_not_withholding) as not_withholding,
        count_true(om_not_withholding and not coalesce(official_misconduct, false)) as not_withholding_outside,
        count_true(om_prosecutor_permitted_perjury) as prosecutor_permitted_perjury,
        count_true(om_prosecutor_permitted_perjury and not coalesce(official_misconduct, false)) as prosecutor_permitted_perjury_outside,
        count_true(om_witness_tampering) as witness_tampering,
        count_true(om_witness_tampering and not coalesce(official_misconduct, false)) as witness_tampering_outside,
        count_true(om_interrogation) as interrogation,
        count_true(om_interrogation and not coalesce(official_misconduct, false)) as interrogation_outside,
        count_true(om_perjury_by_official) as perjury_by_official,
        count_true(om_perjury_by_official and not coalesce(official_misconduct, false)) as perjury_by_official_outside,
        count_true(om_prosecutor_lied) as prosecutor_lied,
        count_true(om_prosecutor_lied and not coalesce(official_misconduct, false)) as prosecutor_lied_outside
    from selected
),

long as (
    unpivot counts
    on (withheld_evidence, withheld_evidence_outside) as withheld_evidence,
       (not_withholding, not_withholding_outside) as not_withholding,
       (prosecutor_permitted_perjury, prosecutor_permitted_perjury_outside) as prosecutor_permitted_perjury,
       (witness_tampering, witness_tampering_outside) as witness_tampering,
       (interrogation, interrogation_outside) as interrogation,
       (perjury_by_official, perjury_by_official_outside) as perjury_by_official,
       (prosecutor_lied, prosecutor_lied_outside) as prosecutor_lied
    into name kind value cases, cases_outside_misconduct
),

final as (
    select
        kind,
        cases,
        cases_outside_misconduct,
        total,
        misconduct_total,
        cases / nullif(total, 0) as share
    from long
    order by list_position(['withheld_evidence', 'not_withholding', 'prosecutor_permitted_perjury',
                            'witness_tampering', 'interrogation', 'perjury_by_official',
                            'prosecutor_lied'], kind)
)

select * from final
