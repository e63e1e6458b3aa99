"""The metric catalogue: every measure and every metric, declared once; the rest of sdmonitor derives from it.

As in dbt MetricFlow, measures and metrics are declarations, not code: a ``Measure`` says what a column is
(its Dutch header, its kind, its decimals, what it is computed from), an ``Option`` says what a setting of a
metric is (its type, default, Dutch help, environment variable, and how far back it makes a period look), a
``Metric`` says what a figure means and which measures it shows, which ``--by`` columns and options it takes
and which query computes it. The dispatch and the incomplete periods (``metrics/run.py``), the derived columns
(``metrics/compile.py``), privacy (``reports/protect.py``), every Dutch header (``header``), the options of
``sdm metric``, ``sdm metrics``, the dashboard's definitions page and the tests' measure lists are read from
here. The full definitions with worked examples are in
docs/metrics.md; a test keeps the two in step.

A measure name means the same figure in every metric (``clients`` of ``profile`` is ``clients`` of
``clients``): privacy names a figure by its measure, so the same number is hidden everywhere or nowhere.
A new metric is one ``Metric`` here (plus its new ``Measure``s and ``Option``s) and its query in
``metrics/engine.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any, Generic, TypeVar

from ibis.expr.types import Table

from sdmonitor.domain.periods import add_months
from sdmonitor.metrics import access, benefits, costs, dimensions, engine, utilisation

S = TypeVar("S")
V = TypeVar("V", int, float, str)


class Kind(Enum):
    """What a measure's number is: how it is protected, recomputed and shown. The value is the Dutch word."""

    COUNT = "aantal"  # people, allocations or events: hidden from 1 to the threshold, rounded to fives
    AMOUNT = "bedrag"  # a sum of money (euros): not a count of people; hidden with the counts it sums over
    QUANTITY = "hoeveelheid"  # a sum of volume in the row's unit (hours, days, euros): hidden like an amount
    RATIO = "verhouding"  # numerator / denominator, shown as a number (allocations per client)
    FRACTION = "aandeel"  # numerator / denominator between 0 and 1, shown as a percentage
    DIFFERENCE = "verschil"  # one measure minus another (net = inflow - outflow)
    MEAN = "gemiddelde"  # a mean over the counted (mean age of the clients)
    DURATION = "duur"  # a mean length of time (days or months)
    PERCENTILE = "percentiel"  # a percentile (median, p90) of lengths of time
    KEY = "indeling"  # names a row rather than measures it (stacking: the number of groups a client has)


DERIVED = (Kind.RATIO, Kind.FRACTION, Kind.DIFFERENCE)  # computed from other measures (metrics/compile.py)


@dataclass(frozen=True)
class Measure:
    """One column of figures: its name, Dutch header, kind and decimals, and what it is computed from.

    ``of``: for a ratio or fraction (numerator, denominator), for a difference (minuend, subtrahend); these are
    compiled by one function (``compile.with_derived``), so the query computes only the other measures.
    ``from_counts``: the counts of the same row a mean, duration, percentile or amount is computed over.
    ``parts``: counts of the same row that add up to this one (clients = men + women + sex_unknown), a sum
    privacy protects when a row has all of them.
    ``column``: the name of the measure's column in CSV, JSON and XLSX output when a contract fixes another
    name than the measure's (the costs' ``paid_clients`` is ``clients`` in the issue's CSV contract, while the
    measure ``clients`` is another figure). Everything inside sdmonitor (privacy, reports, the dashboard)
    names the figure by its measure; only the output edge (``MetricResult.labelled``) renames it.
    ``percent``: a fraction shown as a percentage (98.0, not 0.98) in CSV and JSON, as the access contract
    asks; ``compile.with_derived`` and privacy (``protect.rounded``) multiply by 100 before rounding to
    ``decimals``, and XLSX stores the fraction with a percent format, as for ``change_pct``.
    ``complement``: a fraction of ``1 - of[0] / of[1]`` (within the norm = 1 - over the norm / waiting), so
    that privacy recomputes it from the published counts like any fraction.
    """

    name: str
    label: str
    kind: Kind
    decimals: int = 0
    of: tuple[str, ...] = ()
    from_counts: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    column: str = ""
    percent: bool = False
    complement: bool = False

    @property
    def output_name(self) -> str:
        """The column's name in CSV, JSON and XLSX output: ``column``, else the measure's name."""
        return self.column or self.name

    @property
    def derived_from(self) -> tuple[str, ...] | None:
        """The counts of the same row whose hiding hides this measure; None: any hidden count of the row
        hides it (a difference, as the saldo always was, and a measure that declares nothing)."""
        if self.kind in (Kind.RATIO, Kind.FRACTION):
            return self.of
        return self.from_counts or None


def _measures(*measures: Measure) -> dict[str, Measure]:
    return {m.name: m for m in measures}


