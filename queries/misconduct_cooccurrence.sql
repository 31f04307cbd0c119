-- misconduct_cooccurrence: which kinds of official misconduct occur together — for every pair of
-- the 11 misconduct codes (4 actors, 7 kinds), how many filtered exonerations are coded with both.
-- The diagonal (row_code = col_code) is the number of cases with that code. Every pair is listed,
-- with 0 when no case has both. Codes are counted as coded, like `stats` and `misconduct_by_*`.
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
                  $death_sentence, $include_pre_1989)
),

coded as (
    select
        case_id,
        om_police as police,
        om_prosecutor as prosecutor,
        om_forensic_analyst as forensic_analyst,
        om_child_welfare as child_welfare,
        om_withheld_evidence as withheld_evidence,
        om_not_withholding as not_withholding,
        om_prosecutor_permitted_perjury as prosecutor_permitted_perjury,
        om_witness_tampering as witness_tampering,
        om_interrogation as interrogation,
        om_perjury_by_official as perjury_by_official,
        om_prosecutor_lied as prosecutor_lied
    from selected
),

long as (
    unpivot coded
    on police, prosecutor, forensic_analyst, child_welfare, withheld_evidence, not_withholding,
       prosecutor_permitted_perjury, witness_tampering, interrogation, perjury_by_official,
       prosecutor_lied
    into name code value is_coded
),

present as (
    select case_id, code from long where is_coded
),

pairs as (
    select a.code as row_code, b.code as col_code, count(*) as cases
    from present as a
    join present as b on a.case_id = b.case_id
    group by all
),

final as (
    select
        r.code as row_code,
        c.code as col_code,
        r.code_order as row_order,
        c.code_order as col_order,
        coalesce(p.cases, 0) as cases
    from codes as r
    cross join codes as c
    left join pairs as p on p.row_code = r.code and p.col_code = c.code
    order by row_order, col_order
)

select * from final
