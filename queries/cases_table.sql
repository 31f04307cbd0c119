-- cases_table: one page of the filtered cases that match a text search, in a chosen order — the
-- rows of the Cases page (and of its CSV downloads) and of the New York page's case table.
-- Parameters: the filter parameters of `filtered` (see _macros.sql);
--   $search — text to find (case- and accent-insensitive, literal) in the name, state, county or
--             worst crime; NULL = every case;
--   $sort — the column to order every matching case by, one of the allow-list below (any other
--             value orders by name): text columns (name, state, county, race, sex, worst_crime,
--             sentence; capitals and accents ignored), numbers (age, conviction_year,
--             exoneration_year, years_lost), the posting date, or a Yes/No column (dna, a
--             contributing factor, an official-misconduct actor or kind; Yes sorts above No);
--   $descending — true for largest / latest / Z / Yes first; cases without a value come last
--             either way;
--   $limit, $offset — the page (rows offset+1 … offset+limit). Ties are broken by name, then case id,
--             so pages never overlap.
-- Columns: the case's identity and place, race, sex, age, worst crime, sentence, the years of
-- conviction and exoneration, the posting date, years lost, DNA and the contributing-factor and
-- official-misconduct columns (BOOLEAN: true = Yes, false = No, NULL = not coded).
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

keyed as (
    select
        *,
        lower(strip_accents(case $sort
            when 'name' then name
            when 'state' then state
            when 'county' then county
            when 'race' then race
            when 'sex' then sex
            when 'worst_crime' then worst_crime
            when 'sentence' then sentence
        end)) as sort_text,
        case $sort
            when 'age' then age
            when 'conviction_year' then conviction_year
            when 'exoneration_year' then exoneration_year
            when 'years_lost' then years_lost
            when 'posting_date' then date_diff('day', date '1970-01-01', posting_date)
            when 'dna' then dna::integer
            when 'official_misconduct' then official_misconduct::integer
            when 'perjury_or_false_accusation' then perjury_or_false_accusation::integer
            when 'mistaken_witness_id' then mistaken_witness_id::integer
            when 'false_or_misleading_forensic_evidence' then false_or_misleading_forensic_evidence::integer
            when 'inadequate_legal_defense' then inadequate_legal_defense::integer
            when 'false_confession' then false_confession::integer
            when 'om_police' then om_police::integer
            when 'om_prosecutor' then om_prosecutor::integer
            when 'om_forensic_analyst' then om_forensic_analyst::integer
            when 'om_child_welfare' then om_child_welfare::integer
            when 'om_withheld_evidence' then om_withheld_evidence::integer
            when 'om_not_withholding' then om_not_withholding::integer
            when 'om_prosecutor_permitted_perjury' then om_prosecutor_permitted_perjury::integer
            when 'om_witness_tampering' then om_witness_tampering::integer
            when 'om_interrogation' then om_interrogation::integer
            when 'om_perjury_by_official' then om_perjury_by_official::integer
            when 'om_prosecutor_lied' then om_prosecutor_lied::integer
        end::double as sort_number
    from matching
),

final as (
    select
        case_id, nre_id, name, state, county, race, sex, age, worst_crime, sentence, conviction_year,
        exoneration_year, posting_date, years_lost, dna,
        official_misconduct, perjury_or_false_accusation, mistaken_witness_id,
        false_or_misleading_forensic_evidence, inadequate_legal_defense, false_confession,
        om_police, om_prosecutor, om_forensic_analyst, om_child_welfare, om_withheld_evidence,
        om_not_withholding, om_prosecutor_permitted_perjury, om_witness_tampering, om_interrogation,
        om_perjury_by_official, om_prosecutor_lied
    from keyed
    order by
        case when not $descending then sort_text end asc nulls last,
        case when $descending then sort_text end desc nulls last,
        case when not $descending then sort_number end asc nulls last,
        case when $descending then sort_number end desc nulls last,
        lower(strip_accents(name)), name, case_id
    limit $limit offset $offset
)

select * from final
