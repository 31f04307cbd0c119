-- cases_table_count: how many filtered cases match a text search — the N of "rows a–b of N" on the
-- Cases page. The search is the same as in `cases_table`.
-- Parameters: the filter parameters of `filtered` (see _macros.sql); $search — text to find (case- and
-- accent-insensitive, literal) in the name, state, county or worst crime; NULL = every case.
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

matching as (
    select *
    from selected
    where $search is null
       or contains(lower(strip_accents(coalesce(name, ''))), lower(strip_accents($search)))
       or contains(lower(strip_accents(coalesce(state, ''))), lower(strip_accents($search)))
       or contains(lower(strip_accents(coalesce(county, ''))), lower(strip_accents($search)))
       or contains(lower(strip_accents(coalesce(worst_crime, ''))), lower(strip_accents($search)))
),

final as (
    select count(*) as matching from matching
)

select * from final
