-- years_lost_by_misconduct: how many years were lost by exonerees with official misconduct and by
-- those without (or not coded) — total, mean, median and longest per case — plus a row for all
-- filtered exonerations. Means and medians are over cases with a recorded figure.
-- Columns: grp (all, with_misconduct, without_misconduct), cases, cases_with_years_lost,
-- years_lost (total, 1 decimal), mean_years_lost, median_years_lost, max_years_lost.
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

grouped as (
    select
        case when coalesce(official_misconduct, false) then 'with_misconduct' else 'without_misconduct' end as grp,
        years_lost
    from selected
),

summary as (
    select
        coalesce(grp, 'all') as grp,
        count(*) as cases,
        count(years_lost) as cases_with_years_lost,
        round(sum(years_lost), 1) as years_lost,
        avg(years_lost) as mean_years_lost,
        median(years_lost) as median_years_lost,
        max(years_lost) as max_years_lost
    from grouped
    group by grouping sets ((grp), ())
),

groups as (
    select * from (values ('all', 1), ('with_misconduct', 2), ('without_misconduct', 3)) as t(grp, grp_order)
),

final as (
    select
        g.grp,
        coalesce(s.cases, 0) as cases,
        coalesce(s.cases_with_years_lost, 0) as cases_with_years_lost,
        s.years_lost,
        s.mean_years_lost,
        s.median_years_lost,
        s.max_years_lost
    from groups as g
    left join summary as s on s.grp = g.grp
    order by g.grp_order
)

select * from final
