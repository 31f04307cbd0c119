-- by_state: in each state or other jurisdiction, how many filtered exonerations, how many with
-- official misconduct, the misconduct share and the years lost. Federal cases (State `Fed-NY`,
-- `Fed-DC`, `Fed-Military`, …) are counted together as one jurisdiction, "Federal".
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
-- Columns: jurisdiction; federal (the "Federal" row); cases; with_misconduct; misconduct_share
-- (with_misconduct / cases); years_lost (sum, NULL when no case records it); cases_with_years_lost.
-- One row per jurisdiction with at least one case, most cases first.
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

placed as (
    select
        coalesce(starts_with(state, 'Fed-'), false) as federal_court,
        case when federal_court then 'Federal' else coalesce(state, '(state not recorded)') end as jurisdiction,
        official_misconduct,
        years_lost
    from selected
),

final as (
    select
        jurisdiction,
        federal_court as federal,
        count(*) as cases,
        count_true(official_misconduct) as with_misconduct,
        count_true(official_misconduct) / count(*) as misconduct_share,
        round(sum(years_lost), 1) as years_lost,
        count(years_lost) as cases_with_years_lost
    from placed
    group by jurisdiction, federal_court
    order by cases desc, jurisdiction
)

select * from final