MEASURES: dict[str, Measure] = _measures(
    Measure("clients", "Cliënten", Kind.COUNT, parts=("men", "women", "sex_unknown")),
    Measure("allocations", "Toewijzingen", Kind.COUNT),
    Measure(
        "allocations_per_client", "Toewijzingen per cliënt", Kind.RATIO, 2, of=("allocations", "clients")
    ),
    Measure("inflow", "Instroom", Kind.COUNT),
    Measure("outflow", "Uitstroom", Kind.COUNT),
    Measure("net", "Saldo", Kind.DIFFERENCE, of=("inflow", "outflow")),
    Measure("outflow_clients", "Uitgestroomd", Kind.COUNT),
    Measure("outflow_rate", "Uitstroom %", Kind.FRACTION, 4, of=("outflow_clients", "clients")),
    Measure("episodes", "Trajecten", Kind.COUNT),
    Measure("open_episodes", "Lopende trajecten", Kind.COUNT),
    Measure("mean_days", "Gemiddelde duur (dagen)", Kind.DURATION, 2, from_counts=("episodes",)),
    Measure("median_days", "Mediaan (dagen)", Kind.PERCENTILE, 2, from_counts=("episodes",)),
    Measure("p90_days", "90e percentiel (dagen)", Kind.PERCENTILE, 2, from_counts=("episodes",)),
    Measure("mean_months", "Gemiddelde duur (maanden)", Kind.DURATION, 2, from_counts=("episodes",)),
    Measure("median_months", "Mediaan (maanden)", Kind.PERCENTILE, 2, from_counts=("episodes",)),
    Measure("p90_months", "90e percentiel (maanden)", Kind.PERCENTILE, 2, from_counts=("episodes",)),
    Measure("reentries", "Heraanmeldingen", Kind.COUNT),
    Measure("reentry_rate", "Heraanmelding %", Kind.FRACTION, 4, of=("reentries", "inflow")),
    # benefit_reentry: the same count for the bijstand, which its readers call herinstroom (a heraanmelding is a
    # new application there); the CSV keeps the columns reentries and reentry_rate
    Measure("benefit_reentries", "Herinstroom", Kind.COUNT, column="reentries"),
    Measure(
        "benefit_reentry_rate",
        "Herinstroom %",
        Kind.FRACTION,
        4,
        of=("benefit_reentries", "inflow"),
        column="reentry_rate",
    ),
    Measure("repeat_clients", "Herhaald beroep", Kind.COUNT),
    Measure("repeat_share", "Aandeel herhaald", Kind.FRACTION, 4, of=("repeat_clients", "clients")),
    Measure("groups", "Aantal vormen", Kind.KEY),
    Measure("combination", "Combinatie", Kind.KEY),
    Measure("turned_18", "18 geworden", Kind.COUNT),
    Measure("with_wmo", "Met Wmo", Kind.COUNT),
    Measure("share", "Aandeel", Kind.FRACTION, 4, of=("with_wmo", "turned_18")),
    Measure("mean_age", "Gemiddelde leeftijd", Kind.MEAN, 1, from_counts=("clients",)),
    Measure("men", "Mannen", Kind.COUNT),
    Measure("women", "Vrouwen", Kind.COUNT),
    Measure("sex_unknown", "Onbekend", Kind.COUNT),
    # costs (issue 12, docs/design/money.md §2.2): paid_clients is not the clients of the allocation metrics
    Measure("amount", "Kosten (euro)", Kind.AMOUNT, 2, from_counts=("paid_clients",)),
    Measure("paid_clients", "Cliënten met kosten", Kind.COUNT, column="clients"),
    Measure("cost_per_client", "Kosten per cliënt", Kind.RATIO, 2, of=("amount", "paid_clients")),
    Measure("client_months", "Cliëntmaanden", Kind.COUNT, from_counts=("paid_clients",)),
    Measure("cost_per_client_month", "Kosten per cliëntmaand", Kind.RATIO, 2, of=("amount", "client_months")),
    # utilisation (metrics/utilisation.py): only allocations with a known volume in complete months count, so
    # its allocations and clients are figures of their own
    Measure("unit", "Eenheid", Kind.KEY),
    Measure("allocated_volume", "Toegewezen volume", Kind.QUANTITY, 2, from_counts=("util_clients",)),
    Measure("declared_volume", "Gedeclareerd volume", Kind.QUANTITY, 2, from_counts=("util_clients",)),
    Measure("utilisation", "Verzilvering", Kind.FRACTION, 4, of=("declared_volume", "allocated_volume")),
    Measure("util_allocations", "Toewijzingen met volume", Kind.COUNT, from_counts=("util_clients",)),
    Measure("util_clients", "Cliënten met volume", Kind.COUNT),
    # access and waiting times (issue 13, metrics/access.py): their own names, the contract's via ``column``
    Measure("decided", "Besluiten", Kind.COUNT),
    Measure(
        "decision_mean_days",
        "Gemiddelde doorlooptijd (dagen)",
        Kind.DURATION,
        1,
        from_counts=("decided",),
        column="mean_days",
    ),
    Measure(
        "decision_median_days",
        "Mediaan doorlooptijd (dagen)",
        Kind.PERCENTILE,
        1,
        from_counts=("decided",),
        column="median_days",
    ),
    Measure("within_term", "Binnen de termijn", Kind.COUNT),
    Measure(
        "within_term_share",
        "Binnen de termijn %",
        Kind.FRACTION,
        1,
        of=("within_term", "decided"),
        percent=True,
    ),
    Measure("open", "Openstaand", Kind.COUNT),
    Measure("over_term", "Over de termijn", Kind.COUNT),
    Measure("mean_days_open", "Gemiddeld dagen open", Kind.DURATION, 1, from_counts=("open",)),
    Measure("started", "Gestart", Kind.COUNT),
    Measure(
        "wait_mean_days",
        "Gemiddelde wachttijd (dagen)",
        Kind.DURATION,
        1,
        from_counts=("started",),
        column="mean_days",
    ),
    Measure(
        "wait_median_days",
        "Mediaan wachttijd (dagen)",
        Kind.PERCENTILE,
        1,
        from_counts=("started",),
        column="median_days",
    ),
    Measure("p80_days", "80e percentiel wachttijd (dagen)", Kind.PERCENTILE, 1, from_counts=("started",)),
    Measure("within_norm", "Binnen de norm", Kind.COUNT),
    Measure(
        "within_norm_share", "Binnen de norm %", Kind.FRACTION, 1, of=("within_norm", "started"), percent=True
    ),
    Measure("waiting", "Wachtend", Kind.COUNT),
    Measure(
        "waited_mean_days",
        "Gemiddeld gewacht (dagen)",
        Kind.DURATION,
        1,
        from_counts=("waiting",),
        column="mean_days",
    ),
    Measure(
        "waited_median_days",
        "Mediaan gewacht (dagen)",
        Kind.PERCENTILE,
        1,
        from_counts=("waiting",),
        column="median_days",
    ),
    Measure("over_norm", "Boven de norm", Kind.COUNT),
    Measure(
        "list_within_norm_share",
        "Binnen de norm %",
        Kind.FRACTION,
        1,
        of=("over_norm", "waiting"),
        percent=True,
        complement=True,
        column="within_norm_share",
    ),
    Measure("bridged", "Met overbrugging", Kind.COUNT),
    Measure("weeks_0_4", "0-4 weken", Kind.COUNT),
    Measure("weeks_4_8", "4-8 weken", Kind.COUNT),
    Measure("weeks_8_13", "8-13 weken", Kind.COUNT),
    Measure("weeks_13_26", "13-26 weken", Kind.COUNT),
    Measure("weeks_over_26", "Langer dan 26 weken", Kind.COUNT),
    # access partners and support plans (issue 13, design §2.7)
    Measure("new_requests", "Nieuwe vragen", Kind.COUNT),
    Measure("broad_inquiries", "Brede uitvraag", Kind.COUNT),
    Measure("support_plans", "Ondersteuningsplannen", Kind.COUNT),
    # Participatiewet (issue 14, metrics/benefits.py): benefits and persons on them (a couple: one and two)
    Measure("benefits", "Uitkeringen", Kind.COUNT),
    Measure("persons", "Personen", Kind.COUNT),
    Measure("months_0_6", "0-6 maanden", Kind.COUNT),
    Measure("months_6_12", "6-12 maanden", Kind.COUNT),
    Measure("years_1_2", "1-2 jaar", Kind.COUNT),
    Measure("years_2_3", "2-3 jaar", Kind.COUNT),
    Measure("years_3_4", "3-4 jaar", Kind.COUNT),
    Measure("years_4_5", "4-5 jaar", Kind.COUNT),
    Measure("years_5_plus", "5 jaar of langer", Kind.COUNT),
    Measure("provisions", "Re-integratievoorzieningen", Kind.COUNT),
    Measure("reason_group", "Reden", Kind.KEY),
)


