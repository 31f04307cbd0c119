-- death_sentence_cases: how many filtered exonerees had been sentenced to death, how many of them
-- with official misconduct, and the years they lost — beside the same figures for everyone else.
-- A death sentence not coded counts as no (as in the sidebar filter). Means and medians are over
-- cases with a recorded figure.
-- Columns: grp (death_sentence, no_death_sentence), cases, misconduct_cases, share
-- (misconduct_cases / cases), cases_with_years_lost, years_lost (total, 1 decimal),
-- mean_years_lost, median_years_lost.
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

grouped as (
    select
        case when coalesce(death_sentence, false) then 'death_sentence' else 'no_death_sentence' end as grp,
        official_misconduct,
        years_lost
    from selected
),

summary as (
    select
        grp,
        count(*) as cases,
        count_true(official_misconduct) as misconduct_cases,
        count(years_lost) as cases_with_years_lost,
        round(sum(years_lost), 1) as years_lost,
        avg(years_lost) as mean_years_lost,
        median(years_lost) as median_years_lost
    from grouped
    group by grp
),

groups as (
    select * from (values ('death_sentence', 1), ('no_death_sentence', 2)) as t(grp, grp_order)
),

final as (
    select
        g.grp,
        coalesce(s.cases, 0) as cases,
        coalesce(s.misconduct_cases, 0) as misconduct_cases,
        s.misconduct_cases / s.cases as share,
        coalesce(s.cases_with_years_lost, 0) as cases_with_years_lost,
        s.years_lost,
        s.mean_years_lost,
        s.median_years_lost
    from groups as g
    left join summary as s on s.grp = g.grp
    order by g.grp_order
)

select * from final
