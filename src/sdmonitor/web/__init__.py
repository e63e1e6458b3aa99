"""The web dashboard (``sdm serve``): server-side pages on the warehouse, with login, roles and an audit log.

``commands.py`` holds the ``sdm serve`` and ``sdm user`` commands, ``app.py`` the application factory,
``routes/`` the routers, ``deps.py`` what they share (roles as dependencies), ``pages/`` one module per page
with its declaration and builder; every figure comes from ``run_metric`` through ``figures.py``. See
docs/dashboard.md and docs/architecture.md ("The web layer").
"""