@dataclass(frozen=True)
class Option(Generic[V]):
    """A setting a metric takes: ``sdm metric --<name>`` and a keyword argument of the metric's query.

    ``value_type``, ``default``, ``help`` (Dutch) and ``envvar`` make the option of ``sdm metric`` (the command
    generates it from this declaration). ``scope``: every query reads it from its ``engine.Scope`` (a field of
    that name) instead of as a keyword. ``looks_back``: for a metric with ``history``, the earliest day a period
    that starts on the given day must see, given the option's value; a period whose look-back reaches before
    the start of the history is incomplete ('onvolledig'). ``non_negative``: a negative value is refused.
    ``part_of``: the option is no argument of its own but part of another option's value, which the query
    receives resolved (``--index`` names the series of ``--prices``; the costs query receives one
    ``costs.PriceBasis``, resolved from the warehouse in ``metrics/run.py``).
    """

    name: str
    value_type: type[V]
    default: V
    help: str
    envvar: str
    looks_back: Callable[[date, V], date] | None = None
    scope: bool = False
    non_negative: bool = False
    part_of: str = ""

    @property
    def flag(self) -> str:
        """The option on the command line: ``--max-gap-days``."""
        return "--" + self.name.replace("_", "-")


def gap_days_back(first: date, days: int) -> date:
    """An episode that starts on ``first`` may continue support that ended up to ``days`` days before: the
    period must see those days and the day before them, the last one with support."""
    return first - timedelta(days=days + 1)


def months_back(first: date, months: int) -> date:
    """The same day ``months`` calendar months earlier."""
    return add_months(first, -months)


