-- years_lost_distribution: how many years exonerees lost — the filtered exonerations with a recorded
-- figure, counted in bands of years lost (0; under 1; 1 to under 5; then 5-year bands; 40 or more),
-- split into those with and without official misconduct. Every band is listed, 0 when empty.
-- Cases without a recorded figure are left out (see `years_lost_by_misconduct` for their number).
-- Columns: band_order, band, lower, upper (band = lower <= years lost < upper; upper NULL = no
-- limit), cases, misconduct_cases, other_cases (without official misconduct or not coded).
-- Parameters: the filter parameters of `filtered` (see _macros.sql).
with
bands as (
    select * from (values
        (1, '0', 0.0, 0.0),
        (2, 'Under 1', 0.0, 1.0),
        (3, '1–4.9', 1.0, 5.0),
        (4, '5–9.9', 5.0, 10.0),
        (5, '10–14.9', 10.0, 15.0),
        (6, '15–19.9', 15.0, 20.0),
        (7, '20–24.9', 20.0, 25.0),
        (8, '25–29.9', 25.0, 30.0),
        (9, '30–34.9', 30.0, 35.0),
        (10, '35–39.9', 35.0, 40.0),
        (11, '40 or more', 40.0, null)
    ) as t(band_order, band, lower, upper)
),

selected as (
    from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
                  $death_sentence, $include_pre_1989,
                  f_conviction_forms := $conviction_forms, f_ciu := $ciu)
    where years_lost is not null
),

banded as (
    select
        case
            when years_lost = 0 then 1
            when years_lost < 1 then 2
            when years_lost < 5 then 3
            when years_lost >= 40 then 11
            else 3 + floor(years_lost / 5)::integer
        end as band_order,
        coalesce(official_misconduct, false) as misconduct
    from selected
),

counts as (
    select
        band_order,
        count(*) as cases,
        count_true(misconduct) as misconduct_cases
    from banded
    group by band_order
),

final as (
    select
        b.band_order,
        b.band,
        b.lower,
        b.upper,
        coalesce(c.cases, 0) as cases,
        coalesce(c.misconduct_cases, 0) as misconduct_cases,
        coalesce(c.cases, 0) - coalesce(c.misconduct_cases, 0) as other_cases
    from bands as b
    left join counts as c on c.band_order = b.band_order
    order by b.band_order
)

select * from final
