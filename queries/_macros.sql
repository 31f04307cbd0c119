-- Shared definitions, run once when the app or the command line opens the database.
-- `reg` is the registry database, attached read-only.

-- cases: one row per exoneration (see queries/README.md for the columns).
create or replace view cases as select * from reg.cases;

-- count_true(cond): how many rows `cond` is true for (NULL is not true), 0 when there are none.
-- The same count as `count(*) filter (where cond)`, about twice as fast when a query counts many
-- conditions over the same rows.
create or replace macro count_true(cond) as coalesce(count_if(cond), 0)::bigint;

-- filtered(...): the cases that pass the filters. Every question starts here, called as
--   from filtered($as_of, $year_from, $year_to, $states, $crimes, $races, $sexes, $dna,
--                 $death_sentence, $include_pre_1989)
-- A NULL argument means "no limit"; lists are matched exactly. Pre-1989 cases are left out unless
-- f_include_pre_1989 is true (the registry's default view is 1989 to the present). The last two are
-- named and may be left out: how the conviction was obtained (jury, plea, bench, other_or_unknown) and
-- whether a conviction integrity unit was involved (the CIU tag), e.g.
--   from filtered($as_of, …, $include_pre_1989, f_conviction_forms := ['plea'], f_ciu := true)
create or replace macro filtered(
    f_as_of, f_year_from, f_year_to, f_states, f_crimes, f_races, f_sexes, f_dna,
    f_death_sentence, f_include_pre_1989, f_conviction_forms := null, f_ciu := null
) as table
    select *
    from reg.cases
    where (f_as_of is null or posting_date <= f_as_of)
      and (f_year_from is null or exoneration_year >= f_year_from)
      and (f_year_to is null or exoneration_year <= f_year_to)
      and (f_states is null or list_contains(f_states, state))
      and (f_crimes is null or list_contains(f_crimes, worst_crime))
      and (f_races is null or list_contains(f_races, race))
      and (f_sexes is null or list_contains(f_sexes, sex))
      and (f_dna is null or coalesce(dna, false) = f_dna)
      and (f_death_sentence is null or coalesce(death_sentence, false) = f_death_sentence)
      and (coalesce(f_include_pre_1989, false) or not coalesce(pre_1989, false))
      and (f_conviction_forms is null or list_contains(f_conviction_forms, conviction_form))
      and (f_ciu is null or coalesce(list_contains(tags, 'CIU'), false) = f_ciu);
