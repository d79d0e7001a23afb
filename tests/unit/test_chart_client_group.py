"""One rule picks the study average the outcome-split chart is set against.

The app and ``python -m toolkit report`` must agree: with a mental-health and a
learning-disability service on the same charts, neither group's average fits
both, so both compare with all services.
"""

from tests.unit.test_ui_self_benchmark import MemoryStore
from toolkit.charts import jobs as chart_jobs
from toolkit.domain.record import parse_service
from toolkit.domain.results import service_result
from toolkit.present import report
from toolkit.ui.self_benchmark import SelfBenchmarkApp

MENTAL_HEALTH = {
    "name": "Fictional mental health IPS",
    "total_cost": "150000",
    "people_supported": "120",
    "new_jobs": "30",
    "jobs_retained": "18",
    "self_employed": "2",
    "client_group": "mental_health",
}
LEARNING_DISABILITY = {
    "name": "Fictional LD supported employment",
    "total_cost": "220000",
    "people_supported": "80",
    "new_jobs": "10",
    "jobs_retained": "12",
    "self_employed": "0",
    "client_group": "learning_disability",
}


def _app_choice(monkeypatch, services):
    asked = []

    def fake_charts(records, band_sets, client_group="all"):
        asked.append(client_group)
        return []

    monkeypatch.setattr(chart_jobs, "self_benchmark_charts", fake_charts)
    app = SelfBenchmarkApp(store=MemoryStore())
    for number, service in enumerate(services):
        if number:
            app.add_service()
        app.set_values(service)
    app._charts_later.flush()
    return asked[-1]


def _report_choice(monkeypatch, services):
    asked = []

    class FakeSpecs:
        @staticmethod
        def render_for_records(records, band_sets, client_group="all"):
            asked.append(client_group)
            return []

    monkeypatch.setattr(report.importlib, "import_module", lambda name: FakeSpecs)
    records = [parse_service(service) for service in services]
    report.render_report([service_result(record) for record in records], charts=None)
    return asked[-1]


def test_mixed_groups_compare_with_all_services_in_the_app_and_the_report(monkeypatch):
    services = [MENTAL_HEALTH, LEARNING_DISABILITY]
    app = _app_choice(monkeypatch, services)
    board = _report_choice(monkeypatch, services)
    assert app == board == "all"


def test_one_group_compares_with_that_group_in_the_app_and_the_report(monkeypatch):
    services = [LEARNING_DISABILITY, {**LEARNING_DISABILITY, "name": "Fictional LD two"}]
    assert _app_choice(monkeypatch, services) == _report_choice(monkeypatch, services)
    assert _app_choice(monkeypatch, services) == "learning_disability"