def years_back(first: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February -> 28 February)."""
    return add_months(first, -12 * years)


def days_back(first: date, days: int) -> date:
    """A request received on ``first`` is compared with those received up to ``days`` days before it."""
    return first - timedelta(days=days)


def durations_back(first: date, gap_days: int, top_months: int) -> date:
    """The earliest day a slot starting on ``first`` must see for the duration classes of its episodes: an
    episode below the open top class on ``first`` (fewer than ``top_months`` completed months to the day after
    it) started after the day ``top_months`` months before that day after (on or before it: the top class), and
    whether it continues support from before needs the ``gap_days`` before its start and the day before them
    (``gap_days_back``). On 2019-12-31 with a top of 60 months and a gap of 30 days: an episode from
    2015-01-02 on is below the top class, so the slot must see 2014-12-02."""
    latest_in_top = add_months(first + timedelta(days=1), -top_months)
    return gap_days_back(latest_in_top + timedelta(days=1), gap_days)


@dataclass(frozen=True)
class Durations:
    """A metric that classes episodes by their duration (the CBS duration classes of the Participatiewet).

    An episode that starts within ``--max-gap-days`` of the start of the history may continue support from
    before it: its duration is a lower bound, certain only in the open top class (``top_months`` and longer).
    So a slot is incomplete ('onvolledig') while such an episode can still be below the top class on its first
    day: while ``durations_back`` lies before the start of the history (docs/metrics.md, "Participatiewet",
    "Durations"). ``by``: only when the request breaks down by this column ('': always).
    """

    top_months: int
    by: str = ""

    def applies(self, by: Iterable[str]) -> bool:
        """Whether a request with these ``--by`` columns classes durations."""
        return not self.by or self.by in by


def _options(*options: Option[Any]) -> dict[str, Option[Any]]:
    return {o.name: o for o in options}


OPTIONS: dict[str, Option[Any]] = _options(
    Option(
        "max_gap_days",
        int,
        0,
        "Dagen zonder ondersteuning die een episode niet onderbreken.",
        "SDM_MAX_GAP_DAYS",
        looks_back=gap_days_back,
        scope=True,
        non_negative=True,
    ),
    Option("reentry_months", int, 12, "Termijn voor heraanmelding.", "SDM_REENTRY_MONTHS", months_back),
    Option(
        "lookback_years", int, 5, "Terugkijktermijn voor herhaald beroep.", "SDM_LOOKBACK_YEARS", years_back
    ),
    Option(
        "window_months", int, 6, "Termijn rond de 18e verjaardag voor transitions_18.", "SDM_WINDOW_MONTHS"
    ),
    Option(
        "prices",
        int,
        0,
        "Zet bedragen ook om naar prijzen van dit jaar (naast nominaal; 0: alleen nominaal).",
        "SDM_PRICES",
        non_negative=True,
    ),
    Option(
        "index",
        str,
        costs.DEFAULT_INDEX,
        "Indexreeks voor --prices (sdm load index).",
        "SDM_INDEX",
        part_of="prices",
    ),
    Option(
        "grace_days",
        int,
        access.DEFAULT_GRACE_DAYS,
        "Dagen na de start van de wachttijd waarin een nog niet gemelde start niet als wachten telt.",
        "SDM_GRACE_DAYS",
        non_negative=True,
    ),
    Option(
        "request_gap_days",
        int,
        access.DEFAULT_REQUEST_GAP_DAYS,
        "Dagen waarbinnen een volgende melding of aanvraag van dezelfde cliënt bij hetzelfde team geen nieuwe "
        "vraag is.",
        "SDM_REQUEST_GAP_DAYS",
        looks_back=days_back,
        non_negative=True,
    ),
    Option(
        "stack_by",
        str,
        engine.STACK_BY_GROUP,
        "Waarover stapeling telt: cbs_group (productgroepen) of law (wetten: JW, PW, WMO).",
        "SDM_STACK_BY",
    ),
)


ALLOCATIONS = "allocations"  # engine.facts
DECLARATIONS = "declarations"  # costs.cost_facts: approved declared lines with their client's attributes
# utilisation.allocation_facts: allocations with volume, unit, frequency and planned end dates; the query reads
# the declarations itself, and the data moment is the earliest over allocation and declaration sources
ALLOCATION_VOLUMES = "allocation_volumes"
REQUESTS = "requests"  # access.request_facts: requests with their legal terms; the request sources' moment
# engine.facts with source and decision_date; the query reads the deliveries and norms itself, and the data
# moment is the earliest over allocation and delivery sources
CARE = "care"
BENEFITS = "benefits"  # benefits.benefit_persons of benefit_facts: one row per benefit and person
REINTEGRATION = "reintegration"  # benefits.reintegration_facts: re-integration provisions
COSTS_BY = (
    "law", "product_category", "product_code", "cbs_group", "provider", "provider_type", "wijk",
    "target_group", "age_band", "delivery_form", "segment",
)  # fmt: skip


# An option's value in a metric's definition: '{max_gap_days}' (``Metric.definition_text``)
OPTION_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


@dataclass(frozen=True)
class Metric:
    """One figure: what it is called and means, where the definition comes from, what it measures and how.

    ``measures``: names in ``MEASURES``, in column order (a ``KEY`` measure first). ``query``: the Ibis function
    in ``metrics/engine.py`` that computes the measures that are not derived, called as
    ``query(facts, scope, **options)`` with the request's value of every option it takes except those the
    scope carries (``Option.scope``) and those that are part of another (``Option.part_of``). ``by``: the ``--by`` columns it takes (none: a figure over all groups).
    ``options``: names in ``OPTIONS``. ``history``: the figure tells new from continuing support (or looks
    back), so its first periods after the start of the history are incomplete: those whose look-back, the
    farthest any of its options reaches (``Option.looks_back``; without one the day before the period), lies
    before the start (docs/metrics.md, "Realised, planned and incomplete").
    ``most_frequent_first``: within a period and group, rows with the largest count first (else by key).
    ``default_by``: the ``--by`` columns when the request names none.
    ``with_benefits``: a figure about clients at a time (no episodes, no history, nothing per allocation):
    persons on a running benefit count as clients of law ``PW`` (``clients.client_facts``; docs/metrics.md,
    "Clients across the three laws"), and its data moment is the earliest over allocation and benefit sources.
    ``durations``: the figure classes episodes by their duration (``Durations``), so its slots in the first
    years after the start of the history are incomplete, with or without ``history``.
    """

    name: str
    label: str
    # the definition with '{option}' where an option's value goes ('binnen {reentry_months} maanden'):
    # ``definition`` on the command line ('--reentry-months'), ``definition_with`` in a report ('12')
    definition_text: str
    source: str
    measures: tuple[str, ...]
    query: Callable[..., Table]
    by: tuple[str, ...] = dimensions.STANDARD_BY
    options: tuple[str, ...] = ()
    on_dates: bool = False  # may be counted on reference dates (--on) as well as in periods
    only_dates: bool = False  # counted on reference dates only: periods mean their first days
    history: bool = False
    most_frequent_first: bool = False
    reads: str = ALLOCATIONS  # the facts it reads: allocations, declared lines, volumes, requests, care
    default_by: tuple[str, ...] = ()
    with_benefits: bool = False  # persons on benefits are clients of law PW (reads allocations only)
    defaults: tuple[tuple[str, Any], ...] = ()  # the metric's own default of an option: (name, value)
    per_10000: tuple[str, int, int | None] | None = None  # --per-10000: (measure, youngest, oldest age)
    durations: Durations | None = (
        None  # classes episodes by duration: incomplete in the history's first years
    )
    # what the command line adds to the definition about options a report does not show ('--prices JAAR ...')
    cli_note: str = ""

    @property
    def definition(self) -> str:
        """The definition as ``sdm metrics`` and the dashboard show it: each option by its flag ('binnen
        --reentry-months maanden'), and the ``cli_note``."""
        text = self.definition_with({name: OPTIONS[name].flag for name in self.options})
        return f"{text} {self.cli_note}" if self.cli_note else text

    def definition_with(self, values: Mapping[str, object]) -> str:
        """The definition with each option's value filled in: a report gives the values it used, so that a
        reader sees 'binnen 12 maanden' (KeyError for an option ``values`` lacks)."""
        return OPTION_PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.definition_text)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The options whose value the definition names ('reentry_months')."""
        return tuple(dict.fromkeys(OPTION_PLACEHOLDER.findall(self.definition_text)))

    def default(self, name: str) -> Any:
        """The default of an option for this metric: its own (``defaults``), else the declared one."""
        return dict(self.defaults).get(name, OPTIONS[name].default)

    @property
    def declared_measures(self) -> tuple[Measure, ...]:
        """The declarations of the metric's measures, in column order."""
        return tuple(MEASURES[name] for name in self.measures)

    @property
    def declared_options(self) -> tuple[Option[Any], ...]:
        """The declarations of the options the metric takes."""
        return tuple(OPTIONS[name] for name in self.options)

    @property
    def keys(self) -> tuple[str, ...]:
        """The measures that name a row (``KEY``): with the ``--by`` columns they identify a group."""
        return tuple(m.name for m in self.declared_measures if m.kind is Kind.KEY)

    @property
    def takes_per_1000(self) -> bool:
        """Whether ``--per-1000`` applies: not to the Participatiewet metrics (those reading benefits or
        re-integration provisions), whose rate is the BBV one per 10,000 inhabitants of an age group
        (``per_10000``), counted in persons or provisions; a rate per 1,000 of all inhabitants beside it would
        disagree with it (docs/metrics.md, "Per 1,000 inhabitants")."""
        return self.reads not in (BENEFITS, REINTEGRATION)


