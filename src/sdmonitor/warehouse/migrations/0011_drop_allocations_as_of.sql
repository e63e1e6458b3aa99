-- The as-of rule (which versions were known at the end of a day or at a moment) is written once, in the
-- metric engine (`metrics/engine.py` facts), which every metric reads through; its tests exercise that rule.
-- The table macro of migration 0001 repeated it, and no code used it.
DROP MACRO TABLE allocations_as_of;
