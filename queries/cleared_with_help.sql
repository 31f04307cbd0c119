-- cleared_with_help: who helped clear the filtered exonerees, as the registry tags it — a prosecutor's
-- conviction integrity unit (tag CIU), an innocence organization (tag IO), and either of them — with how
-- many of those cases had official misconduct (coded Yes), a subset of them.
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
-- Columns: helper ('CIU', 'IO', 'CIU or IO'); cases; with_misconduct; total (every filtered case).
-- Three rows, in that order.
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

tagged as (
    select
        coalesce(list_contains(tags, 'CIU'), false) as ciu,
        coalesce(list_contains(tags, 'IO'), false) as io,
        official_misconduct
    from selected
),

counted as (
    select
        count(*) as total,
        count_true(ciu) as ciu_cases,
        count_true(ciu and official_misconduct) as ciu_om,
        count_true(io) as io_cases,
        count_true(io and official_misconduct) as io_om,
        count_true(ciu or io) as either_cases,
        count_true((ciu or io) and official_misconduct) as either_om
    from tagged
),

final as (
    select 'CIU' as helper, ciu_cases as cases, ciu_om as with_misconduct, total from counted
    union all
    select 'IO', io_cases, io_om, total from counted
    union all
    select 'CIU or IO', either_cases, either_om, total from counted
)

select * from final
