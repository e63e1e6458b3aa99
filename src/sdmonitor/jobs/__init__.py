"""Jobs: the work behind a command that takes several steps (generate, load, report), as plain functions.

A job returns a result that the CLI shows; it gets what only the CLI knows as arguments: how to open the
warehouse (the CLI reports a repaired load when it opens one), the clock (Dutch local time) and the progress
bar. Imports flow cli -> jobs -> reports -> metrics -> warehouse -> domain.
"""
