-- new_york_vs_nation: one state's exonerations (normally New York: State = 'New York', the state's
-- own courts; federal cases there, `Fed-NY`, are not included) beside every exoneration in the
-- registry (all states, DC, territories and federal cases): how many, how many with each
-- contributing factor and each kind of official misconduct, and the years lost. Two rows, the state
-- first (side 'state', then 'nation'); the state's row is there (with zeros) even when it has no case.
-- Parameters: the filter parameters of `filtered` (see _macros.sql) except $states, which this
-- comparison ignores; $state — the state to compare.
with
selected as (
    from filtered($as_of, $year_from, $year_to, null, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989)
),

sides as (
    select * from (values ('state', 1), ('nation', 2)) as v(side, side_order)
),

paired as (
    select sides.side, sides.side_order, selected.*
    from sides
    left join selected on sides.side = 'nation' or selected.state = $state
),

final as (
    select
        side,
        case side when 'state' then $state else 'All jurisdictions' end as place,
        count(case_id) as total,
        count(*) filter (where official_misconduct) as official_misconduct,
        count(*) filter (where perjury_or_false_accusation) as perjury_or_false_accusation,
        count(*) filter (where mistaken_witness_id) as mistaken_witness_id,
        count(*) filter (where false_or_misleading_forensic_evidence) as false_or_misleading_forensic_evidence,
        count(*) filter (where inadequate_legal_defense) as inadequate_legal_defense,
        count(*) filter (where false_confession) as false_confession,
        count(*) filter (where dna) as dna,
        count(*) filter (where om_police) as police,
        count(*) filter (where om_prosecutor) as prosecutor,
        count(*) filter (where om_forensic_analyst) as forensic_analyst,
        count(*) filter (where om_child_welfare) as child_welfare,
        count(*) filter (where om_withheld_evidence) as withheld_evidence,
        count(*) filter (where om_not_withholding) as not_withholding,
        count(*) filter (where om_prosecutor_permitted_perjury) as prosecutor_permitted_perjury,
        count(*) filter (where om_witness_tampering) as witness_tampering,
        count(*) filter (where om_interrogation) as interrogation,
        count(*) filter (where om_perjury_by_official) as perjury_by_official,
        count(*) filter (where om_prosecutor_lied) as prosecutor_lied,
        round(sum(years_lost), 1) as years_lost,
        count(years_lost) as cases_with_years_lost,
        median(years_lost) as median_years_lost
    from paired
    group by side, side_order
    order by side_order
)

select * from final
