-- by_state: in each state or other jurisdiction, how many filtered exonerations, how many with
-- official misconduct, the misconduct share, the years lost, and — among the cases with official
-- misconduct only — in how many the registry records that an official was disciplined (of each kind; any),
-- in how many no discipline is known to it and in how many discipline is not coded (the last three
-- partition with_misconduct). Federal cases (State `Fed-NY`, `Fed-DC`, `Fed-Military`, …) are counted
-- together as one jurisdiction, "Federal".
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
-- Columns: jurisdiction; federal (the "Federal" row); cases; with_misconduct; misconduct_share
-- (with_misconduct / cases); years_lost (sum, NULL when no case records it); cases_with_years_lost;
-- disciplined_this_case; disciplined_this_case_not_contributing; disciplined_other_similar;
-- disciplined_other_dissimilar; any_discipline; no_known_discipline; not_coded.
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
        coalesce(official_misconduct, false) as om,
        years_lost,
        disc_this_case,
        disc_this_case_not_contributing,
        disc_other_similar,
        disc_other_dissimilar,
        disc_any
    from selected
),

final as (
    select
        jurisdiction,
        federal_court as federal,
        count(*) as cases,
        count_true(om) as with_misconduct,
        count_true(om) / count(*) as misconduct_share,
        round(sum(years_lost), 1) as years_lost,
        count(years_lost) as cases_with_years_lost,
        count_true(om and disc_this_case) as disciplined_this_case,
        count_true(om and disc_this_case_not_contributing) as disciplined_this_case_not_contributing,
        count_true(om and disc_other_similar) as disciplined_other_similar,
        count_true(om and disc_other_dissimilar) as disciplined_other_dissimilar,
        count_true(om and disc_any) as any_discipline,
        count_true(om and not disc_any) as no_known_discipline,
        count_true(om and disc_any is null) as not_coded
    from placed
    group by jurisdiction, federal_court
    order by cases desc, jurisdiction
)

select * from final
