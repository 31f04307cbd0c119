-- year_bounds: the first and last year of exoneration in the data (for the year slider).
-- Parameters: none.
with
final as (
    select min(exoneration_year) as min_year, max(exoneration_year) as max_year
    from cases
)

select * from final
