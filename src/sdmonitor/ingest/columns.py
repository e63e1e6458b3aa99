"""Column mappings: how each source's headers map onto the canonical allocation columns.

The only module that knows source column names. A mapping says which header feeds which canonical column,
the CSV delimiter, the decimal separator, the date formats and the row of the header. Built-in mappings are
plain dicts in ``BUILTIN_MAPPINGS``; users add their own as a YAML file (see ``docs/loading.md``), for example::

    name: mijn-gemeente
    delimiter: ";"        # then the decimal separator defaults to ","
    date_formats: [YYYYMMDD, DD-MM-YYYY]
    header_row: 3         # two title rows above the header
    columns:
      Toewijzingsnummer: allocation_id
      BSN: bsn
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from sdmonitor.domain.allocations import CANONICAL_COLUMNS, COLUMN_NAMES, Column
from sdmonitor.errors import InputError
from sdmonitor.ingest.vectorised import DATE_FORMATS, date_format_name


@dataclass(frozen=True)
class Mapping:
    """How one source layout maps to canonical columns.

    ``columns`` maps a normalised source header (lower case, trimmed) to a canonical column name.
    ``delimiter`` is None when it should be sniffed from the header line. ``date_formats`` (names from
    ``DATE_FORMATS``) restrict the dates accepted; empty means ISO or Dutch. ``header_row`` is the row (CSV:
    line) of the headers; the rows above it are title rows and skipped.
    """

    name: str
    columns: dict[str, str]
    delimiter: str | None = None
    decimal: str = "."
    description: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # canonical -> preferred source header
    date_formats: tuple[str, ...] = ()
    header_row: int = 1
    kind: str = "allocations"  # the table the layout feeds: a key of ``TABLE_COLUMNS``
    amount_unit: str = "euro"  # declarations: 'cent' when amounts are in eurocent (the 323 message)
    defaults: dict[str, str] = field(default_factory=dict)  # canonical -> value when the file has no column
    # canonical -> {local code: national code}: a mapping file's ``codes:`` section (benefits: reasons)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def canonical_columns(self) -> tuple[Column, ...]:
        """The canonical columns of the table this layout feeds."""
        return TABLE_COLUMNS[self.kind]

    def source_header(self, canonical: str) -> str:
        """The header a user of this layout knows for a canonical column (for messages)."""
        return self.headers.get(canonical, canonical)


def missing_columns(names: list[str]) -> str:
    """The Dutch sentence start for absent columns: "Kolom 'a' ontbreekt" or "Kolommen 'a', 'b' en 'c'
    ontbreken" (``names`` already quoted; an alternative such as "'client_id' of 'bsn'" counts as one)."""
    if len(names) == 1:
        return f"Kolom {names[0]} ontbreekt"
    return f"Kolommen {', '.join(names[:-1])} en {names[-1]} ontbreken"


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
    date_formats: tuple[str, ...] = (),
    header_row: int = 1,
    kind: str = "allocations",
    amount_unit: str = "euro",
    defaults: dict[str, str] | None = None,
    codes: dict[str, dict[str, str]] | None = None,
) -> Mapping:
    columns: dict[str, str] = {}
    headers: dict[str, str] = {}
    for source, canonical in pairs:
        columns[normalise_header(source)] = canonical
        headers.setdefault(canonical, source)
    return Mapping(
        name, columns, delimiter, decimal, description, headers, date_formats, header_row, kind, amount_unit,
        defaults or {}, codes or {},
    )  # fmt: skip


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

# Declarations (declaraties, issue 12; docs/design/money.md 1.2): one row per declared line.
DECLARATION_COLUMNS: tuple[Column, ...] = (
    Column("declaration_id", "declaratieregelnummer", required=True),
    Column("allocation_id", "toewijzingsnummer"),
    Column("client_id", "cliëntnummer (pseudoniem)"),
    Column("bsn", "BSN"),
    Column("law", "wet", required=True),
    Column("product_category", "productcategorie", required=True),
    Column("product_code", "productcode"),
    Column("provider_code", "AGB-code aanbieder"),
    Column("period_start", "begindatum productperiode", required=True),
    Column("period_end", "einddatum productperiode", required=True),
    Column("volume", "geleverd volume"),
    Column("unit", "eenheid"),
    Column("amount", "bedrag", required=True),
    Column("debit_credit", "debet/credit"),
    Column("status", "status"),
    Column("submitted_on", "dagtekening declaratie"),
    Column("delivery_form", "leveringsvorm"),
)
TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "allocations": CANONICAL_COLUMNS,
    "declarations": DECLARATION_COLUMNS,
}

