-- misconduct_police_and_prosecutor: in how many filtered exonerations were both police and
-- prosecutors coded with misconduct — the split of all filtered cases into police and prosecutor,
-- police only, prosecutor only, and neither (no police or prosecutor misconduct coded, including
-- cases with misconduct by other officials and cases not coded). The four rows add up to the total.
-- Columns: segment (police_and_prosecutor, police_only, prosecutor_only, neither), cases, total, share (cases / total).
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

flags as (
    select coalesce(om_police, false) as police, coalesce(om_prosecutor, false) as prosecutor
    from selected
),

counts as (
    select
        count(*) as total,
        count_true(police and prosecutor) as police_and_prosecutor,
        count_true(police and not prosecutor) as police_only,
        count_true(prosecutor and not police) as prosecutor_only,
        count_true(not police and not prosecutor) as neither
    from flags
),

long as (
    unpivot counts
    on police_and_prosecutor, police_only, prosecutor_only, neither
    into name segment value cases
),

final as (
    select segment, cases, total, cases / nullif(total, 0) as share
    from long
    order by list_position(['police_and_prosecutor', 'police_only', 'prosecutor_only', 'neither'], segment)
)

select * from final
