-- misconduct_cooccurrence: which kinds of official misconduct occur together — for every pair of
-- the 11 misconduct codes (4 actors, 7 kinds), how many filtered exonerations are coded with both.
-- The diagonal (row_code = col_code) is the number of cases with that code. Every pair is listed,
-- with 0 when no case has both. Codes are counted as coded, like `stats` and `misconduct_by_*`.
-- One pass over the cases: each case's codes become one bit pattern (bit k-1 for the k-th code),
-- cases are counted per pattern (a few hundred patterns at most), and a pair's count is the sum over
-- the patterns that have both bits.
-- Columns: row_code, col_code (glossary keys), row_order, col_order (glossary order, 1-11), cases.
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
codes as (
    select * from (values
        ('police', 1), ('prosecutor', 2), ('forensic_analyst', 3), ('child_welfare', 4),
        ('withheld_evidence', 5), ('not_withholding', 6), ('prosecutor_permitted_perjury', 7),
        ('witness_tampering', 8), ('interrogation', 9), ('perjury_by_official', 10),
        ('prosecutor_lied', 11)
    ) as t(code, code_order)
),

selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

patterns as (
    select
        (case when om_police then 1 else 0 end)
        + (case when om_prosecutor then 2 else 0 end)
        + (case when om_forensic_analyst then 4 else 0 end)
        + (case when om_child_welfare then 8 else 0 end)
        + (case when om_withheld_evidence then 16 else 0 end)
        + (case when om_not_withholding then 32 else 0 end)
        + (case when om_prosecutor_permitted_perjury then 64 else 0 end)
        + (case when om_witness_tampering then 128 else 0 end)
        + (case when om_interrogation then 256 else 0 end)
        + (case when om_perjury_by_official then 512 else 0 end)
        + (case when om_prosecutor_lied then 1024 else 0 end) as pattern,
        count(*) as cases
    from selected
    group by pattern
),

final as (
    select
        r.code as row_code,
        c.code as col_code,
        r.code_order as row_order,
        c.code_order as col_order,
        coalesce(sum(p.cases), 0)::bigint as cases
    from codes as r
    cross join codes as c
    left join patterns as p
        on (p.pattern >> (r.code_order - 1)) & 1 = 1 and (p.pattern >> (c.code_order - 1)) & 1 = 1
    group by all
    order by row_order, col_order
)

select * from final
