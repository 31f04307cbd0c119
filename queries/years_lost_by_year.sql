-- years_lost_by_year: how many years exonerees lost in prison, by year of exoneration (or by period
-- of $period years, counted from 1989: 1989–1993, 1994–1998, …) — the total, and the median and
-- mean per case with a recorded figure. Every year (period) from the first to the last in the
-- filtered cases is listed. Cases without an exoneration year are left out.
-- Columns: exoneration_year (the first year of the period), last_year (its last year, at most the
-- latest year in the filtered cases), cases, cases_with_years_lost, years_lost (total, 1 decimal),
-- median_years_lost, mean_years_lost. The total is 0 in a year without cases and NULL in a year whose
-- cases have no recorded figure; median and mean are NULL in both.
-- Parameters: $period (years per row: 1 for single years), and the filter parameters of `filtered`
-- (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
    where exoneration_year is not null
),

binned as (
    select
        (1989 + floor((exoneration_year - 1989) / $period) * $period)::integer as period_start,
        exoneration_year,
        years_lost
    from selected
),

per_period as (
    select
        period_start,
        count(*) as cases,
        count(years_lost) as cases_with_years_lost,
        round(sum(years_lost), 1) as years_lost,
        median(years_lost) as median_years_lost,
        avg(years_lost) as mean_years_lost
    from binned
    group by period_start
),

bounds as (
    select min(period_start) as first_start, max(period_start) as last_start, max(exoneration_year) as max_year
    from binned
),

periods as (
    select unnest(range(first_start, last_start + 1, $period)) as period_start, max_year
    from bounds
),

final as (
    select
        p.period_start::integer as exoneration_year,
        least(p.period_start + $period - 1, p.max_year)::integer as last_year,
        coalesce(c.cases, 0) as cases,
        coalesce(c.cases_with_years_lost, 0) as cases_with_years_lost,
        case when c.cases is null then 0 else c.years_lost end as years_lost,
        c.median_years_lost,
        c.mean_years_lost
    from periods as p
    left join per_period as c on c.period_start = p.period_start
    order by p.period_start
)

select * from final
