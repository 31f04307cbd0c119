-- accountability_by_county: within one state or jurisdiction, how many filtered exonerations each county
-- of the crime has with official misconduct (coded Yes) and, among those cases only, in how many an
-- official was disciplined (any of the registry's four kinds), in how many no discipline is known to the
-- registry and in how many discipline is not coded — the last three partition `om_cases`. Counties are
-- grouped as in by_county.sql (spellings that differ only in capitals are one county, shown as its most
-- frequent spelling; for `$state = 'Federal'` the "county" is the federal district).
-- Parameters: the filter parameters of `filtered` (see _macros.sql); $state — a jurisdiction as named
-- by `accountability_by_state` ("New York", "Federal").
-- Columns: county; cases; om_cases; any_discipline; no_known_discipline; not_coded. One row per county
-- with at least one case, most cases with official misconduct first.
with
selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
),

placed as (
    select
        coalesce(starts_with(state, 'Fed-'), false) as federal_court,
        case when federal_court then 'Federal' else coalesce(state, '(state not recorded)') end as jurisdiction,
        case
            when federal_court then state || ' ' || coalesce(county, '(district not recorded)')
            else coalesce(county, '(county not recorded)')
        end as county_as_written,
        lower(county_as_written) as county_key,
        coalesce(official_misconduct, false) as om,
        disc_any
    from selected
    where jurisdiction = $state
),

spellings as (
    select county_key, county_as_written, count(*) as n
    from placed
    group by county_key, county_as_written
),

names as (
    select county_key, first(county_as_written order by n desc, county_as_written) as county
    from spellings
    group by county_key
),

final as (
    select
        names.county,
        count(*) as cases,
        count_true(om) as om_cases,
        count_true(om and disc_any) as any_discipline,
        count_true(om and not disc_any) as no_known_discipline,
        count_true(om and disc_any is null) as not_coded
    from placed
    join names using (county_key)
    group by names.county
    order by om_cases desc, cases desc, names.county
)

select * from final
