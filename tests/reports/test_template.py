from __future__ import annotations

from pathlib import Path

import pytest

from sdmonitor.domain.periods import Grain
from sdmonitor.errors import InputError
from sdmonitor.reports.template import BUILTIN, builtin_path, read_template


@pytest.mark.parametrize("name", BUILTIN)
def test_the_builtin_templates_are_valid(name: str) -> None:
    template = read_template(builtin_path(name))
    assert template.sections
    assert template.name == name


def test_the_half_year_template_follows_the_lansingerland_report() -> None:
    template = read_template(builtin_path("halfjaar"))
    assert template.grain is Grain.HALF and template.history == 7 and template.threshold == 5
    sections = {s.name: s for s in template.sections}
    assert sections["clienten"].by == ("target_group", "law")
    assert sections["instroom"].grain is Grain.MONTH and sections["instroom"].compare == "allocation_flows"


def test_kpis_without_data_yet_say_what_they_need() -> None:
    kpis = {k.name: k for k in read_template(builtin_path("kwartaal")).kpis}
    assert kpis["wachttijden"].needs == "wachttijden" and kpis["wachttijden"].metric is None
    assert kpis["doorstroom_jeugd"].filter == (("law", "JW"),)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sections: []", "'sections' moet een lijst"),
        ("sections:\n  - {name: a, metric: klanten}", "cijfer 'klanten' bestaat niet"),
        ("sections:\n  - {name: a, metric: clients, by: [kleur]}", "onbekende kolom kleur"),
        ("sections:\n  - {name: a, metric: clients, periods: altijd}", "periods 'altijd'"),
        ("grain: week\nsections:\n  - {name: a, metric: clients}", "grain 'week'"),
        ("sections:\n  - {name: a, metric: clients}\n  - {name: a, metric: flows}", "eigen naam"),
        ("sections:\n  - {name: a, metric: clients}\nkpis:\n  - {name: k, title: K}", "óf 'metric'"),
    ],
)
def test_a_bad_template_is_explained(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "mijn.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_template(path)
