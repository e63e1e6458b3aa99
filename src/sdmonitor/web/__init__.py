"""The web dashboard (``sdm serve``): server-side pages on the warehouse, with login, roles and an audit log.

``commands.py`` holds the ``sdm serve`` and ``sdm user`` commands, ``app.py`` the application, ``pages.py``
what each page shows; every figure comes from ``run_metric`` through ``figures.py``. See docs/dashboard.md.
"""