DECLARATIONS_CANONICAL = _mapping(
    "canoniek",
    [(c.name, c.name) for c in DECLARATION_COLUMNS],
    delimiter=None,
    decimal=".",
    description="De canonieke kolomnamen voor declaraties (declaration_id, allocation_id, bsn, amount, ...).",
    kind="declarations",
)
# A Dutch finance export of declarations: semicolon separated, decimal comma, amounts in euros.
NL_DECLARATIONS = _mapping(
    "nl-declaraties",
    [
        ("Referentienummer", "declaration_id"),
        ("Declaratieregelnummer", "declaration_id"),
        ("Toewijzingsnummer", "allocation_id"),
        ("BSN", "bsn"),
        ("Burgerservicenummer", "bsn"),
        ("Clientnummer", "client_id"),
        ("Cliëntnummer", "client_id"),
        ("Wet", "law"),
        ("Productcategorie", "product_category"),
        ("Productcode", "product_code"),
        ("AGB-code", "provider_code"),
        ("AGB code", "provider_code"),
        ("Begindatum", "period_start"),
        ("Einddatum", "period_end"),
        ("Volume", "volume"),
        ("Geleverd volume", "volume"),
        ("Eenheid", "unit"),
        ("Bedrag", "amount"),
        ("Debet/Credit", "debit_credit"),
        ("DebetCredit", "debit_credit"),
        ("Status", "status"),
        ("Dagtekening", "submitted_on"),
        ("Declaratiedatum", "submitted_on"),
        ("Leveringsvorm", "delivery_form"),
    ],
    delimiter=";",
    decimal=",",
    description=(
        "Nederlandse declaratie-export (financieel systeem): puntkomma als scheidingsteken, decimale komma, "
        "bedragen in euro's, datums als DD-MM-JJJJ."
    ),
    kind="declarations",
)
# The element names of the 323 message (iWmo), flattened to one row per Prestatie; Bedrag in eurocent
# (LDT_Bedrag) and the law fixed to WMO (the message type says it).
IWMO_323 = _mapping(
    "iwmo-323",
    [
        ("ReferentieNummer", "declaration_id"),
        ("ToewijzingNummer", "allocation_id"),
        ("Bsn", "bsn"),
        ("ProductCategorie", "product_category"),
        ("ProductCode", "product_code"),
        ("Afzender", "provider_code"),
        ("Begindatum", "period_start"),
        ("Einddatum", "period_end"),
        ("GeleverdVolume", "volume"),
        ("Eenheid", "unit"),
        ("Bedrag", "amount"),
        ("DebetCredit", "debit_credit"),
        ("Status", "status"),
        ("DeclaratieDagtekening", "submitted_on"),
    ],
    delimiter=None,
    decimal=".",
    description=(
        "Prestaties uit het iWmo-declaratiebericht 323 (elementnamen), één rij per prestatie: Bedrag in "
        "eurocent, wet WMO."
    ),
    kind="declarations",
    amount_unit="cent",
    defaults={"law": "WMO"},
)
# The same element names from the iJw message: the law is JW. Its headers equal those of 'iwmo-323', so a
# file of either is loaded only with --mapping (``readers._detect_mapping``): a guessed law is a wrong law.
IJW_323 = replace(
    IWMO_323,
    name="ijw-323",
    description=IWMO_323.description.replace("iWmo", "iJw").replace("wet WMO", "wet JW"),
    defaults={"law": "JW"},
)
DECLARATION_MAPPINGS: dict[str, Mapping] = {
    m.name: m for m in (DECLARATIONS_CANONICAL, NL_DECLARATIONS, IWMO_323, IJW_323)
}
# The built-in layouts per table
LAYOUTS: dict[str, dict[str, Mapping]] = {
    "allocations": BUILTIN_MAPPINGS,
    "declarations": DECLARATION_MAPPINGS,
}


