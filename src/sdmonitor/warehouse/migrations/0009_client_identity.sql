-- One client, one key (issue 9.2): the key the metrics group and sort on becomes an integer, assigned once per
-- person by the identity table. The pseudonym of a BSN (valid in every source) and the client numbers of each
-- source map to it; docs/loading.md ("Eén cliënt, één sleutel") has the rules for linking them.
CREATE SEQUENCE client_keys START 1;

-- Every identifier a client is known by. A key has at most one pseudonym and, per source, at most one client
-- number linked to a pseudonym (the loader keeps it so; a conflicting row is reported and kept apart).
CREATE TABLE client_identifiers (
    kind       VARCHAR NOT NULL,  -- 'pseudonym' (HMAC of the BSN) or 'client_number'
    source     VARCHAR NOT NULL,  -- the source of a client number; '' for a pseudonym
    identifier VARCHAR NOT NULL,  -- the pseudonym, or the source's client number
    client_key BIGINT NOT NULL,
    load_id    BIGINT NOT NULL    -- the load that brought it; 0: converted from the text keys by this migration
);

-- Existing text keys: one integer per distinct text (as before: the same text was the same client), in text
-- order. A 32-character lowercase hex key is a pseudonym; any other text is a client number of the sources
-- it occurs in.
CREATE TABLE client_key_conversion AS
SELECT old_key, nextval('client_keys') AS new_key
FROM (SELECT DISTINCT client_key AS old_key FROM allocation_versions ORDER BY old_key);

INSERT INTO client_identifiers
SELECT 'pseudonym', '', old_key, new_key, 0 FROM client_key_conversion
WHERE regexp_full_match(old_key, '[0-9a-f]{32}');

INSERT INTO client_identifiers
SELECT DISTINCT 'client_number', v.source, v.client_key, c.new_key, 0
FROM allocation_versions v JOIN client_key_conversion c ON c.old_key = v.client_key
WHERE NOT regexp_full_match(v.client_key, '[0-9a-f]{32}');

-- The table again (DuckDB cannot alter a column's type from a join, nor alter after an update in one
-- transaction): client_key as the integer in its place, the content hash over it (warehouse/allocations.py:
-- content_hash_sql, the same expression), and the identifiers each version came with (what the source said).
CREATE TABLE allocation_versions_0009 AS
SELECT v.* REPLACE (
    c.new_key AS client_key,
    md5_number(concat_ws(chr(31), allocation_id,
    coalesce(CAST(c.new_key AS VARCHAR), chr(0)), coalesce(CAST(birth_date AS VARCHAR), chr(0)),
    coalesce(CAST(gender AS VARCHAR), chr(0)), coalesce(CAST(municipality_code AS VARCHAR), chr(0)),
    coalesce(CAST(pc4 AS VARCHAR), chr(0)), coalesce(CAST(law AS VARCHAR), chr(0)),
    coalesce(CAST(product_category AS VARCHAR), chr(0)), coalesce(CAST(product_code AS VARCHAR), chr(0)),
    coalesce(CAST(provider_code AS VARCHAR), chr(0)), coalesce(CAST(provider_name AS VARCHAR), chr(0)),
    coalesce(CAST(start_date AS VARCHAR), chr(0)), coalesce(CAST(end_date AS VARCHAR), chr(0)),
    coalesce(CAST(volume AS VARCHAR), chr(0)), coalesce(CAST(unit AS VARCHAR), chr(0)),
    coalesce(CAST(frequency AS VARCHAR), chr(0)), coalesce(CAST(delivery_form AS VARCHAR), chr(0)),
    coalesce(CAST(referrer AS VARCHAR), chr(0)), coalesce(CAST(request_date AS VARCHAR), chr(0)),
    coalesce(CAST(decision_date AS VARCHAR), chr(0)), coalesce(CAST(change_reason AS VARCHAR), chr(0)),
    coalesce(CAST(end_reason AS VARCHAR), chr(0)))) AS content_hash
),
    CASE WHEN regexp_full_match(v.client_key, '[0-9a-f]{32}') THEN v.client_key END AS pseudonym,
    CASE WHEN NOT regexp_full_match(v.client_key, '[0-9a-f]{32}') THEN v.client_key END AS client_number
FROM allocation_versions v JOIN client_key_conversion c ON c.old_key = v.client_key;

DROP TABLE allocation_versions;
ALTER TABLE allocation_versions_0009 RENAME TO allocation_versions;
-- client_key stays nullable: a load's rows get their key in AllocationLoad.finish, before it commits
ALTER TABLE allocation_versions ALTER COLUMN source SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN allocation_id SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN load_id SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN known_from SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN source_row SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN content_hash SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN birth_date SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN law SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN product_category SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN start_date SET NOT NULL;
ALTER TABLE allocation_versions ALTER COLUMN is_deleted SET NOT NULL;

DROP TABLE client_key_conversion;

-- When a load links two known keys, the identifiers of the absorbed key move to the survivor. Each move is
-- kept with its load, so that the repair of an unfinished load (warehouse/loads.py, docs/guarantees.md) can
-- move them back; the identifiers a load added carry its load_id and are removed.
CREATE TABLE client_identifier_moves (
    load_id    BIGINT NOT NULL,
    kind       VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,
    identifier VARCHAR NOT NULL,
    old_key    BIGINT NOT NULL,
    new_key    BIGINT NOT NULL
);
