-- Participatiewet (issue 14): bijstand benefits (uitkeringen) and re-integration provisions, each versioned like
-- allocations (a version was the known state at D when known_from <= D < superseded_at; `load_id` the load that
-- brought it, `superseded_by` the load that replaced it, for the repair of a killed load: loads.VERSIONED_TABLES).
-- The fields follow the national CBS delivery for the bijstand statistics (Regeling statistiek Participatiewet,
-- IOAW en IOAZ, bijlage 1 "BUS"), so that every income system can export them.

-- Every version of every benefit. Key (source, benefit_id). A benefit has an applicant (aanvrager) and at most
-- one partner; a couple on one benefit is two persons and one benefit (CBS). Both persons get a client key from
-- the one identity of all laws (migration 0009), so a partner on a benefit with Wmo support is one client.
CREATE TABLE benefit_versions (
    source                VARCHAR NOT NULL,
    benefit_id            VARCHAR NOT NULL,
    load_id               BIGINT NOT NULL,
    known_from            TIMESTAMP NOT NULL,
    superseded_at         TIMESTAMP,
    superseded_by         BIGINT,
    source_row            BIGINT NOT NULL,
    content_hash          UHUGEINT NOT NULL,  -- over the identifiers as given, not the client keys
    client_key            BIGINT,             -- the applicant, as allocation_versions.client_key
    pseudonym             VARCHAR,            -- the identifiers the row came with (never a BSN)
    client_number         VARCHAR,
    partner_key           BIGINT,             -- the partner's client key; NULL: no partner on the benefit
    partner_pseudonym     VARCHAR,
    partner_client_number VARCHAR,
    birth_date            DATE NOT NULL,      -- the applicant's
    partner_birth_date    DATE,
    gender                VARCHAR,            -- iWmo geslacht: 0 onbekend, 1 man, 2 vrouw
    partner_gender        VARCHAR,
    regulation            VARCHAR NOT NULL,   -- 'PW' (algemene bijstand), 'IOAW', 'IOAZ', 'BBZ'
    household_type        VARCHAR,            -- leefvorm (domain code list), NULL when the file gives none
    cost_sharers          INTEGER,            -- number of kostendelers
    start_date            DATE NOT NULL,      -- inclusive
    end_date              DATE,               -- inclusive; NULL = running
    inflow_reason         VARCHAR,            -- CBS code (a local code mapped to it), as given when unknown
    outflow_reason        VARCHAR,            -- CBS kenmerk 34 code (a local code mapped to it)
    municipality_code     VARCHAR,
    pc4                   VARCHAR
);

-- Every version of every re-integration provision (BBV indicator "lopende re-integratievoorzieningen per 10.000
-- inwoners van 15-64 jaar"). Key (source, provision_id).
CREATE TABLE reintegration_versions (
    source            VARCHAR NOT NULL,
    provision_id      VARCHAR NOT NULL,
    load_id           BIGINT NOT NULL,
    known_from        TIMESTAMP NOT NULL,
    superseded_at     TIMESTAMP,
    superseded_by     BIGINT,
    source_row        BIGINT NOT NULL,
    content_hash      UHUGEINT NOT NULL,
    client_key        BIGINT,
    pseudonym         VARCHAR,
    client_number     VARCHAR,
    birth_date        DATE,
    provision_type    VARCHAR NOT NULL,   -- as given by the source ('onbekend' when the file gives none)
    start_date        DATE NOT NULL,
    end_date          DATE,
    municipality_code VARCHAR,
    pc4               VARCHAR
);
