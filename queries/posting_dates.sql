-- posting_dates: the first, median and last posting date of the post-1989 cases, and how many there are.
-- The median is the date by which the registry had posted half of them (the Methodology page uses it
-- to say how many cases posted by then were updated later). No parameters: the whole file.
with
selected as (
    from cases
    where posting_date is not null and not coalesce(pre_1989, false)
),

final as (
    select
        min(posting_date) as first_date,
        quantile_disc(posting_date, 0.5) as median_date,
        max(posting_date) as last_date,
        count(*) as cases
    from selected
)

select * from final
