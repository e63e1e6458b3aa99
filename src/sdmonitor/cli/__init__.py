"""The command-line program ``sdm``: parse options, call one function, show the result (in Dutch).

Importing this package assembles the program; ``sdm = "sdmonitor.cli:main"`` (pyproject.toml) runs it.
The public surface is ``cli`` (the click group), ``main`` (the entry point) and ``write_crash_log``. Which
module holds what:

- ``app.py``: the group ``sdm`` and its options (--db, --quiet), ``_State`` (the warehouse a command opens,
  the progress bar), the console, what commands share (``_date_option``, ``_as_of_option``, ``_now``,
  ``_OutputPath``, ``_table_output``), ``main`` (one-line Dutch errors, the crash log) and
  ``_environment_variables`` (``SDM_<NAME>`` for every option);
- ``load.py``: ``sdm load`` and its subcommands: allocations, declarations, requests, deliveries, benefits,
  reintegration (per source, every row loaded or reported), areas, providers, population (reference tables)
  and tariffs, budgets, index, norms (versioned finance tables); the load summary ``_print_summary``;
- ``warehouse.py``: ``sdm init`` and the commands that show what the warehouse holds or a load accepts:
  ``sdm loads``, ``sdm mappings``, ``sdm norms``, ``sdm index list``;
- ``metric.py``: ``sdm metric`` (its options generated from the declared metric options), ``sdm metrics``
  and ``sdm forecast``;
- ``report.py``: ``sdm report`` (halfyear, quarter, editions, diff) and ``_print_report``;
- ``demo.py``: ``sdm generate`` and ``sdm demo``;
- the dashboard's ``sdm serve`` and ``sdm user`` live in ``web/commands.py`` and are added below.

Each command module registers its commands on ``cli`` when it is imported. The calls below that give every
option its ``SDM_*`` variable and make click's usage placeholders Dutch must run after all of them, so a new
command module is imported here, above those calls. ``sdm serve`` and ``sdm user`` are added after the first
call: their options name their own variables.
"""

from __future__ import annotations

from sdmonitor import clitext
from sdmonitor.cli import demo, load, metric, report, warehouse  # noqa: F401  (they register their commands)
from sdmonitor.cli.app import _environment_variables, cli, main, write_crash_log
from sdmonitor.web.commands import serve, user

__all__ = ["cli", "main", "write_crash_log"]

_environment_variables(cli)

# The dashboard (issue 5): `sdm serve` and `sdm user`; their options name their own SDM_* variables.
cli.add_command(serve)
cli.add_command(user)


clitext.use_dutch_usage(cli)
