-- conviction_forms: how the filtered exonerees' first convictions were obtained — by a jury, a guilty
-- plea, a judge sitting without a jury (bench), or otherwise / unknown (the registry's "Trial" without
-- saying which, and "Don't Know") — and how many of each had official misconduct (coded Yes), a subset
-- of the form's cases. A blank cell (not coded) is its own row, `form` NULL.
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
-- Columns: form (jury, plea, bench, other_or_unknown, or NULL: not coded); cases; with_misconduct.
-- One row per form with at least one case, in the glossary's order, not coded last.
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

final as (
    select
        conviction_form as form,
        count(*) as cases,
        count_true(official_misconduct) as with_misconduct
    from selected
    group by conviction_form
    order by coalesce(list_position(['jury', 'plea', 'bench', 'other_or_unknown'], conviction_form), 99)
)

select * from final
