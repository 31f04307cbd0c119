-- exonerations_by_year: how many exonerations there were in each year of exoneration (or in each
-- period of $period years, counted from 1989: 1989–1993, 1994–1998, …), and the share of them with
-- official misconduct. Every year (period) from the first to the last in the filtered cases is
-- listed, with 0 cases and a NULL share when there is none. Cases without an exoneration year are
-- left out.
-- Columns: exoneration_year (the first year of the period), last_year (its last year, at most the
-- latest year in the filtered cases), cases, misconduct_cases, share (misconduct_cases / cases).
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
        official_misconduct
    from selected
),

per_period as (
    select
        period_start,
        count(*) as cases,
        count_true(official_misconduct) as misconduct_cases
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
        coalesce(c.misconduct_cases, 0) as misconduct_cases,
        c.misconduct_cases / c.cases as share
    from periods as p
    left join per_period as c on c.period_start = p.period_start
    order by p.period_start
)

select * from final
