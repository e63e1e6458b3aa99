"""The metric catalogue: name, Dutch label, definition, source and measures of every metric.

The full definitions with worked examples are in docs/metrics.md; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One figure: how it is called, what it means, where the definition comes from, what it measures."""

    name: str
    label: str
    definition: str
    source: str
    measures: tuple[str, ...]
    on_dates: bool = False  # may be counted on reference dates (--on) as well as in periods
    only_dates: bool = False  # counted on reference dates only: periods mean their first days


CATALOGUE: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("clients", "Unieke cliënten",
               "Cliënten met minstens één lopende toewijzing in de periode.",
               "CBS Monitor Sociaal Domein; halfjaarrapportage Lansingerland", ("clients",)),
        Metric("allocations", "Lopende toewijzingen",
               "Toewijzingen die in de periode lopen; --by overlap splitst ze naar de vier manieren waarop een "
               "toewijzing een periode overlapt.", "Halfjaarrapportage Lansingerland", ("allocations",)),
        Metric("allocations_per_client", "Toewijzingen per cliënt",
               "Lopende toewijzingen gedeeld door unieke cliënten in de periode.",
               "Halfjaarrapportage Lansingerland", ("allocations", "clients", "allocations_per_client")),
        Metric("stock", "Cliëntenbestand op peildatum",
               "Cliënten met een lopende toewijzing op de peildatum.", "CBS (peildatum); analyse Leiden 2015",
               ("clients",), on_dates=True, only_dates=True),
        Metric("flows", "Instroom en uitstroom",
               "Episodes (toewijzingen zonder onderbreking langer dan --max-gap-days) die in de periode "
               "beginnen (instroom) of eindigen (uitstroom); saldo = instroom - uitstroom.",
               "Analyse Leiden 2015; CBS", ("inflow", "outflow", "net")),
        Metric("allocation_flows", "Gestarte en beëindigde toewijzingen (naïef)",
               "Toewijzingen die in de periode starten of eindigen, zonder verlengingen samen te nemen.",
               "Kwartaalrapportage Hollands Kroon", ("inflow", "outflow", "net")),
        Metric("outflow_rate", "Uitstroompercentage",
               "Cliënten van wie de laatste episode in de periode daarin eindigt, gedeeld door de cliënten "
               "in de periode.", "Trimbos, Drechtsteden 2020", ("clients", "outflow_clients", "outflow_rate")),
        Metric("duration", "Duur van ondersteuning",
               "Lengte van beëindigde episodes in dagen en maanden (gemiddelde, mediaan, p90) naar "
               "startcohort.", "Trimbos, Drechtsteden 2020",
               ("episodes", "open_episodes", "mean_days", "median_days", "p90_days", "mean_months",
                "median_months", "p90_months")),
        Metric("reentry", "Heraanmeldingen",
               "Episodes die binnen --reentry-months maanden na het einde van een eerdere episode beginnen.",
               "Trimbos, Drechtsteden 2020", ("inflow", "reentries", "reentry_rate")),
        Metric("repeat_use", "Herhaald beroep",
               "Cliënten in de periode die in de --lookback-years jaren daarvoor ook ondersteuning hadden.",
               "CBS Monitor Sociaal Domein (herhaald beroep)", ("clients", "repeat_clients", "repeat_share")),
        Metric("stacking", "Stapeling van voorzieningen",
               "Cliënten naar het aantal verschillende productgroepen (CBS-indeling, over de wetten heen) dat "
               "zij in de periode of op de peildatum hebben.", "Trimbos, Drechtsteden 2020",
               ("groups", "clients"), on_dates=True),
        Metric("stacking_combinations", "Combinaties van voorzieningen",
               "Cliënten naar de combinatie van productgroepen die zij hebben, meest voorkomende eerst.",
               "Trimbos, Drechtsteden 2020", ("combination", "clients"), on_dates=True),
        Metric("transitions_18", "Overgang Jeugdwet naar Wmo op 18",
               "Cliënten van wie de Jeugdwet-ondersteuning binnen --window-months maanden rond hun 18e "
               "verjaardag eindigde, en hoeveel van hen binnen die termijn daarna Wmo-ondersteuning hadden; "
               "per periode van de 18e verjaardag.", "Halfjaarrapportage Lansingerland",
               ("turned_18", "with_wmo", "share")),
        Metric("profile", "Cliëntprofiel",
               "Cliënten, gemiddelde leeftijd op de laatste dag van de periode en verdeling naar geslacht.",
               "Trimbos, Drechtsteden 2020", ("clients", "mean_age", "men", "women", "sex_unknown")),
    )
}  # fmt: skip
