-- The privacy settings an edition was published under, so the dashboard can tell which editions a viewer
-- may download: min_count = the threshold (counts 1..min_count-1 hidden), rounded = counts rounded to
-- multiples of 5. Editions made before this migration keep NULL: their protection is unknown, so viewers do
-- not get them (docs/dashboard.md, "Privacy").
ALTER TABLE report_editions ADD COLUMN min_count INTEGER;
ALTER TABLE report_editions ADD COLUMN rounded BOOLEAN;