def _benefit_reentry(t: Table, scope: engine.Scope, reentry_months: int = 12) -> Table:
    """``benefits.benefit_reentry`` with its re-entries as the measure ``benefit_reentries`` (labelled
    'Herinstroom', unlike the allocations' 'Heraanmeldingen'); the CSV column stays ``reentries``."""
    return benefits.benefit_reentry(t, scope, reentry_months).rename(benefit_reentries="reentries")


TRIMBOS = "Trimbos, Drechtsteden 2020"
LANSINGERLAND = "Halfjaarrapportage Lansingerland"

CATALOGUE: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "clients",
            "Unieke cliënten",
            "Cliënten met minstens één lopende toewijzing of uitkering (Participatiewet) in de periode.",
            "CBS Monitor Sociaal Domein; halfjaarrapportage Lansingerland",
            ("clients",),
            engine.count_clients,
            with_benefits=True,
        ),
        Metric(
            "allocations",
            "Lopende toewijzingen",
            "Toewijzingen die in de periode lopen; naar overlap uitgesplitst in de vier manieren waarop een "
            "toewijzing een periode overlapt.",
            LANSINGERLAND,
            ("allocations",),
            engine.count_allocations,
            by=(*dimensions.STANDARD_BY, "overlap"),
        ),
        Metric(
            "allocations_per_client",
            "Toewijzingen per cliënt",
            "Lopende toewijzingen gedeeld door unieke cliënten in de periode.",
            LANSINGERLAND,
            ("allocations", "clients", "allocations_per_client"),
            engine.allocations_and_clients,
        ),
        Metric(
            "stock",
            "Cliëntenbestand op peildatum",
            "Cliënten met een lopende toewijzing of uitkering (Participatiewet) op de peildatum.",
            "CBS (peildatum); analyse Leiden 2015",
            ("clients",),
            engine.count_clients,
            on_dates=True,
            only_dates=True,
            with_benefits=True,
        ),
        Metric(
            "flows",
            "Instroom en uitstroom",
            "Trajecten (toewijzingen met hoogstens {max_gap_days} dagen zonder ondersteuning ertussen) die in "
            "de periode beginnen (instroom) of eindigen (uitstroom); saldo = instroom - uitstroom.",
            "Analyse Leiden 2015; CBS",
            ("inflow", "outflow", "net"),
            engine.episode_flows,
            options=("max_gap_days",),
            history=True,
        ),
        Metric(
            "allocation_flows",
            "Gestarte en beëindigde toewijzingen (naïef)",
            "Toewijzingen die in de periode starten of eindigen, zonder verlengingen samen te nemen.",
            "Kwartaalrapportage Hollands Kroon",
            ("inflow", "outflow", "net"),
            engine.allocation_flows,
            options=("max_gap_days",),  # only for its incomplete periods: the same as those of flows
            history=True,
        ),
        Metric(
            "outflow_rate",
            "Uitstroompercentage",
            "Cliënten van wie het laatste traject in de periode daarin eindigt, gedeeld door de cliënten in de "
            "periode.",
            TRIMBOS,
            ("clients", "outflow_clients", "outflow_rate"),
            engine.outflow_clients,
            options=("max_gap_days",),
        ),
        Metric(
            "duration",
            "Duur van ondersteuning",
            "Lengte van beëindigde trajecten in dagen en maanden (gemiddelde, mediaan, 90e percentiel) naar "
            "startcohort.",
            TRIMBOS,
            (
                "episodes",
                "open_episodes",
                "mean_days",
                "median_days",
                "p90_days",
                "mean_months",
                "median_months",
                "p90_months",
            ),
            engine.duration,
            options=("max_gap_days",),
            history=True,
        ),
        Metric(
            "reentry",
            "Heraanmeldingen",
            "Trajecten die binnen {reentry_months} maanden na het einde van een eerder traject beginnen.",
            TRIMBOS,
            ("inflow", "reentries", "reentry_rate"),
            engine.reentry,
            options=("max_gap_days", "reentry_months"),
            history=True,
        ),
        Metric(
            "repeat_use",
            "Herhaald beroep",
            "Cliënten in de periode die in de {lookback_years} jaren daarvoor ook ondersteuning hadden.",
            "CBS Monitor Sociaal Domein (herhaald beroep)",
            ("clients", "repeat_clients", "repeat_share"),
            engine.repeat_use,
            options=("lookback_years",),
            history=True,
        ),
        Metric(
            "stacking",
            "Stapeling van voorzieningen",
            "Cliënten naar het aantal verschillende productgroepen (CBS-indeling, over de wetten heen, een "
            "uitkering als 'bijstand') dat zij in de periode of op de peildatum hebben.",
            TRIMBOS,
            ("groups", "clients"),
            engine.stacking,
            options=("stack_by",),
            on_dates=True,
            with_benefits=True,
        ),
        Metric(
            "stacking_combinations",
            "Combinaties van voorzieningen",
            "Cliënten naar de combinatie van productgroepen die zij hebben, meest voorkomende eerst.",
            TRIMBOS,
            ("combination", "clients"),
            engine.stacking_combinations,
            options=("stack_by",),
            on_dates=True,
            most_frequent_first=True,
            with_benefits=True,
        ),
        Metric(
            "transitions_18",
            "Overgang Jeugdwet naar Wmo op 18",
            "Cliënten van wie de Jeugdwet-ondersteuning binnen {window_months} maanden rond hun 18e verjaardag "
            "eindigde, en hoeveel van hen binnen die termijn daarna Wmo-ondersteuning hadden; per periode van "
            "de 18e verjaardag.",
            LANSINGERLAND,
            ("turned_18", "with_wmo", "share"),
            engine.transitions_18,
            by=(),
            options=("window_months",),
        ),
        Metric(
            "profile",
            "Cliëntprofiel",
            "Cliënten, gemiddelde leeftijd op de laatste dag van de periode en verdeling naar geslacht.",
            TRIMBOS,
            ("clients", "mean_age", "men", "women", "sex_unknown"),
            engine.profile,
            with_benefits=True,
        ),
        Metric(
            "costs",
            "Kosten",
            "Toegekende gedeclareerde bedragen (een creditering negatief), toegerekend aan de maanden van de "
            "leveringsperiode naar rato van dagen; cliënten met per saldo kosten in de periode, "
            "cliëntmaanden met per saldo kosten, en de kosten per cliënt en per cliëntmaand.",
            "Trimbos, Drechtsteden 2020; kwartaalrapportage Hollands Kroon",
            ("amount", "paid_clients", "cost_per_client", "client_months", "cost_per_client_month"),
            costs.costs,
            by=COSTS_BY,
            options=("prices", "index"),
            reads=DECLARATIONS,
            cli_note="--prices JAAR zet de bedragen daarnaast om naar prijzen van dat jaar (--index, standaard "
            "vng-ova-ppc).",
        ),
        Metric(
            "utilisation",
            "Verzilvering",
            "Gedeclareerd volume (bij een budget in euro's: het gedeclareerde bedrag) gedeeld door het "
            "toegewezen volume, per toewijzing over de maanden waarin zij liep en die op het datamoment "
            "compleet zijn, opgeteld per groep en eenheid: een verhouding van sommen.",
            "Insights Zorg (verzilveringspercentage); iStandaarden TR321, TR322, TR346, TR369",
            (
                "unit",
                "allocated_volume",
                "declared_volume",
                "utilisation",
                "util_allocations",
                "util_clients",
            ),
            utilisation.utilisation,
            reads=ALLOCATION_VOLUMES,
            default_by=("product_code", "provider"),
        ),
        Metric(
            "decision_time",
            "Beslistermijnen",
            "Meldingen en aanvragen met een wettelijke termijn die in de periode zijn afgehandeld (een "
            "intrekking is geen besluit): aantal, gemiddelde en mediaan dagen van ontvangst tot besluit, en "
            "hoeveel binnen de termijn (ontvangst + termijn + opschorting + verdaging), ook in procenten.",
            "Wmo 2015 art. 2.3.2 en 2.3.5; Awb 4:13-4:15",
            ("decided", "decision_mean_days", "decision_median_days", "within_term", "within_term_share"),
            access.decision_time,
            by=access.DECISION_BY,
            reads=REQUESTS,
        ),
        Metric(
            "open_requests",
            "Openstaande aanvragen",
            "Meldingen en aanvragen met een wettelijke termijn die op de peildatum zijn ontvangen en nog niet "
            "afgehandeld: aantal, hoeveel over de termijn, en het gemiddelde aantal dagen open.",
            "Wmo 2015 art. 2.3.2 en 2.3.5; Awb 4:13-4:15",
            ("open", "over_term", "mean_days_open"),
            access.open_requests,
            by=access.OPEN_BY,
            on_dates=True,
            only_dates=True,
            reads=REQUESTS,
        ),
        Metric(
            "waiting",
            "Wachttijd (gestart)",
            "Toewijzingen in natura waarvan de zorg in de periode begon: de wachttijd van de begindatum of "
            "het besluit (de laatste) tot de eerste levering, gemiddeld, mediaan en 80e percentiel, en hoeveel "
            "binnen de norm, ook in procenten. Verlengingen bij dezelfde aanbieder, PGB, jeugdbescherming en "
            "-reclassering en aanbieders zonder enige levering tellen niet mee.",
            "Treeknormen; halfjaarrapportage Lansingerland",
            ("started", "wait_mean_days", "wait_median_days", "p80_days", "within_norm", "within_norm_share"),
            access.waiting,
            by=access.WAITING_BY,
            options=("max_gap_days",),
            reads=CARE,
        ),
        Metric(
            "waiting_list",
            "Wachtenden op peildatum",
            "Toewijzingen in natura die op de peildatum lopen, langer dan {grace_days} dagen wachten en nog "
            "geen levering hebben: aantal, gemiddeld en mediaan gewacht, boven de norm, binnen de norm in "
            "procenten, met overbrugging (andere zorg van dezelfde wet op de peildatum) en de spreiding in "
            "weken.",
            "Treeknormen; halfjaarrapportage Lansingerland",
            (
                "waiting",
                "waited_mean_days",
                "waited_median_days",
                "over_norm",
                "list_within_norm_share",
                "bridged",
                "weeks_0_4",
                "weeks_4_8",
                "weeks_8_13",
                "weeks_13_26",
                "weeks_over_26",
            ),
            access.waiting_list,
            by=access.WAITING_BY,
            options=("grace_days", "max_gap_days"),
            on_dates=True,
            only_dates=True,
            reads=CARE,
        ),
        Metric(
            "access",
            "Toegangspartners",
            "Per toegangspartner (team): nieuwe vragen (meldingen en aanvragen die in de periode binnenkwamen, "
            "behalve wanneer dezelfde cliënt binnen {request_gap_days} dagen ervoor bij hetzelfde team een "
            "vraag over dezelfde wet stelde), brede uitvragen (meldingen waarvan het onderzoek in de periode "
            "klaar was) en ondersteuningsplannen (per cliënt, wet en plandatum één) met de plandatum in de "
            "periode. Puur informatieve vragen komen niet in de registratie en tellen niet mee.",
            LANSINGERLAND,
            ("new_requests", "broad_inquiries", "support_plans"),
            access.access,
            by=access.ACCESS_BY,
            options=("request_gap_days",),
            history=True,
            reads=REQUESTS,
            default_by=("team",),
        ),
        Metric(
            "support_plans",
            "Ondersteuningsplannen",
            "Ondersteuningsplannen met de plandatum in de periode: per cliënt, wet en plandatum één (een "
            "melding en haar aanvraag met dezelfde plandatum zijn één plan), bij het team van de eerste vraag "
            "met dat plan. Doelgroep: Jeugdwet is jeugd; Wmo en Participatiewet naar leeftijd op de laatste dag "
            "van de periode.",
            LANSINGERLAND,
            ("support_plans",),
            access.support_plans,
            by=access.PLANS_BY,
            reads=REQUESTS,
        ),
        Metric(
            "benefits",
            "Bijstandsuitkeringen op peildatum",
            "Uitkeringen (Participatiewet, IOAW, IOAZ, Bbz) die op de peildatum lopen, en de personen daarop: "
            "aanvragers en partners, elk één keer. Een echtpaar met één uitkering is één uitkering en twee "
            "personen. Naar leeftijd, geslacht en duur telt een persoon met zijn eigen gegevens en een uitkering "
            "met die van de aanvrager. Per 10.000 inwoners: personen per 10.000 inwoners van 18 jaar en ouder. "
            "Naar duur onvolledig in de eerste vijf jaar na het begin van de gegevens (plus {max_gap_days} "
            "dagen): een uitkering van voor dat begin kan langer lopen dan haar duurklasse zegt.",
            "CBS Bijstandsuitkeringenstatistiek (BUS); BBV-indicator personen met een bijstandsuitkering; "
            "halfjaarrapportage Lansingerland",
            ("benefits", "persons"),
            benefits.count_benefits,
            by=benefits.BENEFIT_BY,
            options=("max_gap_days",),  # only for duration_class: the episodes whose duration counts
            on_dates=True,
            only_dates=True,
            reads=BENEFITS,
            defaults=(("max_gap_days", benefits.DEFAULT_GAP_DAYS),),
            per_10000=("persons", 18, None),
            durations=Durations(benefits.TOP_CLASS_MONTHS, by="duration_class"),
        ),
        Metric(
            "benefit_flows",
            "Instroom en uitstroom bijstand",
            "Personen die in de periode in de bijstand komen (instroom) of eruit gaan (uitstroom); saldo = "
            "instroom - uitstroom. Wie binnen {max_gap_days} dagen na het einde van een uitkering weer een "
            "uitkering heeft, blijft in de bijstand en stroomt niet uit en weer in. Een geplande einddatum is "
            "geen uitstroom.",
            "CBS Bijstandsuitkeringenstatistiek (BUS); halfjaarrapportage Lansingerland",
            ("inflow", "outflow", "net"),
            benefits.benefit_flows,
            by=benefits.FLOW_BY,
            options=("max_gap_days",),
            history=True,
            reads=BENEFITS,
            defaults=(("max_gap_days", benefits.DEFAULT_GAP_DAYS),),
        ),
        Metric(
            "benefit_reentry",
            "Herinstroom bijstand",
            "Instroom in de bijstand, en hoeveel daarvan binnen {reentry_months} maanden na een eerdere "
            "uitstroom uit de bijstand van dezelfde persoon.",
            "CBS StatLine 82662NED (binnen een jaar opnieuw ingestroomd)",
            ("inflow", "benefit_reentries", "benefit_reentry_rate"),
            _benefit_reentry,
            by=benefits.FLOW_BY,
            options=("max_gap_days", "reentry_months"),
            history=True,
            reads=BENEFITS,
            defaults=(("max_gap_days", benefits.DEFAULT_GAP_DAYS),),
        ),
        Metric(
            "benefit_durations",
            "Duur van beëindigde bijstand",
            "De uitstroom uit de bijstand in de periode, naar hoe lang de persoon onafgebroken in de bijstand "
            "was, in de CBS-duurklassen: 0-6 maanden, 6-12 maanden, 1-2, 2-3, 3-4, 4-5 en 5 jaar of langer. "
            "Onvolledig in de eerste vijf jaar na het begin van de gegevens (plus {max_gap_days} dagen): wie al "
            "voor dat begin in de bijstand was, kan er langer in hebben gezeten dan de duurklasse zegt.",
            "CBS StatLine 82663NED (gestopte uitkeringssituaties naar duur)",
            ("outflow", *benefits.DURATION_MEASURES),
            benefits.benefit_durations,
            by=benefits.FLOW_BY,
            options=("max_gap_days",),
            history=True,
            reads=BENEFITS,
            defaults=(("max_gap_days", benefits.DEFAULT_GAP_DAYS),),
            durations=Durations(benefits.TOP_CLASS_MONTHS),
        ),
        Metric(
            "benefit_outflow_reasons",
            "Redenen van uitstroom uit de bijstand",
            "De uitstroom uit de bijstand naar de CBS-groep van de reden van beëindiging: werk, andere "
            "uitkering, relatie, verhuizing, overig; onbekend zonder reden.",
            "CBS Bijstandsuitkeringenstatistiek (BUS, kenmerk 34); CBS Redenen van in- en uitstroom WWB",
            ("reason_group", "outflow"),
            benefits.benefit_outflow_reasons,
            by=benefits.FLOW_BY,
            options=("max_gap_days",),
            history=True,
            reads=BENEFITS,
            defaults=(("max_gap_days", benefits.DEFAULT_GAP_DAYS),),
        ),
        Metric(
            "benefit_inflow_reasons",
            "Redenen van instroom in de bijstand",
            "De instroom in de bijstand naar de groep van de reden van instroom bij de eerste uitkering (werk, "
            "andere uitkering, relatie, verhuizing, overig); onbekend waar de bron geen reden geeft.",
            "CBS Redenen van in- en uitstroom WWB; GGM Model Inkomen (reden instroom)",
            ("reason_group", "inflow"),
            benefits.benefit_inflow_reasons,
            by=benefits.FLOW_BY,
            options=("max_gap_days",),
            history=True,
            reads=BENEFITS,
            defaults=(("max_gap_days", benefits.DEFAULT_GAP_DAYS),),
        ),
        Metric(
            "reintegration",
            "Re-integratievoorzieningen op peildatum",
            "Re-integratievoorzieningen die op de peildatum lopen. Per 10.000 inwoners: voorzieningen per "
            "10.000 inwoners van 15 tot en met 64 jaar.",
            "BBV-indicator lopende re-integratievoorzieningen per 10.000 inwoners 15-64 jaar",
            ("provisions",),
            benefits.count_provisions,
            by=benefits.REINTEGRATION_BY,
            on_dates=True,
            only_dates=True,
            reads=REINTEGRATION,
            per_10000=("provisions", 15, 64),
        ),
    )
}

