"""Replacing a reference table (``warehouse/loads.py``), on a real warehouse."""

from __future__ import annotations

import pyarrow as pa
import pytest

from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import provider_names
from sdmonitor.warehouse.loads import replace_reference_table


def providers(*codes: str) -> pa.Table:
    return pa.table(
        {
            "provider_code": list(codes),
            "provider_name": [f"Zorg {c}" for c in codes],
            "provider_type": ["ggz"] * len(codes),
        }
    )


def test_a_reference_table_is_replaced_whole(warehouse: Warehouse) -> None:
    replace_reference_table(warehouse, "providers", providers("12345678", "23456789"))
    replace_reference_table(warehouse, "providers", providers("34567890"))
    assert provider_names(warehouse) == {"34567890": "Zorg 34567890"}


def test_only_a_reference_table_can_be_replaced(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="not a reference table"):
        replace_reference_table(warehouse, "loads", providers("12345678"))