def read_mapping_file(path: Path, kind: str = "allocations") -> Mapping:
    """Read a user's YAML mapping file for table ``kind``; raise InputError with a Dutch message when it is
    malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"Kan koppelbestand {path} niet lezen: het bestaat niet, is geen bestand of is geen tekst in UTF-8."
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark is not None else ""
        raise InputError(
            f"Koppelbestand {path} is geen geldige YAML{where}. Controleer inspringing, dubbele punten en "
            "aanhalingstekens; zie docs/loading.md voor een voorbeeld."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise InputError(
            f"Koppelbestand {path} moet een sectie 'columns:' hebben met per bronkolom "
            "de canonieke kolomnaam, bijvoorbeeld 'Ingangsdatum: start_date'."
        )
    pairs: list[tuple[str, str]] = []
    names = COLUMN_NAMES if kind == "allocations" else tuple(c.name for c in TABLE_COLUMNS[kind])
    for source, canonical in data["columns"].items():
        if canonical not in names:
            raise InputError(
                f"Koppelbestand {path}: '{canonical}' (voor kolom '{source}') is geen canonieke kolom. "
                f"Kies uit: {', '.join(names)}."
            )
        pairs.append((str(source), str(canonical)))
    delimiter = data.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise InputError(f'Koppelbestand {path}: \'delimiter\' moet één teken zijn, zoals ";" of ",".')
    # a ';'-separated export is Dutch: its decimal separator is the comma unless the file says otherwise
    decimal = str(data.get("decimal", "," if delimiter == ";" else "."))
    if decimal not in {".", ","}:
        raise InputError(f"Koppelbestand {path}: 'decimal' moet '.' of ',' zijn, niet '{decimal}'.")
    return _mapping(
        str(data.get("name", path.stem)),
        pairs,
        delimiter=delimiter,
        decimal=decimal,
        description=str(data.get("description", f"Koppeling uit {path}")),
        date_formats=_date_formats(path, data.get("date_formats")),
        header_row=_header_row(path, data.get("header_row", 1)),
        kind=kind,
        amount_unit=_amount_unit(path, data.get("amount_unit", "euro")),
        codes=_codes(path, data.get("codes"), kind),
    )


def _amount_unit(path: Path, value: object) -> str:
    """'euro' or 'cent' (a 323 message carries eurocent; a wrong guess makes every amount 100 times off)."""
    if value not in ("euro", "cent"):
        raise InputError(f"Koppelbestand {path}: 'amount_unit' moet 'euro' of 'cent' zijn, niet '{value}'.")
    return str(value)


def _date_formats(path: Path, value: object) -> tuple[str, ...]:
    """The declared date formats: a name or a list of names ('YYYYMMDD' or 'JJJJMMDD'); none is the default."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise InputError(
            f"Koppelbestand {path}: 'date_formats' moet een lijst zijn, zoals [DD-MM-YYYY, YYYYMMDD]."
        )
    formats = []
    for name in names:
        known = date_format_name(str(name))
        if known is None:
            raise InputError(
                f"Koppelbestand {path}: datumnotatie '{name}' is onbekend. Kies uit: {', '.join(DATE_FORMATS)}."
            )
        formats.append(known)
    return tuple(dict.fromkeys(formats))


