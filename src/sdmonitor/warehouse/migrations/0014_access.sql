-- Access and waiting times (issue 13; docs/design/access.md §1, §3.3): requests (meldingen, aanvragen), deliveries
-- (the actual start and end of care, 305/307) and norms, each versioned like allocations (a version was the
-- known state at D when known_from <= D < superseded_at; `load_id` the load that brought it, `superseded_by`
-- the load that replaced it, for the repair of a killed load: loads.VERSIONED_TABLES).

-- Every version of every request. Key (source, request_id): a known request with new content (typically the
-- decision date and outcome of a later export) is a new version.
CREATE TABLE request_versions (
    source           VARCHAR NOT NULL,
    request_id       VARCHAR NOT NULL,
    load_id          BIGINT NOT NULL,
    known_from       TIMESTAMP NOT NULL,
    superseded_at    TIMESTAMP,
    superseded_by    BIGINT,
    source_row       BIGINT NOT NULL,
    content_hash     UHUGEINT NOT NULL,  -- over the identifiers as given, not the client key (as declarations)
    client_key       BIGINT,             -- as allocation_versions.client_key
    pseudonym        VARCHAR,            -- the identifiers the row came with (never a BSN)
    client_number    VARCHAR,
    law              VARCHAR NOT NULL,   -- 'WMO', 'JW' or 'PW'
    kind             VARCHAR NOT NULL,   -- 'melding' or 'aanvraag'
    received_on      DATE NOT NULL,
    decided_on       DATE,               -- NULL: still open (for a melding: the date of the report)
    outcome          VARCHAR,            -- 'toegekend', 'deels', 'afgewezen', 'ingetrokken', 'buiten_behandeling'
    team             VARCHAR NOT NULL,   -- the access team or partner; 'onbekend' when the file gives none
    suspended_days   INTEGER NOT NULL,   -- Awb 4:15, default 0
    extended_days    INTEGER NOT NULL,   -- Awb 4:14, default 0
    product_category VARCHAR,
    plan_on          DATE,               -- the date of the support plan (ondersteuningsplan)
    birth_date       DATE
);

-- Every version of every delivery: the actual first (and last) day of care under an allocation, as a provider
-- reports it. Key (source, allocation_id, start_date), the logical key of a 305/307 (TR413): a stop for a
-- loaded start is a new version of that delivery. An allocation may have several (a pause and a restart).
-- Joined to allocation_versions on (source, allocation_id) when the figures are computed.
CREATE TABLE delivery_versions (
    source        VARCHAR NOT NULL,
    allocation_id VARCHAR NOT NULL,
    start_date    DATE NOT NULL,
    load_id       BIGINT NOT NULL,
    known_from    TIMESTAMP NOT NULL,
    superseded_at TIMESTAMP,
    superseded_by BIGINT,
    source_row    BIGINT NOT NULL,
    content_hash  UHUGEINT NOT NULL,
    end_date      DATE,
    end_reason    VARCHAR,             -- reden beëindiging; '20' is a pause, not an end
    reported_on   DATE
);

-- Norms in days: a legal decision term (applies_to 'melding' or 'aanvraag') or a waiting norm for care
-- ('waiting'). product_category and provider_code '' mean all; the most specific row wins (provider and
-- category > provider > category > neither; warehouse/access.py). The shipped defaults (shipped = true, load
-- 0, with their basis) are never superseded: a loaded row of the same key beats its default, and each load of
-- norms replaces the loaded set before it (rows missing from the new file are superseded).
CREATE TABLE norm_versions (
    law              VARCHAR NOT NULL,   -- 'WMO', 'JW' or 'PW'
    product_category VARCHAR NOT NULL,   -- '' = every category
    provider_code    VARCHAR NOT NULL,   -- '' = every provider
    applies_to       VARCHAR NOT NULL,   -- 'waiting', 'melding' or 'aanvraag'
    shipped          BOOLEAN NOT NULL,   -- a default shipped with sdmonitor
    days             INTEGER NOT NULL,
    basis            VARCHAR,            -- what the norm is based on (the defaults; NULL for a loaded norm)
    load_id          BIGINT NOT NULL,
    known_from       TIMESTAMP NOT NULL,
    superseded_at    TIMESTAMP,
    superseded_by    BIGINT,
    source_row       BIGINT NOT NULL
);

