-- Population may come per single age or per age band: age is the lower bound, age_to the upper bound
-- (inclusive; NULL = open-ended, as in "65+"). A single age has age_to = age.
ALTER TABLE population ADD COLUMN age_to INTEGER;
UPDATE population SET age_to = age;
