"""Exoneration Misconduct Explorer: the data layer (import, database, filters, figures, charts)."""
