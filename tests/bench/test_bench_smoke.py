"""Smoke test of the benchmark harness: the small dataset loads into the test database (COPY on PostgreSQL,
batched INSERTs on SQLite) and every load scenario's requests succeed once through Django's test client.
No timing is asserted: benchmarks are not tests (ARCHITECTURE.md)."""

import random

import pytest

from bench import scenarios
from bench.dataset import generate
from bench.django_http import DjangoHttp
from bench.scales import SCALES
from guichet.appointments.models import Appointment, AppointmentSlot, Slot
from guichet.audit.verification import audit_chain_problems
from guichet.dossiers.models import Dossier
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.territory.models import PostalCode
from guichet.testing.demo_territory import COMMUNES, demo_territory_create


@pytest.fixture
def small_dataset(db, settings):
    settings.ROOT_URLCONF = "bench.urls"  # the baseline view lives in the benchmark's URLs only
    demo_territory_create()
    PostalCode.objects.bulk_create(
        [PostalCode(code=f"{code[:2]}{index:03d}", commune_code=code) for index, (code, *_rest) in enumerate(COMMUNES)]
    )
    return generate(scale=SCALES["small"], seed=7, out=lambda line: None, processes=1)


def _flow(flow_class, dataset, **extra):
    flow = flow_class(http=DjangoHttp(), samples=dataset["samples"], password=dataset["password"], rng=random.Random(5))
    for name, value in extra.items():
        setattr(flow, name, value)
    return flow


def test_small_dataset_loads_and_every_scenario_request_succeeds_once(small_dataset):
    """One test for both, because loading the dataset is the slow part."""
    scale = SCALES["small"]
    assert small_dataset["counts"]["accounts"] == scale.accounts
    assert Dossier.objects.count() == scale.dossiers
    assert Dossier.objects.filter(status="delivered").exists()
    assert Dossier.objects.filter(status="in_instruction", submitted_at__isnull=False).exists()
    consumed = PreDemande.objects.filter(status=CoordinationStatus.CONSUMED)
    assert consumed.exists() and not consumed.filter(lodged_at_place__isnull=True).exists()
    assert Slot.objects.exists() and Appointment.objects.count() == AppointmentSlot.objects.count()
    assert not list(audit_chain_problems())  # bulk rows bypass the journal: its chain is untouched

    baseline = _flow(scenarios.Baseline, small_dataset)
    baseline.baseline()

    citizen = _flow(scenarios.Citizen, small_dataset)
    citizen.start()
    for step in ("home", "dashboard", "dossier_page", "tracking", "slot_search", "login_again"):
        getattr(citizen, step)()
    assert citizen.booking()
    assert citizen.predemande()

    # The demo territory's mairies are all in Ille-et-Vilaine: an instructor of the centre serving it.
    samples = small_dataset["samples"]
    samples["instructors"] = [i for i in samples["instructors"] if "35" in i["serves"]]
    agent = _flow(scenarios.Agent, small_dataset)
    assert agent.start(wait=lambda seconds: None)
    agent.queue()
    agent.queue()
    agent.dossier_view()
    assert agent.decision(), agent.http.calls[-3:]

    partner = _flow(
        scenarios.Partner,
        small_dataset,
        editor_token=small_dataset["editor_token"],
        hub_token=small_dataset["hub_token"],
    )
    partner.coordination_status()
    partner.available_time_slots()

    names = {name for flow in (baseline, citizen, agent, partner) for name, _status in flow.http.calls}
    assert "GET /instruction/ (queue page 2-10)" in names  # the second page came from the first page's cursor
