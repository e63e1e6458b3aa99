-- The shipped price index series `vng-ova-ppc` (docs/design/money.md §1.5, docs/loading.md "Tarieven, budgetten en
-- indexreeksen"): the VNG advice for indexing Wmo and Jeugd tariffs, 90 % OVA + 10 % PPC, as published, each row
-- with its source. Written out from src/sdmonitor/domain/data/index-vng-ova-ppc.csv (a test keeps the two equal);
-- source_row is the row of that file. load_id 0: shipped with sdmonitor, never undone. Known from 1900: these
-- figures count as known at every --as-of (a warehouse made before this migration never used them). A later
-- release that corrects or adds a figure does so in a new migration, known from the moment it runs, so that
-- an edition made before the upgrade is rebuilt with the figures it used.
INSERT INTO index_versions
    (series, year, status, percentage, source_note, load_id, known_from, superseded_at, superseded_by, source_row)
VALUES
    ('vng-ova-ppc', 2023, 'voorlopig', 4.75, 'VNG, Indexatie bij inkoop jeugdhulp en Wmo-ondersteuning 2024 (https://vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2024): 90 % OVA 4,74 % + 10 % PPC 4,87 %', 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 2),
    ('vng-ova-ppc', 2023, 'definitief', 6.43, 'VNG, Indexatie bij inkoop jeugdhulp en Wmo-ondersteuning 2024 (https://vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2024): 90 % OVA 6,36 % + 10 % PPC 7,02 %', 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 3),
    ('vng-ova-ppc', 2024, 'voorlopig', 4.70, 'VNG, Indexatie bij inkoop jeugdhulp en Wmo-ondersteuning 2025 (https://vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2025): 90 % OVA 4,94 % + 10 % PPC 2,51 %', 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 4),
    ('vng-ova-ppc', 2024, 'definitief', 5.71, 'VNG, Indexatie bij inkoop jeugdhulp en Wmo-ondersteuning 2025 (https://vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2025): 90 % OVA 6,00 % + 10 % PPC 3,10 %', 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 5),
    ('vng-ova-ppc', 2025, 'voorlopig', 3.944, 'VNG, Indexatie bij inkoop jeugdhulp en Wmo-ondersteuning 2025 (https://vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2025): 90 % OVA 4,18 % + 10 % PPC 1,82 % (niet de ''indexatie aanbieder'' van 4,96 %, die de correctie over 2024 bevat)', 0, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL, 6);