# Headers of the columns a result has besides its --by columns and measures (compare.py adds the last six).
COLUMN_HEADERS = {
    "period": "Periode",
    "date": "Peildatum",
    "status": "Status",
    "per_1000": "Per 1.000 inwoners",
    "per_10000": "Per 10.000 inwoners",
    "previous": "Vorige periode",
    "change": "Verschil",
    "change_pct": "Verschil %",
    "trend": "Trend",
    "long_trend": "Langjarige trend",
}

# The decimals of columns that are no measure, where every output must show the same (``Measure.decimals``
# for the measures): the rate per 10,000 inhabitants of benefits and re-integration alike.
COLUMN_DECIMALS = {"per_10000": benefits.PER_10000_DECIMALS}


PRICES_SUFFIX = re.compile(r"_prices_([0-9]+)$")
# A report's ``previous: year`` (metrics/compare.add_previous_year): a count of the same period a year earlier,
# beside the count itself ('new_requests_previous_year'); protected as the count of that earlier period.
PREVIOUS_YEAR = "_previous_year"


def previous_year_measure(column: str) -> str | None:
    """The measure of a ``previous: year`` column ('new_requests' for 'new_requests_previous_year'), else None."""
    stem = column.removesuffix(PREVIOUS_YEAR)
    return stem if stem != column and stem in MEASURES else None


