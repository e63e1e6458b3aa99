"""Column mappings: how each source's headers map onto the canonical allocation columns.

The only module that knows source column names. A mapping says which header feeds which canonical column,
the CSV delimiter and the decimal separator. Built-in mappings are plain dicts in ``BUILTIN_MAPPINGS``;
users add their own as a YAML file (see ``docs/loading.md``), for example::

    name: mijn-gemeente
    delimiter: ";"
    decimal: ","
    columns:
      Toewijzingsnummer: allocation_id
      BSN: bsn
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sdmonitor.domain.allocations import COLUMN_NAMES
from sdmonitor.errors import InputError


@dataclass(frozen=True)
class Mapping:
    """How one source layout maps to canonical columns.

    ``columns`` maps a normalised source header (lower case, trimmed) to a canonical column name.
    ``delimiter`` is None when it should be sniffed from the header line.
    """

    name: str
    columns: dict[str, str]
    delimiter: str | None = None
    decimal: str = "."
    description: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # canonical -> preferred source header

    def source_header(self, canonical: str) -> str:
        """The header a user of this layout knows for a canonical column (for messages)."""
        return self.headers.get(canonical, canonical)


def normalise_header(header: str) -> str:
    """Header as compared: trimmed, lower case, BOM and surrounding quotes removed ('\\ufeffBSN ' -> 'bsn')."""
    return header.replace("\ufeff", "").strip().strip('"').strip().lower()


def _mapping(
    name: str,
    pairs: list[tuple[str, str]],
    *,
    delimiter: str | None,
    decimal: str,
    description: str,
) -> Mapping:
    columns: dict[str, str] = {}
    headers: dict[str, str] = {}
    for source, canonical in pairs:
        columns[normalise_header(source)] = canonical
        headers.setdefault(canonical, source)
    return Mapping(name, columns, delimiter, decimal, description, headers)


CANONICAL = _mapping(
    "canoniek",
    [(name, name) for name in COLUMN_NAMES],
    delimiter=None,
    decimal=".",
    description="De canonieke kolomnamen van sdmonitor (allocation_id, bsn, birth_date, ...).",
)

# A typical Dutch export of a municipal registration system (GWS/Suite/Zorgned style): semicolon
# separated, decimal comma, dates as DD-MM-YYYY. The first header of each column is the one we write.
NL_EXPORT = _mapping(
    "nl-export",
    [
        ("Toewijzingsnummer", "allocation_id"),
        ("Beschikkingsnummer", "allocation_id"),
        ("Indicatienummer", "allocation_id"),
        ("BSN", "bsn"),
        ("Burgerservicenummer", "bsn"),
        ("Clientnummer", "client_id"),
        ("Cliëntnummer", "client_id"),
        ("Geboortedatum", "birth_date"),
        ("Geslacht", "gender"),
        ("Gemeentecode", "municipality_code"),
        ("Postcode", "postcode"),
        ("Wet", "law"),
        ("Productcategorie", "product_category"),
        ("Productcode", "product_code"),
        ("AGB-code", "provider_code"),
        ("AGB code", "provider_code"),
        ("Aanbieder", "provider_name"),
        ("Naam aanbieder", "provider_name"),
        ("Ingangsdatum", "start_date"),
        ("Begindatum", "start_date"),
        ("Einddatum", "end_date"),
        ("Omvang", "volume"),
        ("Eenheid", "unit"),
        ("Frequentie", "frequency"),
        ("Leveringsvorm", "delivery_form"),
        ("Verwijzer", "referrer"),
        ("Aanvraagdatum", "request_date"),
        ("Meldingsdatum", "request_date"),
        ("Besluitdatum", "decision_date"),
        ("Beschikkingsdatum", "decision_date"),
        ("Reden wijziging", "change_reason"),
        ("Reden beëindiging", "end_reason"),
        ("Reden beeindiging", "end_reason"),
    ],
    delimiter=";",
    decimal=",",
    description=(
        "Typische Nederlandse export (GWS, Suite, Zorgned): puntkomma als scheidingsteken, "
        "decimale komma, datums als DD-MM-JJJJ."
    ),
)

BUILTIN_MAPPINGS: dict[str, Mapping] = {m.name: m for m in (CANONICAL, NL_EXPORT)}


def read_mapping_file(path: Path) -> Mapping:
    """Read a user's YAML mapping file; raise InputError with a Dutch message when it is malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"Kan koppelbestand {path} niet lezen: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise InputError(
            f"Koppelbestand {path} moet een sectie 'columns:' hebben met per bronkolom "
            "de canonieke kolomnaam, bijvoorbeeld 'Ingangsdatum: start_date'."
        )
    pairs: list[tuple[str, str]] = []
    for source, canonical in data["columns"].items():
        if canonical not in COLUMN_NAMES:
            raise InputError(
                f"Koppelbestand {path}: '{canonical}' (voor kolom '{source}') is geen canonieke kolom. "
                f"Kies uit: {', '.join(COLUMN_NAMES)}."
            )
        pairs.append((str(source), str(canonical)))
    decimal = str(data.get("decimal", "."))
    if decimal not in {".", ","}:
        raise InputError(f"Koppelbestand {path}: 'decimal' moet '.' of ',' zijn, niet '{decimal}'.")
    delimiter = data.get("delimiter")
    return _mapping(
        str(data.get("name", path.stem)),
        pairs,
        delimiter=None if delimiter is None else str(delimiter),
        decimal=decimal,
        description=str(data.get("description", f"Koppeling uit {path}")),
    )
