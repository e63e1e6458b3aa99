-- The moment each load's source was extracted (the export date, `sdm load allocations --extracted-on`).
-- The data moment of a figure is derived from it (docs/metrics.md, "Realised, planned and incomplete"):
-- per source the extraction of its newest load in use, and the earliest of those over the sources.
-- Loads made before this migration get the date of the moment they described (known_from).
ALTER TABLE loads ADD COLUMN extracted_on DATE;
UPDATE loads SET extracted_on = CAST(known_from AS DATE);
