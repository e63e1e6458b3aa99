-- Every report run is an edition: which report, which period, the data it was made from and its figures.
-- data_moment is the moment of the newest allocation load the edition includes: `--as-of data_moment`
-- rebuilds the same figures. figures holds every table cell as JSON {key: {"label", "v", "t"}}: the value,
-- and the text the reader saw (with '< 5' and 'x'). revision lists what changed against the previous
-- edition of the same report and period, with the loads that changed it.
CREATE SEQUENCE edition_ids START 1;

CREATE TABLE report_editions (
    edition_id     BIGINT PRIMARY KEY,
    template       VARCHAR NOT NULL,   -- the template's name, e.g. 'halfjaar'
    template_title VARCHAR NOT NULL,
    template_hash  VARCHAR NOT NULL,   -- SHA-256 of the template file
    period         VARCHAR NOT NULL,   -- e.g. '2018-H1'
    number         INTEGER NOT NULL,   -- 1, 2, ... per template and period
    as_of          VARCHAR,            -- what --as-of asked for, if anything
    data_moment    TIMESTAMP,          -- newest allocation load included (NULL: no loads)
    last_load_id   BIGINT,             -- newest load of any kind included
    created_at     TIMESTAMP NOT NULL, -- Dutch local time
    figures_hash   VARCHAR NOT NULL,   -- SHA-256 of the figures' values
    figures        VARCHAR NOT NULL,   -- JSON
    previous_id    BIGINT,             -- the edition the revision compares with
    revision       VARCHAR NOT NULL,   -- JSON list of changes
    files          VARCHAR NOT NULL,   -- JSON {"pdf": path, "html": path, "xlsx": path, "texts": path}
    sdm_version    VARCHAR NOT NULL,
    UNIQUE (template, period, number)
);

-- How many rows of each load had each problem (the row-echo report has the rows themselves): for the
-- data-quality appendix of reports and the dashboard's data page.
CREATE TABLE load_issues (
    load_id  BIGINT NOT NULL,
    severity VARCHAR NOT NULL,  -- 'fout' (row rejected) or 'waarschuwing' (row loaded)
    code     VARCHAR NOT NULL,  -- the reason code of docs/loading.md
    rows     BIGINT NOT NULL,
    PRIMARY KEY (load_id, code)
);