def corrected_measure(column: str) -> tuple[str, str]:
    """A ``--prices`` column and its suffix by the measure it corrects: ('amount', '_prices_2025') for
    ``amount_prices_2025``; (column, '') for any other column."""
    match = PRICES_SUFFIX.search(column)
    if match is None or column[: match.start()] not in MEASURES:
        return column, ""
    return column[: match.start()], match.group()


def header(column: str) -> str:
    """The Dutch header of a result column in reports, on the dashboard and in downloads; the key itself
    when nothing declares one. A ``--prices`` column: 'Kosten (euro), prijzen 2025'."""
    measure = MEASURES.get(column)
    if measure is not None:
        return measure.label
    name, suffix = corrected_measure(column)
    if suffix:
        return f"{MEASURES[name].label}, prijzen {suffix.rpartition('_')[2]}"
    if (earlier := previous_year_measure(column)) is not None:
        return f"{MEASURES[earlier].label} (een jaar eerder)"
    return dimensions.HEADERS.get(column) or COLUMN_HEADERS.get(column, column)


class Headers(Mapping[str, str]):
    """Every declared column and its Dutch header (``header``), read from the declarations on each use."""

    def __getitem__(self, column: str) -> str:
        if column in MEASURES or column in dimensions.HEADERS or column in COLUMN_HEADERS:
            return header(column)
        raise KeyError(column)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COLUMN_HEADERS, *dimensions.HEADERS, *MEASURES]))

    def __len__(self) -> int:
        return sum(1 for _ in self)