def _header_row(path: Path, value: object) -> int:
    """The row of the headers (1 = the first row); title rows above it are skipped."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise InputError(
            f"Koppelbestand {path}: 'header_row' moet het rijnummer van de kopregel zijn (1 t/m 1000), "
            f"niet '{value}'."
        )
    return value


# Requests and deliveries (issue 13; docs/design/access.md §1.2-1.3; docs/loading.md "Meldingen en aanvragen",
# "Leveringen").
REQUEST_COLUMNS: tuple[Column, ...] = (
    Column("request_id", "meldings- of aanvraagnummer", required=True),
    Column("client_id", "cliëntnummer (pseudoniem)"),
    Column("bsn", "BSN"),
    Column("law", "wet", required=True),
    Column("kind", "soort (melding of aanvraag)", required=True),
    Column("received_on", "ontvangstdatum", required=True),
    Column("decided_on", "besluitdatum"),
    Column("outcome", "uitkomst"),
    Column("team", "team of toegangspartner"),
    Column("suspended_days", "opgeschorte dagen"),
    Column("extended_days", "verdaagde dagen"),
    Column("product_category", "productcategorie"),
    Column("plan_on", "datum ondersteuningsplan"),
    Column("birth_date", "geboortedatum"),
)
DELIVERY_COLUMNS: tuple[Column, ...] = (
    Column("allocation_id", "toewijzingsnummer", required=True),
    Column("start_date", "begindatum levering", required=True),
    Column("end_date", "einddatum levering"),
    Column("end_reason", "reden beëindiging"),
    Column("reported_on", "datum melding"),
)
REQUESTS_CANONICAL = _mapping(
    "canoniek",
    [(c.name, c.name) for c in REQUEST_COLUMNS],
    delimiter=None,
    decimal=".",
    description="De canonieke kolomnamen voor meldingen en aanvragen (request_id, bsn, law, kind, ...).",
    kind="requests",
)
# A Dutch export of the registration system's meldingen and aanvragen: semicolon separated, DD-MM-YYYY.
NL_REQUESTS = _mapping(
    "nl-aanvragen",
    [
        ("Nummer", "request_id"),
        ("Meldingsnummer", "request_id"),
        ("Aanvraagnummer", "request_id"),
        ("BSN", "bsn"),
        ("Burgerservicenummer", "bsn"),
        ("Cliëntnummer", "client_id"),
        ("Clientnummer", "client_id"),
        ("Wet", "law"),
        ("Soort", "kind"),
        ("Ontvangstdatum", "received_on"),
        ("Meldingsdatum", "received_on"),
        ("Aanvraagdatum", "received_on"),
        ("Besluitdatum", "decided_on"),
        ("Beschikkingsdatum", "decided_on"),
        ("Datum verslag", "decided_on"),
        ("Uitkomst", "outcome"),
        ("Team", "team"),
        ("Toegangspartner", "team"),
        ("Opgeschorte dagen", "suspended_days"),
        ("Verdaagde dagen", "extended_days"),
        ("Productcategorie", "product_category"),
        ("Datum ondersteuningsplan", "plan_on"),
        ("Geboortedatum", "birth_date"),
    ],
    delimiter=";",
    decimal=",",
    description=(
        "Nederlandse export van meldingen en aanvragen (GWS, Suite, Zorgned): puntkomma als scheidingsteken, "
        "datums als DD-MM-JJJJ."
    ),
    kind="requests",
)
DELIVERIES_CANONICAL = _mapping(
    "canoniek",
    [(c.name, c.name) for c in DELIVERY_COLUMNS],
    delimiter=None,
    decimal=".",
    description="De canonieke kolomnamen voor leveringen (allocation_id, start_date, end_date, ...).",
    kind="deliveries",
)
NL_DELIVERIES = _mapping(
    "nl-leveringen",
    [
        ("Toewijzingsnummer", "allocation_id"),
        ("Begindatum", "start_date"),
        ("Einddatum", "end_date"),
        ("Reden beëindiging", "end_reason"),
        ("Reden beeindiging", "end_reason"),
        ("Datum melding", "reported_on"),
    ],
    delimiter=";",
    decimal=",",
    description="Nederlandse export van start- en stopberichten (305/307): puntkomma, datums als DD-MM-JJJJ.",
    kind="deliveries",
)
# The element names of the 305 and 307 messages, one row per start (with its stop when there is one).
ISTANDAARD_305_307 = _mapping(
    "iwmo-305-307",
    [
        ("ToewijzingNummer", "allocation_id"),
        ("Begindatum", "start_date"),
        ("Einddatum", "end_date"),
        ("RedenBeeindiging", "end_reason"),
        ("Dagtekening", "reported_on"),
    ],
    delimiter=None,
    decimal=".",
    description="Start- en stopberichten 305/307 (iWmo en iJw, elementnamen), één rij per start.",
    kind="deliveries",
)
TABLE_COLUMNS["requests"] = REQUEST_COLUMNS
TABLE_COLUMNS["deliveries"] = DELIVERY_COLUMNS
LAYOUTS["requests"] = {m.name: m for m in (REQUESTS_CANONICAL, NL_REQUESTS)}
LAYOUTS["deliveries"] = {m.name: m for m in (DELIVERIES_CANONICAL, NL_DELIVERIES, ISTANDAARD_305_307)}


# Benefits and re-integration provisions (issue 14; docs/loading.md "Uitkeringen", "Re-integratievoorzieningen").
# The fields follow the CBS delivery for the bijstand statistics (BUS, SRG).
BENEFIT_COLUMNS: tuple[Column, ...] = (
    Column("benefit_id", "uitkeringsnummer", required=True),
    Column("client_id", "cliëntnummer aanvrager (pseudoniem)"),
    Column("bsn", "BSN aanvrager"),
    Column("partner_id", "cliëntnummer partner (pseudoniem)"),
    Column("partner_bsn", "BSN partner"),
    Column("birth_date", "geboortedatum aanvrager", required=True),
    Column("partner_birth_date", "geboortedatum partner"),
    Column("gender", "geslacht aanvrager"),
    Column("partner_gender", "geslacht partner"),
    Column("regulation", "regeling"),
    Column("household_type", "leefvorm"),
    Column("cost_sharers", "aantal kostendelers"),
    Column("start_date", "ingangsdatum", required=True),
    Column("end_date", "einddatum"),
    Column("inflow_reason", "reden instroom"),
    Column("outflow_reason", "reden uitstroom"),
    Column("postcode", "postcode"),
    Column("municipality_code", "gemeentecode"),
)
REINTEGRATION_COLUMNS: tuple[Column, ...] = (
    Column("provision_id", "nummer voorziening", required=True),
    Column("client_id", "cliëntnummer (pseudoniem)"),
    Column("bsn", "BSN"),
    Column("birth_date", "geboortedatum"),
    Column("provision_type", "soort voorziening"),
    Column("start_date", "begindatum", required=True),
    Column("end_date", "einddatum"),
    Column("postcode", "postcode"),
    Column("municipality_code", "gemeentecode"),
)
# The columns whose values a mapping file may translate (``codes:``), per table.
CODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "benefits": ("regulation", "household_type", "inflow_reason", "outflow_reason"),
    "reintegration": ("provision_type",),
}


def _spelled(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each header as written and, when it has underscores, with spaces instead ('bsn_partner', 'bsn partner')."""
    out: list[tuple[str, str]] = []
    for header, canonical in pairs:
        out.append((header, canonical))
        if "_" in header:
            out.append((header.replace("_", " "), canonical))
    return out


