-- A load is visible only once one small final write marks it complete (issue 10.1; docs/guarantees.md).
-- A load first commits its `loads` row with status 'loading', then its rows in one big transaction, then
-- sets status 'complete'. Every writable open undoes the loads still 'loading' (a killed process): it removes
-- their rows and restores what they superseded, so the warehouse never depends on DuckDB discarding an
-- unfinished transaction from its WAL.
ALTER TABLE loads ADD COLUMN status VARCHAR DEFAULT 'complete';  -- 'loading' or 'complete' (never NULL)

-- The load that superseded this version (NULL while current): what the repair restores.
ALTER TABLE allocation_versions ADD COLUMN superseded_by BIGINT;

-- A reference load replaces its table whole; the previous content is copied here, tagged with the load, in
-- the load's first small transaction, and removed once the load is complete.
CREATE TABLE postcode_areas_before_load AS SELECT CAST(NULL AS BIGINT) AS load_id, * FROM postcode_areas LIMIT 0;
CREATE TABLE providers_before_load AS SELECT CAST(NULL AS BIGINT) AS load_id, * FROM providers LIMIT 0;
CREATE TABLE population_before_load AS SELECT CAST(NULL AS BIGINT) AS load_id, * FROM population LIMIT 0;