HEADERS: Mapping[str, str] = Headers()


class MeasureNames(Set[str]):
    """The names of the declared measures of some kinds (plus ``extra`` columns), read from ``MEASURES`` on
    each use, so that a measure declared later (a test's, say) is protected like the others."""

    def __init__(self, kinds: Iterable[Kind], extra: Iterable[str] = (), percent: bool | None = None) -> None:
        self.kinds = frozenset(kinds)
        self.extra = frozenset(extra)
        self.percent = percent  # None: any; True/False: only measures with (without) ``Measure.percent``

    def _counts(self, measure: Measure) -> bool:
        return measure.kind in self.kinds and (self.percent is None or measure.percent is self.percent)

    def __contains__(self, name: object) -> bool:
        if name in self.extra:
            return True
        if not isinstance(name, str):
            return False
        measure = MEASURES.get(name)
        if measure is None:  # an output name (``Measure.column``) of a measure named otherwise
            measure = next((m for m in MEASURES.values() if m.column == name), None)
        if measure is None and (earlier := previous_year_measure(name)) is not None:
            measure = MEASURES[earlier]  # the same count a year earlier
        return measure is not None and self._counts(measure)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.extra, *(n for n, m in MEASURES.items() if self._counts(m))]))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @classmethod
    def _from_iterable(cls, names: Iterable[S]) -> Set[S]:  # what ``|`` and ``&`` return
        return frozenset(names)


def describe(measure: Measure) -> str:
    """The kind of a measure in Dutch, with its formula: 'aandeel: Uitgestroomd / Cliënten'."""
    kind = str(measure.kind.value)
    if measure.kind in (Kind.RATIO, Kind.FRACTION):
        return f"{kind}: {header(measure.of[0])} / {header(measure.of[1])}"
    if measure.kind is Kind.DIFFERENCE:
        return f"{kind}: {header(measure.of[0])} - {header(measure.of[1])}"
    return kind
