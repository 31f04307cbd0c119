-- longest_years_lost: which exonerees lost the most years — the $limit filtered exonerations with the
-- most years lost, longest first (ties by name, then case id).
-- Columns: case_id, nre_id (registry case id, NULL in files without one), name, state,
-- worst_crime, conviction_year, exoneration_year, years_lost, official_misconduct (true, false,
-- or NULL = not coded), death_sentence.
-- Parameters: $limit (rows), and the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
    where years_lost is not null
),

final as (
    select
        case_id,
        nre_id,
        name,
        state,
        worst_crime,
        conviction_year,
        exoneration_year,
        years_lost,
        official_misconduct,
        death_sentence
    from selected
    order by years_lost desc, name, case_id
    limit $limit
)

select * from final
