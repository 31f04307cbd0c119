-- filter_options: the values the sidebar filters offer, with how many cases (all cases, unfiltered)
-- have each. Parameters: none.
with
options as (
    select 'state' as field, state as value, count(*) as cases from cases where state is not null group by all
    union all
    select 'worst_crime', worst_crime, count(*) from cases where worst_crime is not null group by all
    union all
    select 'race', race, count(*) from cases where race is not null group by all
    union all
    select 'sex', sex, count(*) from cases where sex is not null group by all
),

final as (
    select field, value, cases
    from options
    -- states first, then federal jurisdictions; other fields by frequency
    order by field, (field = 'state' and value like 'Fed%'), case when field = 'state' then 0 else -cases end, value
)

select * from final