-- The shipped norms (docs/norms.md): written out from src/sdmonitor/domain/data/norms.csv (a test keeps the two
-- equal); source_row is the row of that file. Known from 1900, as the shipped index series (migration 0013).
INSERT INTO norm_versions
    (law, product_category, provider_code, applies_to, days, basis, shipped, load_id, known_from, superseded_at,
     superseded_by, source_row)
VALUES
    ('WMO', '', '', 'melding', 42, 'Wmo 2015 art. 2.3.2 lid 1: het onderzoek na een melding "zo spoedig mogelijk, doch uiterlijk binnen zes weken"', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 2),
    ('WMO', '', '', 'aanvraag', 14, 'Wmo 2015 art. 2.3.5 lid 2: de beschikking "binnen twee weken na ontvangst van de aanvraag"', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 3),
    ('JW', '', '', 'aanvraag', 56, 'Awb art. 4:13: de Jeugdwet kent geen eigen beslistermijn; de redelijke termijn is in ieder geval na acht weken verstreken', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 4),
    ('PW', '', '', 'aanvraag', 56, 'Awb art. 4:13: acht weken (dat de Participatiewet geen eigen beslistermijn heeft, is niet geverifieerd; het voorschot binnen vier weken, art. 52, is geen beslistermijn)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 5),
    ('WMO', '', '', 'waiting', 42, 'Treeknorm thuiszorg 6 weken, dagbesteding VG/LG 6 weken, extramurale zorg 6 weken (VWS 2014; Monitor Langdurige Zorg); geldt voor alle Wmo-categorieën zonder eigen norm', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 6),
    ('WMO', '15', '', 'waiting', 91, 'Treeknorm GGZ beschermd wonen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 7),
    ('WMO', '18', '', 'waiting', 91, 'Treeknorm beschermd wonen 13 weken (VWS 2014), ook voor overige beschermd wonen en opvang', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 8),
    ('JW', '', '', 'waiting', 42, 'Geen wettelijke of landelijke wachtnorm voor jeugdhulp; de VNG noemt de Treeknormen een richtlijn: de extramurale 6 weken', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 9),
    ('JW', '51', '', 'waiting', 98, 'Treeknorm GGZ: aanmelding tot intake 4 weken plus intake tot behandeling 10 weken, samen 14 weken', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 10),
    ('JW', '52', '', 'waiting', 98, 'Treeknorm GGZ: aanmelding tot intake 4 weken plus intake tot behandeling 10 weken, samen 14 weken', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 11),
    ('JW', '54', '', 'waiting', 98, 'Treeknorm GGZ: aanmelding tot intake 4 weken plus intake tot behandeling 10 weken, samen 14 weken', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 12),
    ('JW', '35', '', 'waiting', 91, 'Treeknorm wonen VG/LG 13 weken; intramurale zorg binnen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 13),
    ('JW', '36', '', 'waiting', 91, 'Treeknorm wonen VG/LG 13 weken; intramurale zorg binnen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 14),
    ('JW', '37', '', 'waiting', 91, 'Treeknorm wonen VG/LG 13 weken; intramurale zorg binnen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 15),
    ('JW', '38', '', 'waiting', 91, 'Treeknorm wonen VG/LG 13 weken; intramurale zorg binnen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 16),
    ('JW', '43', '', 'waiting', 91, 'Treeknorm wonen VG/LG 13 weken; intramurale zorg binnen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 17),
    ('JW', '44', '', 'waiting', 91, 'Treeknorm wonen VG/LG 13 weken; intramurale zorg binnen 13 weken (VWS 2014)', true, 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 18);
