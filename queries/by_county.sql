-- by_county: within one state or jurisdiction, how many filtered exonerations each county of the
-- crime has, how many with official misconduct, the misconduct share and the years lost. For
-- `$state = 'Federal'` (every `Fed-XX` state) the "county" is the federal district, named with its
-- jurisdiction, e.g. "Fed-NY (Eastern)". Spellings that differ only in capitals ("DuPage" and
-- "Dupage") are one county, shown as its most frequent spelling.
-- Parameters: the filter parameters of `filtered` (see _macros.sql); $state — a jurisdiction as
-- named by `by_state` ("Illinois", "District of Columbia", "Federal").
-- Columns: county; cases; with_misconduct; misconduct_share; years_lost (sum); cases_with_years_lost;
-- among the cases with official misconduct only: any_discipline; no_known_discipline; not_coded (the
-- three partition with_misconduct).
-- One row per county with at least one case, most cases first.
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
        years_lost,
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
        count_true(om) as with_misconduct,
        count_true(om) / count(*) as misconduct_share,
        round(sum(years_lost), 1) as years_lost,
        count(years_lost) as cases_with_years_lost,
        count_true(om and disc_any) as any_discipline,
        count_true(om and not disc_any) as no_known_discipline,
        count_true(om and disc_any is null) as not_coded
    from placed
    join names using (county_key)
    group by names.county
    order by cases desc, names.county
)

select * from final
