-- registry_growth: how the registry grew — cases and cases with official misconduct, cumulative by
-- posting date, for the filtered cases. One row per posting date.
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

per_day as (
    select
        posting_date,
        count(*) as cases,
        count_true(official_misconduct) as misconduct_cases
    from selected
    where posting_date is not null
    group by posting_date
),

final as (
    select
        posting_date,
        cases,
        sum(cases) over (order by posting_date)::bigint as cumulative_cases,
        sum(misconduct_cases) over (order by posting_date)::bigint as cumulative_misconduct
    from per_day
    order by posting_date
)

select * from final
