-- misconduct_share_by_group: how the share of exonerations with official misconduct differs by
-- worst crime, by race of the exoneree, between DNA and non-DNA exonerations, and between cases with
-- and without a death sentence. One row per group of each dimension; the denominator of each share
-- is the group's filtered exonerations. Worst crimes beyond the 12 most frequent are pooled as
-- "All other crimes" (one row, listed last). DNA and death sentence follow the sidebar filters'
-- reading: not coded counts as No.
-- Columns: dimension (worst_crime, race, dna, death_sentence), grp, cases, misconduct_cases,
-- share (misconduct_cases / cases).
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

crime_counts as (
    select coalesce(worst_crime, 'Not recorded') as crime, count(*) as cases
    from selected
    group by 1
),

crime_rank as (
    select crime, row_number() over (order by cases desc, crime) as crime_rank
    from crime_counts
),

by_crime as (
    select
        'worst_crime' as dimension,
        case when r.crime_rank <= 12 then r.crime else 'All other crimes' end as grp,
        count(*) as cases,
        count_true(s.official_misconduct) as misconduct_cases
    from selected as s
    join crime_rank as r on r.crime = coalesce(s.worst_crime, 'Not recorded')
    group by all
),

by_race as (
    select
        'race' as dimension,
        coalesce(race, 'Not recorded') as grp,
        count(*) as cases,
        count_true(official_misconduct) as misconduct_cases
    from selected
    group by all
),

by_dna as (
    select
        'dna' as dimension,
        case when coalesce(dna, false) then 'DNA exonerations' else 'Non-DNA exonerations' end as grp,
        count(*) as cases,
        count_true(official_misconduct) as misconduct_cases
    from selected
    group by all
),

by_death as (
    select
        'death_sentence' as dimension,
        case when coalesce(death_sentence, false) then 'Sentenced to death' else 'Not sentenced to death' end as grp,
        count(*) as cases,
        count_true(official_misconduct) as misconduct_cases
    from selected
    group by all
),

groups as (
    select * from by_crime
    union all select * from by_race
    union all select * from by_dna
    union all select * from by_death
),

final as (
    select dimension, grp, cases, misconduct_cases, misconduct_cases / cases as share
    from groups
    order by
        list_position(['worst_crime', 'race', 'dna', 'death_sentence'], dimension),
        grp = 'All other crimes',
        cases desc,
        grp
)

select * from final
