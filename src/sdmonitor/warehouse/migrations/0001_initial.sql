-- Loads, versioned allocations, settings and postcode areas.
-- Timestamps are UTC. Dates of support are inclusive: end_date is the last day of support, NULL = open-ended.

CREATE SEQUENCE load_ids START 1;

CREATE TABLE loads (
    load_id        BIGINT PRIMARY KEY,
    kind           VARCHAR NOT NULL,   -- 'allocations', 'postcode_areas'
    source         VARCHAR NOT NULL,   -- the registration system the file came from
    file_name      VARCHAR NOT NULL,
    file_sha256    VARCHAR NOT NULL,
    mapping        VARCHAR NOT NULL,   -- the column mapping used
    known_from     TIMESTAMP NOT NULL, -- the moment the file describes (default: when it was loaded)
    loaded_at      TIMESTAMP NOT NULL,
    rows_read      BIGINT NOT NULL,
    rows_loaded    BIGINT NOT NULL,    -- new allocations or new versions stored
    rows_unchanged BIGINT NOT NULL,    -- identical to the version already known
    rows_duplicate BIGINT NOT NULL,    -- exact duplicates of another row in the same file
    rows_rejected  BIGINT NOT NULL,
    rows_warned    BIGINT NOT NULL,    -- loaded with one or more warnings
    report_path    VARCHAR,
    sdm_version    VARCHAR NOT NULL
);

-- Every version of every allocation. A version is current while superseded_at IS NULL; it was the known
-- state on date D when known_from <= D < superseded_at.
CREATE TABLE allocation_versions (
    source            VARCHAR NOT NULL,
    allocation_id     VARCHAR NOT NULL,
    load_id           BIGINT NOT NULL,
    known_from        TIMESTAMP NOT NULL,
    superseded_at     TIMESTAMP,
    source_row        BIGINT NOT NULL,
    content_hash      UHUGEINT NOT NULL,
    client_key        VARCHAR NOT NULL,  -- pseudonym (HMAC of the BSN) or the source's client number
    birth_date        DATE NOT NULL,
    gender            VARCHAR,           -- iWmo geslacht: 0 onbekend, 1 man, 2 vrouw
    municipality_code VARCHAR,
    pc4               VARCHAR,
    law               VARCHAR NOT NULL,  -- 'WMO' or 'JW'
    product_category  VARCHAR NOT NULL,
    product_code      VARCHAR,
    provider_code     VARCHAR,
    provider_name     VARCHAR,
    start_date        DATE NOT NULL,
    end_date          DATE,
    volume            DOUBLE,
    unit              VARCHAR,
    frequency         VARCHAR,
    delivery_form     VARCHAR,
    referrer          VARCHAR,
    request_date      DATE,
    decision_date     DATE,
    change_reason     VARCHAR,
    end_reason        VARCHAR,
    is_deleted        BOOLEAN NOT NULL   -- reden wijziging 13: kept, never counted
);

CREATE TABLE settings (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE postcode_areas (
    pc4               VARCHAR PRIMARY KEY,
    wijk_code         VARCHAR NOT NULL,
    wijk_name         VARCHAR NOT NULL,
    municipality_code VARCHAR
);

-- The current version of every allocation that counts (not deleted), with its wijk.
CREATE VIEW allocations AS
SELECT v.*, a.wijk_code, a.wijk_name
FROM allocation_versions v
LEFT JOIN postcode_areas a ON a.pc4 = v.pc4
WHERE v.superseded_at IS NULL AND NOT v.is_deleted;

-- The versions known at the end of a day, that count.
CREATE MACRO allocations_as_of(d) AS TABLE
SELECT v.*, a.wijk_code, a.wijk_name
FROM allocation_versions v
LEFT JOIN postcode_areas a ON a.pc4 = v.pc4
WHERE v.known_from < CAST(d AS DATE) + INTERVAL 1 DAY
  AND (v.superseded_at IS NULL OR v.superseded_at >= CAST(d AS DATE) + INTERVAL 1 DAY)
  AND NOT v.is_deleted;