BENEFITS_CANONICAL = _mapping(
    "canoniek",
    [(c.name, c.name) for c in BENEFIT_COLUMNS],
    delimiter=None,
    decimal=".",
    description="De canonieke kolomnamen voor uitkeringen (benefit_id, bsn, partner_bsn, start_date, ...).",
    kind="benefits",
)
# A Dutch export of the income system (Suite4Werk&Inkomen, GWS4all, Socrates) with the BUS field names; the
# first header of each column is the one we write. The delimiter is recognised from the header line.
NL_BENEFITS = _mapping(
    "nl-uitkeringen",
    _spelled(
        [
            ("uitkeringsnummer", "benefit_id"),
            ("dossiernummer", "benefit_id"),
            ("registratienummer_uitkering", "benefit_id"),
            ("bsn_aanvrager", "bsn"),
            ("bsn", "bsn"),
            ("burgerservicenummer", "bsn"),
            ("clientnummer_aanvrager", "client_id"),
            ("cliëntnummer_aanvrager", "client_id"),
            ("clientnummer", "client_id"),
            ("cliëntnummer", "client_id"),
            ("bsn_partner", "partner_bsn"),
            ("clientnummer_partner", "partner_id"),
            ("cliëntnummer_partner", "partner_id"),
            ("geboortedatum", "birth_date"),
            ("geboortedatum_aanvrager", "birth_date"),
            ("geboortedatum_partner", "partner_birth_date"),
            ("geslacht", "gender"),
            ("geslacht_aanvrager", "gender"),
            ("geslacht_partner", "partner_gender"),
            ("regeling", "regulation"),
            ("statistiekcode", "regulation"),
            ("leefvorm", "household_type"),
            ("aantal_kostendelers", "cost_sharers"),
            ("kostendelers", "cost_sharers"),
            ("ingangsdatum", "start_date"),
            ("begindatum", "start_date"),
            ("aanvangsdatum", "start_date"),
            ("einddatum", "end_date"),
            ("reden_instroom", "inflow_reason"),
            ("oorzaak_bijstandsafhankelijkheid", "inflow_reason"),
            ("reden_uitstroom", "outflow_reason"),
            ("reden_beeindiging", "outflow_reason"),
            ("reden_beëindiging", "outflow_reason"),
            ("postcode", "postcode"),
            ("gemeentecode", "municipality_code"),
        ]
    ),
    delimiter=None,
    decimal=",",
    description=(
        "Nederlandse export uit het inkomenssysteem (Suite, GWS4all, Socrates) met de veldnamen van de "
        "CBS-levering: uitkeringsnummer, bsn_aanvrager, bsn_partner, geboortedatum, regeling, leefvorm, "
        "ingangsdatum, einddatum, reden_instroom, reden_uitstroom; datums als DD-MM-JJJJ of JJJJ-MM-DD."
    ),
    kind="benefits",
)
REINTEGRATION_CANONICAL = _mapping(
    "canoniek",
    [(c.name, c.name) for c in REINTEGRATION_COLUMNS],
    delimiter=None,
    decimal=".",
    description="De canonieke kolomnamen voor re-integratievoorzieningen (provision_id, bsn, start_date, ...).",
    kind="reintegration",
)
NL_REINTEGRATION = _mapping(
    "nl-re-integratie",
    _spelled(
        [
            ("voorzieningnummer", "provision_id"),
            ("registratienummer_voorziening", "provision_id"),
            ("bsn", "bsn"),
            ("burgerservicenummer", "bsn"),
            ("clientnummer", "client_id"),
            ("cliëntnummer", "client_id"),
            ("geboortedatum", "birth_date"),
            ("soort_voorziening", "provision_type"),
            ("type_voorziening", "provision_type"),
            ("begindatum", "start_date"),
            ("ingangsdatum", "start_date"),
            ("einddatum", "end_date"),
            ("postcode", "postcode"),
            ("gemeentecode", "municipality_code"),
        ]
    ),
    delimiter=None,
    decimal=",",
    description=(
        "Nederlandse export van re-integratievoorzieningen (SRG-velden): voorzieningnummer, bsn, "
        "soort_voorziening, begindatum, einddatum."
    ),
    kind="reintegration",
)
TABLE_COLUMNS["benefits"] = BENEFIT_COLUMNS
TABLE_COLUMNS["reintegration"] = REINTEGRATION_COLUMNS
LAYOUTS["benefits"] = {m.name: m for m in (BENEFITS_CANONICAL, NL_BENEFITS)}
LAYOUTS["reintegration"] = {m.name: m for m in (REINTEGRATION_CANONICAL, NL_REINTEGRATION)}


