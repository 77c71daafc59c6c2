"""Starting, saving, validating and expiring pré-demandes."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.accounts.models import User
from guichet.audit.models import AuditEntry
from guichet.core.exceptions import InvalidInput, TransitionNotAllowed
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import DossierEvent, EventKind
from guichet.dossiers.workflow import Status

from .. import predemande as services
from ..models import CoordinationStatus, PreDemande, PreDemandeTitle
from ..predemande_tasks import expire_predemandes
from .factories import fill_steps, make_predemande, step_values

pytestmark = pytest.mark.django_db
GUARDIAN = {"link": "mother", "last_name": "Martin", "given_names": "Camille"}


def test_start_creates_a_declared_predemande_with_one_draft_dossier_per_title(citizen):
    predemande = services.predemande_start(
        applicant=citizen, actor=citizen, titles=["passeport", "cni", "cni"], motive="first"
    )
    assert predemande.status == CoordinationStatus.DECLARED
    links = PreDemandeTitle.objects.filter(predemande=predemande).select_related("dossier").order_by("title")
    assert [link.title for link in links] == ["cni", "passeport"]
    assert all(link.dossier.status == Status.DRAFT and link.dossier.applicant == citizen for link in links)
    assert [link.dossier.procedure for link in links] == ["cni", "passeport"]
    assert AuditEntry.objects.filter(object_type="predemande", data__change="predemande_started").count() == 2


@pytest.mark.parametrize(
    "representative", [None, {}, {"link": "mother", "last_name": "Martin"}, {**GUARDIAN, "link": "uncle"}]
)
def test_a_minors_request_without_a_legal_representative_is_refused(citizen, representative):
    with pytest.raises(services.MinorWithoutRepresentative) as refused:
        services.predemande_start(
            applicant=citizen,
            actor=citizen,
            titles=["cni"],
            motive="first",
            is_for_minor=True,
            representative=representative,
        )
    assert "représentant légal" in refused.value.message
    assert not PreDemande.objects.exists()


def test_a_minors_request_records_the_representative(citizen):
    predemande = services.predemande_start(
        applicant=citizen, actor=citizen, titles=["cni"], motive="first", is_for_minor=True, representative=GUARDIAN
    )
    assert predemande.is_for_minor
    assert predemande.data["representative"] == {**GUARDIAN, "parents_separated": False}


@pytest.mark.parametrize(("titles", "motive"), [([], "first"), (["permis"], "first"), (["cni"], "holiday")])
def test_unknown_titles_or_motives_are_refused(citizen, titles, motive):
    with pytest.raises(InvalidInput):
        services.predemande_start(applicant=citizen, actor=citizen, titles=titles, motive=motive)


def test_each_step_is_saved_server_side_and_survives_a_new_session(citizen, communes):
    predemande = services.predemande_start(applicant=citizen, actor=citizen, titles=["cni"], motive="first")
    values = step_values(contact={"mobile_phone": "06 12 34 56 78"})
    fill_steps(predemande, citizen, values)
    reloaded = PreDemande.objects.get(pk=predemande.pk)  # what another device would read
    assert reloaded.data["civil_status"]["birth_commune_code"] == "35051"
    assert reloaded.data["civil_status"]["birth_commune_name"] == "Cesson-Sévigné"
    assert reloaded.data["address"]["commune_name"] == "Rennes"
    assert reloaded.mobile_phone == "+33612345678"
    assert reloaded.data["contact"] == {"has_mobile_phone": True}  # the number itself lives in its own field
    assert services.predemande_missing_steps(reloaded) == []


def test_validation_refuses_an_incomplete_predemande(citizen, communes):
    predemande = services.predemande_start(applicant=citizen, actor=citizen, titles=["cni"], motive="first")
    with pytest.raises(services.PreDemandeIncomplete) as refused:
        services.predemande_validate(predemande=predemande, actor=citizen)
    assert refused.value.details["missing"] == list(services.REQUIRED_STEPS)
    predemande.refresh_from_db()
    assert predemande.status == CoordinationStatus.DECLARED


def test_validation_sets_the_dates_and_writes_journal_and_timeline(citizen, communes):
    predemande = make_predemande(citizen, titles=("cni", "passeport"))
    today = timezone.localdate()
    assert predemande.status == CoordinationStatus.VALIDATED
    assert predemande.validated_at is not None
    days = regulated_value(services.VALIDITY_DAYS, on=today)
    assert predemande.valid_until == today + timedelta(days=days)
    notes = DossierEvent.objects.filter(kind=EventKind.NOTE, data__note="predemande_validated")
    assert notes.count() == 2
    assert AuditEntry.objects.filter(data__change="predemande_validated").count() == 2


def test_a_validated_predemande_can_no_longer_be_edited(citizen, communes):
    predemande = make_predemande(citizen)
    with pytest.raises(TransitionNotAllowed):
        services.predemande_save_step(predemande=predemande, step="physical", values={"height_cm": 180}, actor=citizen)
    with pytest.raises(TransitionNotAllowed):
        services.predemande_validate(predemande=predemande, actor=citizen)


def test_expiry_moves_overdue_predemandes_to_expired_once(citizen, communes):
    validated = make_predemande(citizen)
    declared = make_predemande(citizen, validate=False)
    still_valid = make_predemande(citizen)
    PreDemande.objects.filter(pk__in=[validated.pk, declared.pk]).update(valid_until=date(2020, 1, 1))
    assert services.predemande_expire_overdue() == 2
    assert services.predemande_expire_overdue() == 0  # idempotent
    statuses = dict(PreDemande.objects.values_list("pk", "status"))
    assert statuses[validated.pk] == statuses[declared.pk] == CoordinationStatus.EXPIRED
    assert statuses[still_valid.pk] == CoordinationStatus.VALIDATED
    expired_dossier = validated.titles.get().dossier
    expired_dossier.refresh_from_db()
    assert expired_dossier.status == Status.EXPIRED
    assert AuditEntry.objects.filter(data__change="predemande_expired").count() == 2


def test_expiry_runs_as_a_command_and_as_a_task(citizen, communes):
    first = make_predemande(citizen)
    second = make_predemande(citizen)
    PreDemande.objects.filter(pk=first.pk).update(valid_until=date(2020, 1, 1))
    call_command("expire_predemandes", stdout=io.StringIO())
    PreDemande.objects.filter(pk=second.pk).update(valid_until=date(2020, 1, 1))
    expire_predemandes.enqueue()
    assert set(PreDemande.objects.values_list("status", flat=True)) == {CoordinationStatus.EXPIRED}


def test_only_the_applicant_or_a_representative_reaches_a_predemande(citizen, communes):
    predemande = make_predemande(citizen)
    stranger = User.objects.create_user(email="inconnu@example.fr", password="x-Long-Password-1")
    assert services.predemande_for_citizen(user=citizen, number=predemande.number.lower()) == predemande
    assert services.predemande_for_citizen(user=stranger, number=predemande.number) is None
    assert services.predemande_for_citizen(user=citizen, number="ZZZZZZZZZZ") is None


def test_checklist_of_a_predemande_uses_the_connected_communes_list(citizen, communes):
    not_connected = make_predemande(citizen)  # born in Cesson-Sévigné (not in the demo list)
    connected = make_predemande(citizen, civil_status={"birth_commune_code": "35238"})  # Rennes
    assert "birth_certificate" in {i.key for i in services.predemande_checklist(not_connected)}
    assert "birth_certificate_not_needed" in {i.key for i in services.predemande_checklist(connected)}


def test_fees_use_the_residence_departement(citizen, communes):
    in_guyane = make_predemande(
        citizen, titles=("passeport",), address={"postal_code": "97300", "commune_code": "97302"}
    )
    assert [fee.amount_cents for fee in services.predemande_fees(in_guyane)] == [4300]


def test_validation_rechecks_minor_consistency(citizen, communes):
    predemande = services.predemande_start(
        applicant=citizen, actor=citizen, titles=["cni"], motive="first", is_for_minor=True, representative=GUARDIAN
    )
    values = step_values(civil_status={"birth_date": "2015-03-02"})
    fill_steps(predemande, citizen, values)
    # Someone tampers with the stored representative: validation refuses with the clear message.
    PreDemande.objects.filter(pk=predemande.pk).update(data={**predemande.data, "representative": {}})
    predemande.refresh_from_db()
    with pytest.raises(services.PreDemandeIncomplete) as refused:
        services.predemande_validate(predemande=predemande, actor=citizen)
    assert "représentant légal" in refused.value.message
