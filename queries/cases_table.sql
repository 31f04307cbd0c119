-- cases_table: one page of the filtered cases that match a text search, in a chosen order — the
-- rows of the Cases page (and of its CSV downloads).
-- Parameters: the filter parameters of `filtered` (see _macros.sql);
--   $search — text to find (case- and accent-insensitive, literal) in the name, state, county or
--             worst crime; NULL = every case;
--   $sort — 'exoneration_year', 'years_lost', 'name', 'state', 'county' or 'worst_crime';
--   $descending — true for largest / last first;
--   $limit, $offset — the page (rows offset+1 … offset+limit). Ties are broken by name, then case id,
--             so pages never overlap.
-- Columns: the case's identity and place, worst crime, exoneration year, years lost, and the
-- contributing-factor and official-misconduct columns (BOOLEAN) the page turns into codes.
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989)
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

keyed as (
    select
        *,
        case $sort
            when 'name' then name
            when 'state' then state
            when 'county' then county
            when 'worst_crime' then worst_crime
        end as sort_text,
        case $sort
            when 'exoneration_year' then exoneration_year
            when 'years_lost' then years_lost
        end as sort_number
    from matching
),

final as (
    select
        case_id, nre_id, name, state, county, worst_crime, exoneration_year, years_lost,
        official_misconduct, perjury_or_false_accusation, mistaken_witness_id,
        false_or_misleading_forensic_evidence, inadequate_legal_defense, false_confession, dna,
        om_police, om_prosecutor, om_forensic_analyst, om_child_welfare, om_withheld_evidence,
        om_not_withholding, om_prosecutor_permitted_perjury, om_witness_tampering, om_interrogation,
        om_perjury_by_official, om_prosecutor_lied
    from keyed
    order by
        case when not $descending then sort_text end asc nulls last,
        case when $descending then sort_text end desc nulls last,
        case when not $descending then sort_number end asc nulls last,
        case when $descending then sort_number end desc nulls last,
        name, case_id
    limit $limit offset $offset
)

select * from final