def _codes(path: Path, value: object, kind: str) -> dict[str, dict[str, str]]:
    """A mapping file's ``codes:`` section: per canonical column, local code -> national code.

    Example (YAML)::

        codes:
          outflow_reason: {"A1": "11", "VH": "32"}
    """
    if value is None:
        return {}
    allowed = CODE_COLUMNS.get(kind, ())
    if not isinstance(value, dict) or not allowed:
        where = f"alleen bij {', '.join(sorted(CODE_COLUMNS))}" if not allowed else "per kolom een lijst"
        raise InputError(
            f"Koppelbestand {path}: 'codes' moet per kolom lokale code: landelijke code geven ({where}), "
            "bijvoorbeeld 'outflow_reason: {A1: \"11\"}'."
        )
    codes: dict[str, dict[str, str]] = {}
    for column, pairs in value.items():
        if column not in allowed:
            raise InputError(
                f"Koppelbestand {path}: codes van kolom '{column}' kunnen niet worden gekoppeld. Kies uit: "
                f"{', '.join(allowed)}."
            )
        if not isinstance(pairs, dict) or not pairs:
            raise InputError(
                f"Koppelbestand {path}: 'codes: {column}:' moet per lokale code de landelijke code geven, "
                "bijvoorbeeld '{A1: \"11\"}'."
            )
        codes[str(column)] = {str(local).strip(): str(national).strip() for local, national in pairs.items()}
    return codes
