"""The warehouse: the only package that talks to the database."""

from sdmonitor.warehouse.database import Warehouse, open_warehouse

__all__ = ["Warehouse", "open_warehouse"]
