-- Money (issue 12; docs/design/money.md): declarations, tariffs, budgets and price indexes, each versioned like
-- allocations (a version was the known state at D when known_from <= D < superseded_at; `load_id` the load that
-- brought it, `superseded_by` the load that replaced it, for the repair of a killed load). Amounts are euros.

-- Every version of every declared line (prestatie, invoice line). The line key is
-- (source, provider_key, law, declaration_id, debit_credit): a 323 ReferentieNummer is unique per provider and
-- law only (TR314), and a credit carries the number of the debit it cancels (TR390), so a credit is its own
-- line that nets against the debit, never a new version of it.
CREATE TABLE declaration_versions (
    source           VARCHAR NOT NULL,
    declaration_id   VARCHAR NOT NULL,
    provider_key     VARCHAR NOT NULL,  -- provider_code, or '' when the line names no valid provider
    law              VARCHAR NOT NULL,  -- 'WMO' or 'JW'
    debit_credit     VARCHAR NOT NULL,  -- 'D' or 'C' (a credit counts negative)
    load_id          BIGINT NOT NULL,
    known_from       TIMESTAMP NOT NULL,
    superseded_at    TIMESTAMP,
    superseded_by    BIGINT,
    source_row       BIGINT NOT NULL,
    content_hash     UHUGEINT NOT NULL,
    client_key       BIGINT,            -- as allocation_versions.client_key (set before the load commits)
    pseudonym        VARCHAR,           -- the identifiers the row came with (never a BSN)
    client_number    VARCHAR,
    allocation_id    VARCHAR,           -- NULL for PGB and one-off costs
    product_category VARCHAR NOT NULL,
    product_code     VARCHAR,
    provider_code    VARCHAR,
    period_start     DATE NOT NULL,     -- the delivery period (ProductPeriode), inclusive
    period_end       DATE NOT NULL,
    volume           DOUBLE,            -- delivered volume in `unit`, always >= 0
    unit             VARCHAR,
    amount           DECIMAL(18, 2) NOT NULL,  -- >= 0; the sign is debit_credit
    status           VARCHAR NOT NULL,  -- 'toegekend', 'afgewezen', 'ingediend'
    submitted_on     DATE NOT NULL,     -- DeclaratieDagtekening; when absent: the extraction day of the first load
    submitted_given  BOOLEAN NOT NULL,  -- false when submitted_on was defaulted (no run-off can be built on it)
    delivery_form    VARCHAR            -- 'ZIN' or 'PGB'
);

-- Tariffs in euros per unit; provider_code '' is every provider (a provider's own tariff beats it). Key
-- (product_code, provider_code, unit, valid_from); valid_to NULL = open.
CREATE TABLE tariff_versions (
    product_code  VARCHAR NOT NULL,
    provider_code VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL,
    valid_from    DATE NOT NULL,
    valid_to      DATE,
    tariff        DOUBLE NOT NULL,
    load_id       BIGINT NOT NULL,
    known_from    TIMESTAMP NOT NULL,
    superseded_at TIMESTAMP,
    superseded_by BIGINT,
    source_row    BIGINT NOT NULL
);

-- Budget lines per year. Lines without provider_code ('') partition the costs of a law by product category
-- (no overlap); a line with a provider is that provider's spending room (bestedingsruimte). A row with the same
-- (year, budget_line) and a later version_date is a budget change, in force from that date. Key
-- (year, budget_line, version_date).
CREATE TABLE budget_versions (
    year               INTEGER NOT NULL,
    budget_line        VARCHAR NOT NULL,
    version_date       DATE NOT NULL,
    amount             DECIMAL(18, 2) NOT NULL,
    law                VARCHAR NOT NULL,
    product_categories VARCHAR[] NOT NULL,  -- empty list = every category of the law
    provider_code      VARCHAR NOT NULL,    -- '' = a line of the partition
    budgeted_clients   BIGINT,
    budgeted_index     DOUBLE,              -- the index percentage the budget assumed
    load_id            BIGINT NOT NULL,
    known_from         TIMESTAMP NOT NULL,
    superseded_at      TIMESTAMP,
    superseded_by      BIGINT,
    source_row         BIGINT NOT NULL
);

-- Price index series (percentage change of year over the year before). Key (series, year, status); a
-- computation uses 'definitief' when known, else 'voorlopig'. load_id 0: shipped with sdmonitor.
CREATE TABLE index_versions (
    series        VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    status        VARCHAR NOT NULL,  -- 'voorlopig' or 'definitief'
    percentage    DOUBLE NOT NULL,
    source_note   VARCHAR,           -- where the figure was published
    load_id       BIGINT NOT NULL,
    known_from    TIMESTAMP NOT NULL,
    superseded_at TIMESTAMP,
    superseded_by BIGINT,
    source_row    BIGINT NOT NULL
);
