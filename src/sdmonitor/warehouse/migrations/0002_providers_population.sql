-- Providers with their type (for --by provider_type) and the population (for figures per 1,000 inhabitants).

CREATE TABLE providers (
    provider_code VARCHAR PRIMARY KEY,  -- AGB code
    provider_name VARCHAR NOT NULL,
    provider_type VARCHAR NOT NULL      -- gehandicaptenzorg, ggz, psychosociaal, autisme, thuiszorg_..., ouderenzorg, jeugdhulp
);

CREATE TABLE population (
    municipality_code VARCHAR NOT NULL,
    wijk_code         VARCHAR,          -- NULL when the source gives the municipality only
    year              INTEGER NOT NULL, -- inhabitants on 1 January of the year
    age               INTEGER NOT NULL, -- single year of age; 100 = 100 and older
    sex               VARCHAR NOT NULL, -- iWmo geslacht: 1 man, 2 vrouw, 0 onbekend
    inhabitants       BIGINT NOT NULL
);
