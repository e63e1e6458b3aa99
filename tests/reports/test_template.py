from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdmonitor.domain.periods import Grain
from sdmonitor.errors import InputError
from sdmonitor.reports.template import BUILTIN, Template, apply_targets, builtin_path, read_template


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
    assert kpis["klachten"].needs == "klachten" and kpis["klachten"].metric is None
    # waiting times have a metric since issue 13: KPI 6 is the share started within the norm
    assert (kpis["wachttijden"].metric, kpis["wachttijden"].measure) == ("waiting", "within_norm_share")
    assert kpis["doorstroom_jeugd"].filter == (("law", "JW"),)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sections: []", "'sections' moet een lijst"),
        ("sections:\n  - {name: a, metric: klanten}", "cijfer 'klanten' bestaat niet"),
        ("sections:\n  - {name: a, metric: [clients]}", r"cijfer '\['clients'\]' bestaat niet"),
        ("sections:\n  - {name: a, metric: clients, by: [kleur]}", "onbekende kolom 'kleur' in 'by'"),
        ("sections:\n  - {name: a, metric: clients, periods: altijd}", "periods 'altijd'"),
        (
            "grain: week\nsections:\n  - {name: a, metric: clients}",
            r"grain 'week' is onbekend; kies month \(maand\), .* of year \(jaar\)",
        ),
        ("sections:\n  - {name: a, metric: clients}\n  - {name: a, metric: flows}", "eigen naam"),
        ("sections:\n  - {name: a, metric: clients}\nkpis:\n  - {name: k, title: K}", "óf 'metric'"),
    ],
)
def test_a_bad_template_is_explained(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "mijn.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_template(path)


def _read(tmp_path: Path, body: str, file_name: str = "mijn.yaml") -> Template:
    path = tmp_path / file_name
    path.write_text(body, encoding="utf-8")
    return read_template(path)


SECTION = "sections:\n  - {name: a, metric: clients}\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            f"threshold: vijf\n{SECTION}",
            r"mijn\.yaml: 'threshold' moet een getal zijn, zoals 5 \(procent\), niet 'vijf'",
        ),
        (f"threshold: -1\n{SECTION}", "mag niet negatief"),
        (
            f"{SECTION}kpis:\n  - {{name: k, metric: clients, target: hoog}}",
            r"mijn\.yaml, KPI 1 \('k'\): 'target' moet een getal zijn.*niet 'hoog'",
        ),
        (
            f"{SECTION}summary:\n  - {{name: k, metric: clients, target: '0.25'}}",
            r"kerncijfer 1 \('k'\): 'target' moet een getal zijn",
        ),
    ],
)
def test_a_threshold_or_target_that_is_not_a_number_is_explained(
    tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        _read(tmp_path, body)


def test_by_may_name_a_single_column_without_a_list(tmp_path: Path) -> None:
    template = _read(tmp_path, "sections:\n  - {name: a, metric: clients, by: law}")
    assert template.sections[0].by == ("law",)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("{name: a, metric: clients, by: [overlap]}", "overlap in 'by' hoort alleen bij cijfer allocations"),
        ("{name: a, metric: allocations, by: [overlap], compare: clients}", "niet bij 'clients'"),
        ("{name: a, metric: transitions_18, by: [law]}", "transitions_18 .* kent geen 'by'"),
        ("{name: a, metric: clients, by: [segment]}", "segment in 'by' vraagt om een segmentenbestand"),
        ("{name: a, metric: clients, by: [law, law]}", "meer dan eens in 'by'"),
        ("{name: a, metric: clients, by: {law: WMO}}", "'by' moet een lijst van kolommen zijn"),
    ],
)
def test_by_columns_the_metric_cannot_take_are_refused_before_the_report_runs(
    tmp_path: Path, section: str, message: str
) -> None:
    with pytest.raises(InputError, match=rf"sectie 1 \('a'\): .*{message}"):
        _read(tmp_path, f"sections:\n  - {section}")


def test_overlap_is_accepted_for_allocations(tmp_path: Path) -> None:
    template = _read(tmp_path, "sections:\n  - {name: a, metric: allocations, by: [overlap]}")
    assert template.sections[0].by == ("overlap",)


