-- The privacy settings an edition was published under, so the dashboard can tell which editions a viewer
-- may download: min_count = the threshold (counts 1..min_count-1 hidden), rounded = counts rounded to
-- multiples of 5. Editions made before this migration keep NULL: their protection is unknown, so viewers do
-- not get them (docs/dashboard.md, "Privacy").
ALTER TABLE report_editions ADD COLUMN min_count INTEGER;
ALTER TABLE report_editions ADD COLUMN rounded BOOLEAN;

-- User names locked after failed logins from several addresses (docs/dashboard.md, "Beveiliging"): kept
-- across a restart of the server, lifted when locked_until passes or by `sdm user unlock NAME`. The name is
-- stored lower-case as typed (it need not exist); times are seconds since 1970, like web_sessions.
CREATE TABLE web_login_locks (
    name         VARCHAR PRIMARY KEY,
    locked_at    DOUBLE NOT NULL,
    locked_until DOUBLE NOT NULL
);
