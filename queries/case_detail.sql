-- case_detail: every column of one case, found by its case ID whatever the sidebar's filters — the
-- case view of the Cases page (`/cases?case=<ID>`).
-- Parameters: $case_id — the case's `case_id` (the registry's case ID in the full export, a stable
--   hash of name, place and dates in the public spreadsheet); compared as text, never as a pattern.
-- Columns: every column of `cases` (see README.md); no row when no case has that ID.
with
chosen as (
    select *
    from cases
    where case_id = $case_id
),

final as (
    select * from chosen
    order by source_row
    limit 1
)

select * from final