def test_a_law_filter_in_lower_case_is_read_as_the_law_code(tmp_path: Path) -> None:
    template = _read(tmp_path, f"{SECTION}summary:\n  - {{name: k, metric: clients, filter: {{law: wmo}}}}")
    assert template.summary[0].filter == (("law", "WMO"),)


@pytest.mark.parametrize(
    ("kpi", "message"),
    [
        (
            "{name: k, metric: clients, filter: {law: Jeugd}}",
            "filter law 'Jeugd' komt in de gegevens niet voor; kies uit WMO, JW",
        ),
        (
            "{name: k, metric: clients, filter: {target_group: kinderen}}",
            "kies uit jeugd, volwassenen, ouderen",
        ),
        ("{name: k, metric: clients, filter: {age_band: 0-18}}", "kies uit 0-17, 18-64, 65\\+"),
        ("{name: k, metric: clients, filter: {kleur: rood}}", "onbekende kolom 'kleur' in 'filter'"),
        (
            "{name: k, metric: clients, filter: {segment: dementie}}",
            "segment in 'filter' vraagt om een segmentenbestand",
        ),
        ("{name: k, metric: transitions_18, filter: {law: JW}}", "kent geen 'filter'"),
        ("{name: k, metric: clients, filter: [law]}", "'filter' moet kolommen met een waarde geven"),
    ],
)
def test_a_kpi_filter_that_can_never_match_is_refused(tmp_path: Path, kpi: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"KPI 1 \('k'\): .*{message}"):
        _read(tmp_path, f"{SECTION}kpis:\n  - {kpi}")


@pytest.mark.parametrize("name", ["../buiten", "a/b", "rapport.v2", "mijn rapport", "..", "'c:\\\\temp'"])
def test_a_name_that_is_not_a_safe_file_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="mag alleen letters"):
        _read(tmp_path, f"name: {name}\n{SECTION}")


def test_a_file_name_that_is_not_a_safe_stem_needs_a_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"de bestandsnaam 'mijn rapport' \(geef 'name' op\)"):
        _read(tmp_path, SECTION, file_name="mijn rapport.yaml")
    assert (
        _read(tmp_path, f"name: mijn_rapport-2\n{SECTION}", file_name="mijn rapport.yaml").name
        == "mijn_rapport-2"
    )


@pytest.mark.parametrize("name", BUILTIN)
def test_the_builtin_templates_invent_no_targets(name: str) -> None:
    template = read_template(builtin_path(name))
    assert all(k.target is None for k in (*template.summary, *template.kpis))


def test_targets_come_from_the_municipalitys_file_and_change_the_template_hash(tmp_path: Path) -> None:
    template = read_template(builtin_path("kwartaal"))
    path = tmp_path / "streefwaarden.yaml"
    path.write_text("doorstroom_jeugd: 0.25\ndoorstroom_wmo: {target: 0.2, higher_is_better: false}\n")
    with_targets = apply_targets(template, path)
    kpis = {k.name: k for k in with_targets.kpis}
    assert (kpis["doorstroom_jeugd"].target, kpis["doorstroom_jeugd"].higher_is_better) == (0.25, True)
    assert (kpis["doorstroom_wmo"].target, kpis["doorstroom_wmo"].higher_is_better) == (0.2, False)
    assert kpis["clienten_wmo"].target is None
    assert with_targets.source_hash != template.source_hash


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("klachten: 0.9\n", "geen KPI of kerncijfer 'klachten' met cijfers"),
        ("bestaat_niet: 1\n", "kies uit: clienten_wmo"),
        ("doorstroom_jeugd: veel\n", "'target' moet een getal zijn"),
        ("doorstroom_jeugd: {doel: 1}\n", "geef 'target'"),
        ("- 0.25\n", "geef per KPI een streefwaarde"),
    ],
)
def test_a_wrong_targets_file_is_explained_in_dutch(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "streefwaarden.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=re.escape(message)):
        apply_targets(read_template(builtin_path("kwartaal")), path)
