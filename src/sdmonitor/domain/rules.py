"""The loading rules: each rule's stable code, severity, column and Dutch texts, written once.

``RULES`` is the catalogue: ``ingest/validate.py`` checks the rules column at a time, the load report quotes their
messages, its appendix their descriptions, and ``docs/loading.md`` lists the same codes and descriptions (a
test keeps them equal). Rules with severity ERROR reject the row; rules with severity WARNING load the row and
are listed in the load report.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from string import Formatter


class Severity(StrEnum):
    """ERROR rejects the row; WARNING loads it and reports it."""

    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class Rule:
    """A loading rule: stable code, severity, the column it checks and its Dutch texts, each written here once.

    ``description`` states the rule (the load report's appendix, ``docs/loading.md``); ``message`` is what the
    load report says about one broken row, naming the row's values as fields: ``"Wet '{value}' is onbekend"``.
    Without a ``message`` the description is the message.
    """

    code: str
    severity: Severity
    column: str
    description: str
    message: str = ""

    def text(self, **values: object) -> str:
        """The message for one row: ``RULES["malformed_row"].text(actual=3, expected=5)``."""
        return self.message.format(**values) if self.message else self.description

    def pieces(self) -> list[tuple[str, str | None]]:
        """The message as (literal text, field name or None) pairs, for messages built column at a time."""
        return [(literal, field) for literal, field, _, _ in Formatter().parse(self.message)]


@dataclass(frozen=True)
class Issue:
    """One broken rule in one row. ``row`` is the spreadsheet row number (header = 1)."""

    code: str
    message: str
    row: int
    column: str
    severity: Severity
    file: str = ""


E, W = Severity.ERROR, Severity.WARNING
_UNKNOWN = "; opgeslagen als onbekend."  # an invalid value in an optional column is stored as unknown


def _date_rule(code: str, severity: Severity, column: str, label: str) -> Rule:
    """The rule for a date cell that is not a date ('Ingangsdatum', 'start_date')."""
    return Rule(
        code,
        severity,
        column,
        f"{label} is geen geldige datum" + (_UNKNOWN if severity is W else "."),
        f"{label} '{{value}}' is geen geldige datum (verwacht {{expected}}).",
    )


# A birth date is personal data: a message never repeats it (it stays in its own column of the report's row),
# and says so, where a message about another date quotes the value ('Ingangsdatum '2024-02-30' ...').
BIRTH_DATE_NOT_REPEATED = "de melding herhaalt de waarde niet: een geboortedatum is een persoonsgegeven"


def _birth_date_rule(code: str, severity: Severity, column: str, label: str) -> Rule:
    """The rule for a birth date cell that is not a date ('Geboortedatum', 'birth_date'): like ``_date_rule``,
    without the value."""
    return Rule(
        code,
        severity,
        column,
        f"{label} is geen geldige datum" + (_UNKNOWN if severity is W else "."),
        f"{label} is geen geldige datum (verwacht {{expected}}; {BIRTH_DATE_NOT_REPEATED}).",
    )


def _birth_range_rule(code: str, column: str, label: str) -> Rule:
    """The warning for an optional birth date before 1900 or after the export date: stored as unknown."""
    return Rule(
        code,
        W,
        column,
        f"{label} ligt voor 01-01-1900 of na de exportdatum (--extracted-on, standaard de laaddatum); opgeslagen "
        "als onbekend.",
        f"{label} ligt voor 01-01-1900 of na de exportdatum {{extraction}} ({BIRTH_DATE_NOT_REPEATED}); "
        "opgeslagen als onbekend.",
    )


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        # whole lines of a file that were not read as rows
        Rule(
            "malformed_row",
            E,
            "",
            "De regel heeft niet evenveel velden als de kopregel.",
            "Regel heeft {actual} velden, de kopregel {expected}; controleer scheidingstekens en aanhalingstekens.",
        ),
        Rule(
            "unclosed_quote",
            E,
            "",
            "Een veld op deze regel opent een aanhalingsteken dat op dezelfde regel niet sluit.",
            'Een veld op deze regel begint met een aanhalingsteken (") dat op dezelfde regel niet wordt '
            "gesloten; een veld tussen aanhalingstekens mag geen regeleinde bevatten. Alleen deze regel is "
            "overgeslagen: verwijder het aanhalingsteken of sluit het.",
        ),
        Rule(
            "line_too_long",
            E,
            "",
            "De regel is langer dan 1 MiB; geen echte toewijzing.",
            "De regel is langer dan 1 MiB (een toewijzing past in minder dan 1 KiB); alleen het begin is "
            "herhaald. Alleen deze regel is overgeslagen.",
        ),
        Rule(
            "cell_too_long",
            E,
            "",
            "Een cel is langer dan 32.767 tekens, de grens van Excel.",
            "Een cel van deze rij is langer dan 32.767 tekens, de grens van Excel zelf; alleen het begin is "
            "herhaald. Alleen deze rij is overgeslagen.",
        ),
        # identity: allocation number, BSN, client number
        Rule("missing_allocation_id", E, "allocation_id", "Toewijzingsnummer ontbreekt."),
        Rule(
            "duplicate_allocation_id",
            E,
            "allocation_id",
            "Hetzelfde toewijzingsnummer staat meer dan eens in het bestand, met verschillende inhoud.",
            "Toewijzingsnummer {allocation_id} staat ook in rij {other_rows} met andere inhoud; geen van deze "
            "rijen is geladen.",
        ),
        Rule("missing_client", E, "bsn", "BSN en cliëntnummer ontbreken allebei."),
        Rule(
            "invalid_bsn",
            E,
            "bsn",
            "BSN voldoet niet aan de elfproef.",
            "BSN voldoet niet aan de elfproef (9 cijfers, gewogen som deelbaar door 11).",
        ),
        Rule(
            "client_number_other_bsn",
            W,
            "client_id",
            "Cliëntnummer hoort al bij een ander BSN; de rij telt voor het BSN van de rij, apart van het "
            "cliëntnummer.",
            "Cliëntnummer {number} hoort al bij een ander BSN (eerder geladen of eerder in dit bestand). De rij "
            "telt voor het BSN van deze rij; cliëntnummer {number} blijft bij die andere cliënt.",
        ),
        Rule(
            "bsn_other_client_number",
            W,
            "bsn",
            "BSN hoort al bij een ander cliëntnummer van de bron; de rij telt voor het BSN, apart van dat "
            "cliëntnummer.",
            "Het BSN van deze rij hoort al bij een ander cliëntnummer van bron '{source}' (eerder geladen of "
            "eerder in dit bestand). De rij telt voor dat BSN; cliëntnummer {number} blijft een aparte cliënt.",
        ),
        # birth date
        Rule("missing_birth_date", E, "birth_date", "Geboortedatum ontbreekt."),
        _birth_date_rule("invalid_birth_date", E, "birth_date", "Geboortedatum"),
        Rule(
            "birth_date_out_of_range",
            E,
            "birth_date",
            "Geboortedatum ligt voor 01-01-1900 of na de exportdatum (--extracted-on, standaard de laaddatum).",
            "Geboortedatum ligt voor 01-01-1900 of na de exportdatum {extraction} (wie in een export staat, is "
            f"uiterlijk op de dag van de export geboren; {BIRTH_DATE_NOT_REPEATED}).",
        ),
        Rule(
            "age_implausible_for_law",
            W,
            "birth_date",
            "Cliënt is bij de start van Jeugdwet-ondersteuning 23 jaar of ouder.",
            "Cliënt is bij de start van Jeugdwet-ondersteuning {age} jaar; dat is ongebruikelijk (verlengde "
            "jeugdhulp loopt tot 23).",
        ),
        Rule("birth_after_start", W, "birth_date", "Geboortedatum ligt na de ingangsdatum."),
        # law and the codes of the law
        Rule("missing_law", E, "law", "Wet ontbreekt."),
        Rule(
            "invalid_law",
            E,
            "law",
            "Wet is niet WMO of JW.",
            "Wet '{value}' is onbekend; verwacht WMO of JW (ook: Wmo, Jeugdwet).",
        ),
        Rule("missing_product_category", E, "product_category", "Productcategorie ontbreekt."),
        Rule(
            "unknown_product_category",
            W,
            "product_category",
            "Productcategorie komt niet voor in de codelijst van de wet.",
            "Productcategorie '{category}' staat niet in de codelijst van {law}.",
        ),
        Rule(
            "category_of_other_law",
            W,
            "product_category",
            "Productcategorie hoort bij de andere wet.",
            "Productcategorie {category} hoort niet bij de wet {law}.",
        ),
        Rule(
            "unknown_product_code",
            W,
            "product_code",
            "Productcode staat niet in de landelijke productcodelijst Jeugdwet (JZ21).",
            "Productcode '{product_code}' staat niet in de landelijke productcodelijst Jeugdwet.",
        ),
        Rule(
            "product_code_category_mismatch",
            W,
            "product_code",
            "Productcode hoort volgens de landelijke lijst bij een andere productcategorie.",
            "Productcode {product_code} hoort bij categorie {national_category}, niet bij {category}.",
        ),
        # period of support
        Rule("missing_start_date", E, "start_date", "Ingangsdatum ontbreekt."),
        _date_rule("invalid_start_date", E, "start_date", "Ingangsdatum"),
        _date_rule("invalid_end_date", E, "end_date", "Einddatum"),
        Rule(
            "end_before_start",
            E,
            "end_date",
            "Einddatum ligt voor de ingangsdatum.",
            "Einddatum {end} ligt voor de ingangsdatum {start}.",
        ),
        Rule(
            "start_date_implausible",
            W,
            "start_date",
            "Ingangsdatum ligt voor 2000 of meer dan twee jaar na de laaddatum.",
            "Ingangsdatum {start} ligt voor 2000 of meer dan twee jaar na de laaddatum.",
        ),
        # person and address (optional)
        Rule(
            "invalid_gender",
            W,
            "gender",
            "Geslacht is niet 0, 1 of 2" + _UNKNOWN,
            "Geslacht '{value}' is niet 0 (onbekend), 1 (man) of 2 (vrouw)" + _UNKNOWN,
        ),
        Rule(
            "invalid_municipality_code",
            W,
            "municipality_code",
            "Gemeentecode is geen code van 4 cijfers" + _UNKNOWN,
            "Gemeentecode '{value}' is geen CBS-code van 4 cijfers" + _UNKNOWN,
        ),
        Rule(
            "invalid_postcode",
            W,
            "postcode",
            "Postcode is geen PC6 of PC4" + _UNKNOWN,
            "Postcode '{value}' is geen geldige postcode (1234AB of 1234)" + _UNKNOWN,
        ),
        # provider and the support given (optional)
        Rule(
            "invalid_provider_code",
            W,
            "provider_code",
            "AGB-code is geen code van 8 cijfers" + _UNKNOWN,
            "AGB-code '{value}' is geen code van 8 cijfers" + _UNKNOWN,
        ),
        Rule(
            "invalid_volume",
            W,
            "volume",
            "Omvang is geen getal" + _UNKNOWN,
            "Omvang '{value}' is geen getal" + _UNKNOWN,
        ),
        Rule(
            "volume_without_unit",
            W,
            "unit",
            "Omvang is gevuld maar eenheid ontbreekt.",
            "Omvang {volume} heeft geen eenheid; de omvang is niet te interpreteren.",
        ),
        Rule(
            "unknown_unit",
            W,
            "unit",
            "Eenheid komt niet voor in de iWmo/iJw-codelijst.",
            "Eenheid '{value}' staat niet in de codelijst (01, 04, 14, 16, 82, 83, 84).",
        ),
        Rule(
            "unknown_frequency",
            W,
            "frequency",
            "Frequentie is niet 1, 2, 4 of 6.",
            "Frequentie '{value}' is niet 1 (dag), 2 (week), 4 (maand) of 6 (totaal).",
        ),
        Rule(
            "invalid_delivery_form",
            W,
            "delivery_form",
            "Leveringsvorm is niet ZIN of PGB" + _UNKNOWN,
            "Leveringsvorm '{value}' is niet ZIN of PGB" + _UNKNOWN,
        ),
        Rule(
            "unknown_referrer",
            W,
            "referrer",
            "Verwijzer komt niet voor in de codelijst.",
            "Verwijzer '{value}' staat niet in de codelijst (01-06, 08).",
        ),
        # request and decision (optional)
        _date_rule("invalid_request_date", W, "request_date", "Aanvraagdatum"),
        _date_rule("invalid_decision_date", W, "decision_date", "Besluitdatum"),
        Rule(
            "decision_before_request",
            W,
            "decision_date",
            "Besluitdatum ligt voor de aanvraagdatum.",
            "Besluitdatum {decision} ligt voor de aanvraagdatum {request}.",
        ),
        # reasons of change and of ending
        Rule(
            "unknown_change_reason",
            W,
            "change_reason",
            "Reden wijziging komt niet voor in de codelijst.",
            "Reden wijziging '{value}' staat niet in de codelijst.",
        ),
        Rule(
            "unknown_end_reason",
            W,
            "end_reason",
            "Reden beëindiging komt niet voor in de codelijst.",
            "Reden beëindiging '{value}' staat niet in de codelijst van {law}.",
        ),
        Rule(
            "end_reason_without_end_date",
            W,
            "end_reason",
            "Reden beëindiging is gevuld maar einddatum ontbreekt.",
            "Reden beëindiging {value} is gevuld, maar de einddatum ontbreekt.",
        ),
        # declarations (sdm load declarations; docs/design/money.md 1.2). The checks shared with allocations
        # (law, product category and code, AGB code, volume, unit, delivery form, BSN) use the codes above.
        Rule("missing_declaration_id", E, "declaration_id", "Declaratieregelnummer ontbreekt."),
        Rule(
            "duplicate_declaration_id",
            E,
            "declaration_id",
            "Dezelfde declaratieregel staat meer dan eens in het bestand, met verschillende inhoud (retourcode "
            "9333/TR314).",
            "Declaratieregel {declaration_id} van dezelfde aanbieder, wet en debet/credit staat ook in rij "
            "{other_rows} met andere inhoud (retourcode 9333/TR314); geen van deze rijen is geladen.",
        ),
        Rule("missing_period_start", E, "period_start", "Begindatum van de productperiode ontbreekt."),
        Rule("missing_period_end", E, "period_end", "Einddatum van de productperiode ontbreekt."),
        _date_rule("invalid_period_start", E, "period_start", "Begindatum van de productperiode"),
        _date_rule("invalid_period_end", E, "period_end", "Einddatum van de productperiode"),
        Rule(
            "period_end_before_start",
            E,
            "period_end",
            "Einddatum van de productperiode ligt voor de begindatum.",
            "Einddatum van de productperiode {end} ligt voor de begindatum {start}.",
        ),
        Rule("missing_amount", E, "amount", "Bedrag ontbreekt."),
        Rule("invalid_amount", E, "amount", "Bedrag is geen getal.", "Bedrag '{value}' is geen getal."),
        Rule(
            "negative_credit_amount",
            E,
            "amount",
            "Negatief bedrag op een creditregel: is dat een debet of een credit? Dat is niet te zeggen.",
            "Bedrag {value} is negatief en de regel is al credit (C); of dat een debet of een credit is, is niet "
            "te zeggen. Geef het bedrag positief met D of C.",
        ),
        Rule(
            "invalid_debit_credit",
            E,
            "debit_credit",
            "Debet/credit is niet D of C.",
            "Debet/credit '{value}' is niet D (debet) of C (credit).",
        ),
        Rule(
            "invalid_status",
            E,
            "status",
            "Status is niet toegekend, afgewezen of ingediend.",
            "Status '{value}' is niet toegekend, afgewezen of ingediend; een onbekende status zou als "
            "toegekend de kosten te hoog maken.",
        ),
        Rule(
            "submitted_after_extraction",
            E,
            "submitted_on",
            "Dagtekening van de declaratie ligt na de exportdatum (retourcode 8848).",
            "Dagtekening {value} ligt na de exportdatum {extraction}; een declaratie kan niet uit de toekomst "
            "komen (retourcode 8848).",
        ),
        Rule(
            "negative_amount_as_credit",
            W,
            "amount",
            "Negatief bedrag zonder C: geladen als creditregel van het positieve bedrag.",
            "Bedrag {value} is negatief; geladen als creditregel (C) van het bedrag zonder minteken.",
        ),
        Rule(
            "amount_implausible",
            W,
            "amount",
            "Bedrag is hoger dan 999.999,99, het hoogste bedrag van een declaratiebericht.",
            "Bedrag {value} is hoger dan 999.999,99, het hoogste bedrag dat een declaratiebericht kan dragen; "
            "controleer of het niet in centen staat.",
        ),
        _date_rule("invalid_submitted_on", W, "submitted_on", "Dagtekening"),
        Rule(
            "submitted_before_delivery",
            W,
            "submitted_on",
            "Dagtekening ligt voor het begin van de productperiode.",
            "Dagtekening {value} ligt voor het begin van de productperiode: gedeclareerd voordat er geleverd is.",
        ),
        Rule(
            "negative_volume",
            W,
            "volume",
            "Geleverd volume is negatief" + _UNKNOWN,
            "Geleverd volume {value} is negatief (het teken van een regel is debet/credit)" + _UNKNOWN,
        ),
        Rule(
            "unknown_allocation",
            W,
            "allocation_id",
            "De toewijzing is niet bekend; de kosten tellen wel mee (retourcode 9338).",
            "Toewijzing {allocation_id} is niet bekend; de kosten tellen wel mee (retourcode 9338).",
        ),
        Rule(
            "credit_without_debit",
            W,
            "debit_credit",
            "Creditregel zonder debetregel met hetzelfde nummer; geladen en negatief geteld (retourcode 8017).",
            "Creditregel {declaration_id} heeft geen debetregel met hetzelfde nummer bij deze aanbieder en wet; "
            "geladen en negatief geteld (retourcode 8017).",
        ),
        # declarations against the allocation they name (warnings: the warehouse keeps the municipality's
        # decision; an iStandaard rule never rejects a line)
        Rule(
            "declared_on_deleted_allocation",
            W,
            "allocation_id",
            "Gedeclareerd op een verwijderde toewijzing (reden wijziging 13; TR384, retourcode 9384).",
        ),
        Rule(
            "allocation_of_other_client",
            W,
            "client_id",
            "De toewijzing hoort bij een andere cliënt (retourcode 8187).",
        ),
        Rule(
            "category_differs_from_allocation",
            W,
            "product_category",
            "Productcategorie wijkt af van de toewijzing (retourcode 9339).",
            "Productcategorie {category} wijkt af van categorie {allocated} van de toewijzing (retourcode 9339).",
        ),
        Rule(
            "product_code_differs_from_allocation",
            W,
            "product_code",
            "Productcode wijkt af van de toewijzing (retourcode 9340).",
            "Productcode {product_code} wijkt af van productcode {allocated} van de toewijzing (retourcode 9340).",
        ),
        Rule(
            "provider_differs_from_allocation",
            W,
            "provider_code",
            "AGB-code wijkt af van de aanbieder van de toewijzing.",
            "AGB-code {provider} wijkt af van AGB-code {allocated} van de toewijzing.",
        ),
        Rule(
            "period_outside_allocation",
            W,
            "period_start",
            "Productperiode ligt (deels) buiten de looptijd van de toewijzing (retourcodes 9307/9308).",
            "Productperiode ligt (deels) buiten de looptijd van de toewijzing, {start} tot en met {end} "
            "(retourcodes 9307/9308).",
        ),
        Rule(
            "unit_differs_from_allocation",
            W,
            "unit",
            "Eenheid is niet om te rekenen naar de eenheid van de toewijzing (retourcode 9341).",
            "Eenheid {unit} is niet om te rekenen naar eenheid {allocated} van de toewijzing (retourcode 9341).",
        ),
        Rule(
            "volume_exceeds_allocation",
            W,
            "volume",
            "Gedeclareerd volume past niet binnen het toegewezen volume (TR321, retourcode 9321).",
            "Gedeclareerd volume {declared} past niet binnen het toegewezen volume {allowed} voor deze periode "
            "(TR321, retourcode 9321).",
        ),
        Rule(
            "cumulative_volume_exceeds_allocation",
            W,
            "volume",
            "Het totaal gedeclareerde volume past niet binnen het toegewezen volume over de looptijd (TR322, "
            "retourcode 9322).",
            "Het totaal gedeclareerde volume op toewijzing {allocation_id}, {declared}, is meer dan het toegewezen "
            "volume {allowed} over de looptijd (TR322, retourcode 9322).",
        ),
        Rule(
            "amount_exceeds_allocation_budget",
            W,
            "amount",
            "Gedeclareerd bedrag past niet binnen het budget van de toewijzing (TR369, retourcode 9369).",
            "Gedeclareerd op toewijzing {allocation_id}: € {declared}, meer dan het toegewezen budget € {allowed} "
            "(TR369, retourcode 9369).",
        ),
        Rule(
            "amount_differs_from_tariff",
            W,
            "amount",
            "Bedrag is niet volume × tarief, afgerond op centen, met een marge van € 0,01 (TR346, retourcode "
            "0611); alleen als er een tarief is geladen, niet bij eenheid 83 of pgb.",
            "Bedrag € {amount} is niet volume × tarief: {volume} × € {tariff} = € {expected} (TR346, "
            "retourcode 0611).",
        ),
        Rule(
            "second_debit_same_period",
            W,
            "debit_credit",
            "Tweede debetregel voor dezelfde toewijzing, hetzelfde product en dezelfde periode, terwijl de eerste "
            "niet is afgewezen of gecrediteerd (TR389, retourcode 9389); beide tellen.",
            "Tweede debetregel voor dezelfde toewijzing, hetzelfde product en dezelfde periode als regel {other}, "
            "die niet is afgewezen of gecrediteerd (TR389, retourcode 9389); beide tellen.",
        ),
    )
}


# Tariffs, budgets and index series (issue 12; docs/design/money.md §1.3-1.5; docs/loading.md "Tarieven,
# budgetten en indexreeksen"). These small tables load all or nothing: one row with a rule of severity ERROR
# refuses the whole file, and every problem row is in the load report. Kept apart from ``RULES`` (the rules of
# an allocation row), so the allocation checks and their documentation stay as they are.
FINANCE_RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("missing_product_code", E, "product_code", "Productcode ontbreekt."),
        Rule(
            "invalid_tariff_provider",
            E,
            "provider_code",
            "AGB-code is geen 8 cijfers (leeg = een tarief voor alle aanbieders).",
            "AGB-code '{value}' is geen 8 cijfers; laat het veld leeg voor een tarief voor alle aanbieders.",
        ),
        Rule(
            "invalid_tariff_unit",
            E,
            "unit",
            "Eenheid ontbreekt of is geen eenheid uit de codelijst (83, euro's, heeft geen tarief).",
            "Eenheid '{value}' is geen eenheid met een tarief (01, 04, 14, 16, 82 of 84; 83 is een bedrag in "
            "euro's en heeft geen tarief).",
        ),
        Rule(
            "invalid_tariff",
            E,
            "tariff",
            "Tarief ontbreekt of is geen bedrag van 0 of meer.",
            "Tarief '{value}' is geen bedrag van 0 of meer.",
        ),
        Rule(
            "invalid_valid_from",
            E,
            "valid_from",
            "Geldig vanaf ontbreekt of is geen geldige datum.",
            "Geldig vanaf '{value}' is geen geldige datum.",
        ),
        Rule(
            "invalid_valid_to",
            E,
            "valid_to",
            "Geldig tot is geen geldige datum (leeg = geen einde).",
            "Geldig tot '{value}' is geen geldige datum (leeg = geen einde).",
        ),
        Rule(
            "valid_to_before_valid_from",
            E,
            "valid_to",
            "Geldig tot ligt voor geldig vanaf.",
            "Geldig tot {valid_to} ligt voor geldig vanaf {valid_from}.",
        ),
        Rule(
            "duplicate_tariff",
            E,
            "(hele rij)",
            "Hetzelfde tarief (product, aanbieder, eenheid, geldig vanaf) staat meer dan eens in het bestand, "
            "met verschillende inhoud.",
            "Hetzelfde tarief (product {product}, {provider}, eenheid {unit}, geldig vanaf {valid_from}) staat "
            "ook in rij {other_rows}, met een ander bedrag of einde.",
        ),
        Rule(
            "overlapping_tariff",
            E,
            "valid_from",
            "Tarief overlapt met een ander tarief voor hetzelfde product en dezelfde aanbieder.",
            "Tarief overlapt met een ander tarief voor hetzelfde product en dezelfde aanbieder ({other}).",
        ),
        Rule(
            "invalid_budget_year",
            E,
            "year",
            "Jaar ontbreekt of ligt niet tussen 2000 en 2100.",
            "Jaar '{value}' is geen jaartal tussen 2000 en 2100.",
        ),
        Rule("missing_budget_line", E, "budget_line", "Naam van de begrotingsregel ontbreekt."),
        Rule(
            "invalid_budget_amount",
            E,
            "amount",
            "Bedrag ontbreekt of is geen bedrag van 0 of meer.",
            "Bedrag '{value}' is geen bedrag van 0 of meer.",
        ),
        Rule(
            "invalid_budget_law",
            E,
            "law",
            "Wet ontbreekt of is niet WMO of JW.",
            "Wet '{value}' is niet WMO of JW.",
        ),
        Rule(
            "unknown_budget_category",
            W,
            "product_categories",
            "Productcategorie staat niet in de codelijst van de wet; de regel is wel geladen.",
            "Productcategorie '{value}' staat niet in de codelijst van {law}; de regel is wel geladen.",
        ),
        Rule(
            "invalid_budget_provider",
            E,
            "provider_code",
            "AGB-code is geen 8 cijfers (leeg = een regel van de begroting, gevuld = een bestedingsruimte).",
            "AGB-code '{value}' is geen 8 cijfers; laat het veld leeg voor een regel van de begroting.",
        ),
        Rule(
            "invalid_version_date",
            E,
            "version_date",
            "Versiedatum is geen geldige datum (leeg = de exportdatum).",
            "Versiedatum '{value}' is geen geldige datum (leeg = de exportdatum).",
        ),
        Rule(
            "invalid_budgeted_clients",
            W,
            "budgeted_clients",
            "Begroot aantal cliënten is geen geheel getal van 0 of meer; opgeslagen als onbekend.",
            "Begroot aantal cliënten '{value}' is geen geheel getal van 0 of meer; opgeslagen als onbekend.",
        ),
        Rule(
            "invalid_budgeted_index",
            W,
            "budgeted_index",
            "Begroot indexpercentage is geen getal tussen -50 en 100; opgeslagen als onbekend.",
            "Begroot indexpercentage '{value}' is geen getal tussen -50 en 100; opgeslagen als onbekend.",
        ),
        Rule(
            "duplicate_budget_line",
            E,
            "(hele rij)",
            "Dezelfde begrotingsregel met dezelfde versiedatum staat meer dan eens in het bestand, met "
            "verschillende inhoud.",
            "Begrotingsregel '{line}' ({year}, versie {version_date}) staat ook in rij {other_rows}, met "
            "andere inhoud.",
        ),
        Rule(
            "overlapping_budget_lines",
            E,
            "product_categories",
            "Twee begrotingsregels van hetzelfde jaar en dezelfde wet dekken dezelfde productcategorie (regels "
            "zonder aanbieder onderling, of bestedingsruimtes van dezelfde aanbieder); het hele bestand is "
            "niet geladen.",
            "Begrotingsregel '{line}' overlapt in {year} met '{other}' ({law}, {what}); het hele bestand is "
            "niet geladen.",
        ),
        Rule("missing_series", E, "series", "Naam van de indexreeks ontbreekt."),
        Rule(
            "invalid_index_year",
            E,
            "year",
            "Jaar ontbreekt of ligt niet tussen 1900 en 2100.",
            "Jaar '{value}' is geen jaartal tussen 1900 en 2100.",
        ),
        Rule(
            "invalid_percentage",
            E,
            "percentage",
            "Percentage ontbreekt of is geen getal tussen -50 en 100.",
            "Percentage '{value}' is geen getal tussen -50 en 100.",
        ),
        Rule(
            "invalid_index_status",
            E,
            "status",
            "Status is niet voorlopig of definitief.",
            "Status '{value}' is niet voorlopig of definitief.",
        ),
        Rule(
            "duplicate_index",
            E,
            "(hele rij)",
            "Hetzelfde jaar en dezelfde status van een reeks staan meer dan eens in het bestand, met een ander "
            "percentage.",
            "Reeks '{series}' {year} {status} staat ook in rij {other_rows}, met een ander percentage.",
        ),
    )
}


def rule_of(code: str) -> Rule | None:
    """The rule of a reason code in the load issues of any kind of load: an allocation or declaration row's
    (``RULES``), a tariff, budget or index row's (``FINANCE_RULES``) or a norm row's (``NORM_RULES``); the codes
    of these are distinct."""
    return RULES.get(code) or FINANCE_RULES.get(code) or NORM_RULES.get(code)


# Requests and deliveries (issue 13; docs/design/access.md §1.2-1.3; docs/loading.md "Meldingen en aanvragen",
# "Leveringen"): rows checked one at a time like allocations, so their rules join ``RULES``. A rule whose text
# differs from the allocation rule of the same column has its own code (the law of a request may be PW).
RULES |= {
    r.code: r
    for r in (
        # requests (sdm load requests)
        Rule("missing_request_id", E, "request_id", "Meldings- of aanvraagnummer ontbreekt."),
        Rule(
            "duplicate_request_id",
            E,
            "request_id",
            "Hetzelfde meldings- of aanvraagnummer staat meer dan eens in het bestand, met verschillende inhoud.",
            "Meldings- of aanvraagnummer {request_id} staat ook in rij {other_rows} met andere inhoud; geen van "
            "deze rijen is geladen.",
        ),
        Rule(
            "invalid_request_law",
            E,
            "law",
            "Wet is niet WMO, JW of PW.",
            "Wet '{value}' is onbekend; verwacht WMO, JW of PW (ook: Wmo, Jeugdwet, Participatiewet).",
        ),
        Rule("missing_kind", E, "kind", "Soort ontbreekt (melding of aanvraag)."),
        Rule(
            "invalid_kind",
            E,
            "kind",
            "Soort is niet melding of aanvraag.",
            "Soort '{value}' is niet melding of aanvraag (ook: hulpvraag, een melding).",
        ),
        Rule("missing_received_on", E, "received_on", "Ontvangstdatum ontbreekt."),
        _date_rule("invalid_received_on", E, "received_on", "Ontvangstdatum"),
        Rule(
            "received_after_extraction",
            E,
            "received_on",
            "Ontvangstdatum ligt na de exportdatum.",
            "Ontvangstdatum {value} ligt na de exportdatum {extraction}; een melding kan niet uit de toekomst "
            "komen.",
        ),
        Rule(
            "received_implausible",
            W,
            "received_on",
            "Ontvangstdatum ligt voor 2000; controleer de datum.",
            "Ontvangstdatum {value} ligt voor 2000; controleer de datum.",
        ),
        Rule(
            "invalid_decided_on",
            E,
            "decided_on",
            "Besluitdatum is geen geldige datum; de rij is niet geladen, want als onbekend zou een besloten "
            "aanvraag open lijken.",
            "Besluitdatum '{value}' is geen geldige datum (verwacht {expected}); de rij is niet geladen, want "
            "als onbekend zou een besloten aanvraag open lijken.",
        ),
        Rule(
            "decided_before_received",
            E,
            "decided_on",
            "Besluitdatum ligt voor de ontvangstdatum.",
            "Besluitdatum {decided} ligt voor de ontvangstdatum {received}.",
        ),
        Rule(
            "decided_after_extraction",
            W,
            "decided_on",
            "Besluitdatum ligt na de exportdatum; de aanvraag telt tot dan als open.",
            "Besluitdatum {value} ligt na de exportdatum {extraction}; de aanvraag telt tot dan als open.",
        ),
        Rule(
            "invalid_outcome",
            E,
            "outcome",
            "Uitkomst is niet toegekend, deels, afgewezen, ingetrokken of buiten behandeling.",
            "Uitkomst '{value}' is niet toegekend, deels, afgewezen, ingetrokken of buiten behandeling.",
        ),
        Rule(
            "outcome_without_decision",
            W,
            "outcome",
            "Uitkomst is gevuld maar besluitdatum ontbreekt; de aanvraag telt als open.",
        ),
        Rule(
            "decision_without_outcome",
            W,
            "outcome",
            "Aanvraag met besluitdatum maar zonder uitkomst; bij --by outcome telt hij als onbekend.",
        ),
        Rule(
            "invalid_suspended_days",
            E,
            "suspended_days",
            "Opgeschorte dagen is geen geheel getal van 0 of meer.",
            "Opgeschorte dagen '{value}' is geen geheel getal van 0 of meer; een verkeerd getal verschuift de "
            "termijn, dus de rij is niet geladen.",
        ),
        Rule(
            "suspension_exceeds_duration",
            W,
            "suspended_days",
            "Er zijn meer dagen opgeschort dan de aanvraag liep (tot het besluit of de exportdatum).",
            "{value} dagen opgeschort, maar de aanvraag liep {days} dagen (tot het besluit of de exportdatum).",
        ),
        Rule(
            "invalid_extended_days",
            E,
            "extended_days",
            "Verdaagde dagen is geen geheel getal van 0 of meer.",
            "Verdaagde dagen '{value}' is geen geheel getal van 0 of meer; een verkeerd getal verschuift de "
            "termijn, dus de rij is niet geladen.",
        ),
        Rule(
            "extension_exceeds_term",
            W,
            "extended_days",
            "De verdaging (Awb 4:14) is langer dan de wettelijke termijn zelf.",
            "De verdaging van {value} dagen (Awb 4:14) is langer dan de wettelijke termijn zelf ({term} dagen).",
        ),
        _date_rule("invalid_plan_on", W, "plan_on", "Datum ondersteuningsplan"),
        Rule(
            "plan_after_extraction",
            W,
            "plan_on",
            "Datum ondersteuningsplan ligt na de exportdatum.",
            "Datum ondersteuningsplan {value} ligt na de exportdatum {extraction}.",
        ),
        _birth_date_rule("invalid_request_birth_date", W, "birth_date", "Geboortedatum"),
        _birth_range_rule("request_birth_date_out_of_range", "birth_date", "Geboortedatum"),
        # deliveries (sdm load deliveries): the actual start and end of care (305/307)
        Rule("missing_delivery_start", E, "start_date", "Begindatum levering ontbreekt."),
        _date_rule("invalid_delivery_start", E, "start_date", "Begindatum levering"),
        Rule(
            "start_after_extraction",
            W,
            "start_date",
            "Begindatum levering ligt na de exportdatum; de start telt pas als bekend vanaf die datum.",
            "Begindatum levering {value} ligt na de exportdatum {extraction}; de start telt pas als het "
            "datamoment er voorbij is.",
        ),
        _date_rule("invalid_delivery_end", E, "end_date", "Einddatum levering"),
        Rule(
            "delivery_end_before_start",
            E,
            "end_date",
            "Einddatum levering ligt voor de begindatum.",
            "Einddatum levering {end} ligt voor de begindatum {start}.",
        ),
        _date_rule("invalid_reported_on", W, "reported_on", "Datum melding"),
        Rule(
            "reported_before_start",
            W,
            "reported_on",
            "De start is gemeld voor de begindatum (OP271: melden na de start).",
            "De start is gemeld op {value}, voor de begindatum {start} (OP271: binnen vijf werkdagen na de "
            "start melden).",
        ),
        Rule(
            "duplicate_delivery",
            E,
            "allocation_id",
            "Dezelfde toewijzing met dezelfde begindatum staat meer dan eens in het bestand, met verschillende "
            "inhoud.",
            "Levering {allocation_id} staat ook in rij {other_rows} met andere inhoud; geen van deze rijen is "
            "geladen.",
        ),
        Rule(
            "delivery_unknown_allocation",
            W,
            "allocation_id",
            "De toewijzing is niet bekend; de levering telt mee zodra de toewijzing geladen is.",
            "Toewijzing {allocation_id} is niet bekend; de levering telt mee zodra de toewijzing geladen is.",
        ),
        Rule(
            "delivery_on_pgb",
            W,
            "allocation_id",
            "Levering gemeld op een pgb-toewijzing; telt niet voor de wachttijd.",
        ),
        Rule(
            "delivery_on_deleted_allocation",
            W,
            "allocation_id",
            "Levering gemeld op een verwijderde toewijzing (reden wijziging 13); telt niet voor de wachttijd.",
        ),
        Rule(
            "start_before_allocation",
            W,
            "start_date",
            "Levering begint voor de ingangsdatum van de toewijzing.",
            "Levering begint voor de ingangsdatum {allocation_start} van de toewijzing (zorg kan voor het "
            "besluit beginnen; de wachttijd is dan 0 dagen).",
        ),
        Rule(
            "start_after_allocation_end",
            W,
            "start_date",
            "Levering begint na de einddatum van de toewijzing.",
            "Levering begint na de einddatum {allocation_end} van de toewijzing.",
        ),
        Rule(
            "restart_without_stop",
            W,
            "start_date",
            "Nieuwe start terwijl de vorige levering van dezelfde toewijzing niet gestopt is; de eerste start "
            "blijft de start van de zorg.",
            "Nieuwe start terwijl de levering die op {other} begon niet gestopt is; de eerste start blijft de "
            "start van de zorg.",
        ),
        Rule(
            "overlapping_deliveries",
            W,
            "start_date",
            "Twee leveringen van dezelfde toewijzing overlappen; er mag maar één start actueel zijn (OP289).",
            "Deze levering begint voordat de levering die op {other} begon, eindigt; er mag maar één start "
            "actueel zijn (OP289).",
        ),
    )
}


# Norms (issue 13; docs/design/access.md §1.4; docs/norms.md): a small table that loads all or nothing, like
# the tariffs. Kept apart from ``RULES`` as ``FINANCE_RULES`` is.
NORM_RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "invalid_norm_law",
            E,
            "law",
            "Wet is niet WMO, JW of PW.",
            "Wet '{value}' is niet WMO, JW of PW.",
        ),
        Rule(
            "invalid_applies_to",
            E,
            "applies_to",
            "Geldt voor is niet waiting, melding of aanvraag.",
            "Geldt voor '{value}' is niet waiting, melding of aanvraag.",
        ),
        Rule(
            "invalid_days",
            E,
            "days",
            "Dagen is geen geheel getal van 0 of meer.",
            "Dagen '{value}' is geen geheel getal van 0 of meer.",
        ),
        Rule(
            "invalid_norm_provider",
            E,
            "provider_code",
            "AGB-code is geen 8 cijfers (leeg = alle aanbieders); een tikfout zou nooit passen.",
            "AGB-code '{value}' is geen 8 cijfers; laat het veld leeg voor alle aanbieders.",
        ),
        Rule(
            "provider_on_legal_term",
            E,
            "provider_code",
            "Een wettelijke beslistermijn geldt niet per aanbieder.",
        ),
        Rule(
            "waiting_norm_for_pw",
            E,
            "applies_to",
            "De Participatiewet kent geen zorg in natura; een wachtnorm geldt daar niet.",
        ),
        Rule(
            "duplicate_norm",
            E,
            "(hele rij)",
            "Dezelfde wet, productcategorie, aanbieder en soort staan meer dan eens in het bestand.",
            "Dezelfde wet, productcategorie, aanbieder en soort staan ook in rij {other_rows}.",
        ),
    )
}


# Benefits and re-integration provisions (issue 14; docs/loading.md "Uitkeringen", "Re-integratievoorzieningen"):
# rows checked one at a time like allocations, so their rules join ``RULES``. The applicant's identity, birth
# date, period, gender and address use the allocation rules of the same column.
RULES |= {
    r.code: r
    for r in (
        # benefits (sdm load benefits)
        Rule("missing_benefit_id", E, "benefit_id", "Uitkeringsnummer ontbreekt."),
        Rule(
            "duplicate_benefit_id",
            E,
            "benefit_id",
            "Hetzelfde uitkeringsnummer staat meer dan eens in het bestand, met verschillende inhoud.",
            "Uitkeringsnummer {benefit_id} staat ook in rij {other_rows} met andere inhoud; geen van deze rijen "
            "is geladen.",
        ),
        Rule(
            "invalid_partner_bsn",
            E,
            "partner_bsn",
            "BSN van de partner voldoet niet aan de elfproef.",
            "BSN van de partner voldoet niet aan de elfproef (9 cijfers, gewogen som deelbaar door 11); zonder "
            "partner zou de uitkering een persoon te weinig tellen.",
        ),
        Rule(
            "partner_is_applicant",
            W,
            "partner_bsn",
            "De partner is dezelfde persoon als de aanvrager; de uitkering is geladen zonder partner.",
        ),
        Rule(
            "partner_fields_without_partner",
            W,
            "partner_birth_date",
            "Geboortedatum of geslacht van een partner is gevuld, maar BSN en cliëntnummer van de partner "
            "ontbreken; de uitkering is geladen zonder partner.",
        ),
        Rule(
            "missing_partner_birth_date",
            W,
            "partner_birth_date",
            "Geboortedatum van de partner ontbreekt; de leeftijd komt uit de vroegste geboortedatum van deze "
            "persoon elders in de gegevens (als aanvrager of partner; bij de cliënten van de drie wetten ook uit "
            "toewijzingen), anders telt de partner mee met leeftijd 'onbekend'.",
        ),
        _birth_date_rule(
            "invalid_partner_birth_date", W, "partner_birth_date", "Geboortedatum van de partner"
        ),
        _birth_range_rule(
            "partner_birth_date_out_of_range", "partner_birth_date", "Geboortedatum van de partner"
        ),
        Rule(
            "invalid_partner_gender",
            W,
            "partner_gender",
            "Geslacht van de partner is niet 0, 1 of 2" + _UNKNOWN,
            "Geslacht van de partner '{value}' is niet 0 (onbekend), 1 (man) of 2 (vrouw)" + _UNKNOWN,
        ),
        Rule(
            "invalid_regulation",
            E,
            "regulation",
            "Regeling is niet PW (algemene bijstand), IOAW, IOAZ of BBZ.",
            "Regeling '{value}' is onbekend; verwacht PW (algemene bijstand), IOAW, IOAZ of BBZ (ook de "
            "statistiekcodes 01, 02, 03 en 14). Leeg is PW.",
        ),
        Rule(
            "invalid_household_type",
            W,
            "household_type",
            "Leefvorm is niet alleenstaande, alleenstaande ouder, gehuwden/samenwonenden of anders"
            + _UNKNOWN,
            "Leefvorm '{value}' is niet alleenstaande (1), alleenstaande ouder (2), gehuwden/samenwonenden (3) "
            "of anders (4)" + _UNKNOWN,
        ),
        Rule(
            "invalid_cost_sharers",
            W,
            "cost_sharers",
            "Aantal kostendelers is geen geheel getal van 0 tot 100" + _UNKNOWN,
            "Aantal kostendelers '{value}' is geen geheel getal van 0 tot 100" + _UNKNOWN,
        ),
        Rule(
            "unknown_inflow_reason",
            W,
            "inflow_reason",
            "Reden instroom is geen CBS-code; opgeslagen zoals gegeven, in de groep 'overig'. Koppel lokale "
            "codes in het koppelbestand (codes:).",
            "Reden instroom '{value}' is geen CBS-code; opgeslagen zoals gegeven, in de groep 'overig'. Koppel "
            "lokale codes in het koppelbestand (codes:).",
        ),
        Rule(
            "unknown_outflow_reason",
            W,
            "outflow_reason",
            "Reden uitstroom is geen CBS-code (kenmerk 34); opgeslagen zoals gegeven, in de groep 'overig'. "
            "Koppel lokale codes in het koppelbestand (codes:).",
            "Reden uitstroom '{value}' is geen CBS-code (kenmerk 34); opgeslagen zoals gegeven, in de groep "
            "'overig'. Koppel lokale codes in het koppelbestand (codes:).",
        ),
        Rule(
            "outflow_reason_without_end_date",
            W,
            "outflow_reason",
            "Reden uitstroom is gevuld, maar de einddatum ontbreekt; de uitkering loopt.",
            "Reden uitstroom '{value}' is gevuld, maar de einddatum ontbreekt; de uitkering loopt.",
        ),
        # re-integration provisions (sdm load reintegration)
        Rule("missing_provision_id", E, "provision_id", "Nummer van de voorziening ontbreekt."),
        Rule(
            "duplicate_provision_id",
            E,
            "provision_id",
            "Hetzelfde nummer van een voorziening staat meer dan eens in het bestand, met verschillende inhoud.",
            "Voorziening {provision_id} staat ook in rij {other_rows} met andere inhoud; geen van deze rijen is "
            "geladen.",
        ),
        _birth_date_rule("invalid_provision_birth_date", W, "birth_date", "Geboortedatum"),
        _birth_range_rule("provision_birth_date_out_of_range", "birth_date", "Geboortedatum"),
    )
}
