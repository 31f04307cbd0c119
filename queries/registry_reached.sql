-- registry_reached: on which posting dates did the (filtered) registry hold exactly $n cases, and
-- from which date did it first hold at least $n? One row per date on which the total was exactly
-- $n (a total can hold for several days between postings); when no date had exactly $n, one row
-- with the first date the total passed $n (exact = false).
-- Parameters: $n, and the filter parameters of `filtered` (see _macros.sql) except $as_of, which
-- this question does not take (it searches all posting dates).
with
selected as (
    from filtered(null, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

per_day as (
    select posting_date, count(*) as cases
    from selected
    where posting_date is not null
    group by posting_date
),

running as (
    select
        posting_date,
        sum(cases) over (order by posting_date)::bigint as cumulative_cases,
        lead(posting_date) over (order by posting_date) as next_posting_date
    from per_day
),

exact as (
    select posting_date as from_date, next_posting_date - 1 as to_date, cumulative_cases, true as exact
    from running
    where cumulative_cases = $n
),

first_past as (
    select posting_date as from_date, next_posting_date - 1 as to_date, cumulative_cases, false as exact
    from running
    where cumulative_cases > $n
    order by posting_date
    limit 1
),

final as (
    select * from exact
    union all
    select * from first_past where not exists (select 1 from exact)
)

select * from final order by from_date
