-- misconduct_by_actor: who committed the official misconduct — of the filtered exonerations, how
-- many the registry coded with misconduct by a police officer, a prosecutor, a forensic analyst and a
-- child welfare worker. One row per actor (glossary order); a case can name several actors.
-- Columns: actor (glossary key), cases (coded Yes), cases_outside_misconduct (of them,
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
        count_true(om_police) as police,
        count_true(om_police and not coalesce(official_misconduct, false)) as police_outside,
        count_true(om_prosecutor) as prosecutor,
        count_true(om_prosecutor and not coalesce(official_misconduct, false)) as prosecutor_outside,
        count_true(om_forensic_analyst) as forensic_analyst,
        count_true(om_forensic_analyst and not coalesce(official_misconduct, false)) as forensic_analyst_outside,
        count_true(om_child_welfare) as child_welfare,
        count_true(om_child_welfare and not coalesce(official_misconduct, false)) as child_welfare_outside
    from selected
),

long as (
    unpivot counts
    on (police, police_outside) as police,
       (prosecutor, prosecutor_outside) as prosecutor,
       (forensic_analyst, forensic_analyst_outside) as forensic_analyst,
       (child_welfare, child_welfare_outside) as child_welfare
    into name actor value cases, cases_outside_misconduct
),

final as (
    select
        actor,
        cases,
        cases_outside_misconduct,
        total,
        misconduct_total,
        cases / nullif(total, 0) as share
    from long
    order by list_position(['police', 'prosecutor', 'forensic_analyst', 'child_welfare'], actor)
)

select * from final
