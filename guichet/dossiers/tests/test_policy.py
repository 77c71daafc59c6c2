"""The policy's two faces must agree: what `abilities` lets someone view is exactly what `visible_to` lists."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from guichet.dossiers.models import AccessRole, Dossier
from guichet.dossiers.policy import (
    ALL_CAPACITIES,
    CITIZEN_CAPACITIES,
    INSTRUCTION_CAPACITIES,
    TRUSTED_PARTY_CAPACITIES,
    DossierPolicy,
    dossier_access,
)
from guichet.dossiers.services import dossier_access_grant, dossier_access_revoke
from guichet.territory.models import Department

pytestmark = pytest.mark.django_db

STATUSES = ["draft", "submitted", "in_instruction", "awaiting_complement", "accepted", "refused", "withdrawn"]


@pytest.fixture
def world(personas, other_citizen, make_dossier):
    """Dossiers in every status for two applicants, some with grants, one in a département nobody serves."""
    citizen = personas["citizen"]
    instructor = personas["instructor"]
    dossiers = [make_dossier(citizen, status, instructor=instructor) for status in STATUSES]
    dossiers += [make_dossier(other_citizen, status, instructor=instructor) for status in ("draft", "submitted")]
    granted = dossiers[0]
    dossier_access_grant(dossier=granted, user=personas["mairie_agent"], role=AccessRole.MAIRIE_AGENT, actor=citizen)
    dossier_access_grant(dossier=granted, user=personas["mediator"], role=AccessRole.MEDIATOR, actor=citizen)
    revoked = dossier_access_grant(
        dossier=dossiers[1], user=other_citizen, role=AccessRole.REPRESENTATIVE, actor=citizen
    )
    dossier_access_revoke(access=revoked, actor=citizen)
    dossier_access_grant(dossier=dossiers[2], user=other_citizen, role=AccessRole.REPRESENTATIVE, actor=citizen)
    # A garage filing the citizen's draft and following another dossier under a client mandate.
    for dossier in (dossiers[0], dossiers[3]):
        dossier_access_grant(
            dossier=dossier, user=personas["car_professional"], role=AccessRole.TRUSTED_PARTY, actor=citizen
        )
    elsewhere = make_dossier(other_citizen, "submitted", instructor=instructor)
    finistere = Department.objects.create(code="29", name="Finistère", region=elsewhere.department.region)
    Dossier.objects.filter(pk=elsewhere.pk).update(department=finistere)
    users = [*personas.values(), other_citizen, AnonymousUser()]
    return users, list(Dossier.objects.all())


@pytest.mark.parametrize(
    "capacities", [ALL_CAPACITIES, CITIZEN_CAPACITIES, INSTRUCTION_CAPACITIES, TRUSTED_PARTY_CAPACITIES]
)
def test_abilities_and_visible_to_agree_for_every_persona_and_dossier(world, capacities):
    users, dossiers = world
    for user, dossier in itertools.product(users, dossiers):
        listed = DossierPolicy.visible_to(user, capacities=capacities).filter(pk=dossier.pk).exists()
        can_view = DossierPolicy.abilities(user, dossier, capacities=capacities)["view"]
        assert listed == can_view, (getattr(user, "email", "anonymous"), dossier.status, dossier.department_id)


def test_who_sees_what(world, personas, other_citizen):
    _, dossiers = world
    visible = {key: set(DossierPolicy.visible_to(user).values_list("pk", flat=True)) for key, user in personas.items()}
    by_status = {d.status: d for d in dossiers if d.applicant == personas["citizen"]}
    assert visible["citizen"] == {d.pk for d in dossiers if d.applicant == personas["citizen"]}
    # The instructor sees submitted dossiers of the départements their centre serves, never drafts.
    instructor_seen = {d.pk for d in dossiers if d.submitted_at and d.department_id == "35"}
    assert visible["instructor"] == instructor_seen
    assert by_status["draft"].pk not in visible["instructor"]
    # Mairie agents and mediators see only what they were granted.
    assert visible["mairie_agent"] == {by_status["draft"].pk}
    assert visible["mediator"] == {by_status["draft"].pk}
    # A trusted party sees only the dossiers its client mandates opened.
    assert visible["car_professional"] == {by_status["draft"].pk, by_status["awaiting_complement"].pk}
    for key in ("driving_school", "prefecture_admin", "platform_admin"):
        assert visible[key] == set(), key
    # A revoked grant gives nothing; an active one does.
    assert set(DossierPolicy.visible_to(other_citizen).values_list("pk", flat=True)) >= {by_status["in_instruction"].pk}
    assert by_status["submitted"].pk not in set(DossierPolicy.visible_to(other_citizen).values_list("pk", flat=True))


def test_citizen_portal_capacity_excludes_agent_grants(world, personas):
    agent = personas["mairie_agent"]
    assert DossierPolicy.visible_to(agent, capacities=CITIZEN_CAPACITIES).count() == 0
    assert DossierPolicy.visible_to(agent).count() == 1


def test_citizen_portal_capacity_excludes_trusted_party_grants(world, personas):
    garage = personas["car_professional"]
    assert DossierPolicy.visible_to(garage, capacities=CITIZEN_CAPACITIES).count() == 0
    assert DossierPolicy.visible_to(garage, capacities=TRUSTED_PARTY_CAPACITIES).count() == 2
    draft = DossierPolicy.visible_to(garage).get(status="draft")
    with pytest.raises(Http404):
        dossier_access(user=garage, reference_or_id=draft.reference, capacities=CITIZEN_CAPACITIES)
    assert dossier_access(user=garage, reference_or_id=draft.reference, capacities=TRUSTED_PARTY_CAPACITIES) == draft


def test_a_trusted_party_files_for_its_client_but_neither_withdraws_nor_reads_the_access_log(world, personas):
    garage = personas["car_professional"]
    by_status = {d.status: d for d in DossierPolicy.visible_to(garage)}
    draft = DossierPolicy.abilities(garage, by_status["draft"], capacities=TRUSTED_PARTY_CAPACITIES)
    assert draft["submit"] and draft["edit"] and draft["upload"]
    assert not draft["withdraw"] and not draft["view_access_log"]
    waiting = DossierPolicy.abilities(garage, by_status["awaiting_complement"], capacities=TRUSTED_PARTY_CAPACITIES)
    assert waiting["provide_complement"] and waiting["upload"] and not waiting["withdraw"]


def test_abilities_follow_the_transition_table(world, personas):
    _, dossiers = world
    citizen, instructor = personas["citizen"], personas["instructor"]
    by_status = {d.status: d for d in dossiers if d.applicant == citizen}
    draft = DossierPolicy.abilities(citizen, by_status["draft"])
    assert draft["submit"] and draft["withdraw"] and draft["upload"] and not draft["accept"]
    in_instruction = DossierPolicy.abilities(instructor, by_status["in_instruction"])
    assert in_instruction["accept"] and in_instruction["refuse"] and in_instruction["request_complement"]
    assert not in_instruction["withdraw"] and not in_instruction["upload"]
    assert not DossierPolicy.abilities(citizen, by_status["in_instruction"])["upload"]
    assert DossierPolicy.abilities(citizen, by_status["awaiting_complement"])["upload"]
    # System-only steps are never offered to people.
    assert not DossierPolicy.abilities(instructor, by_status["accepted"])["start_production"]


def test_dossier_access_answers_404_for_missing_forbidden_and_forged(world, personas, other_citizen):
    _, dossiers = world
    mine = next(d for d in dossiers if d.applicant == personas["citizen"] and d.status == "draft")
    assert dossier_access(user=personas["citizen"], reference_or_id=mine.reference) == mine
    assert dossier_access(user=personas["citizen"], reference_or_id=mine.display_reference) == mine
    with pytest.raises(Http404):
        dossier_access(user=other_citizen, reference_or_id=mine.reference)
    with pytest.raises(Http404):
        forged_check = "Z" if mine.reference[-1] != "Z" else "Y"
        dossier_access(user=personas["citizen"], reference_or_id=mine.reference[:-1] + forged_check)
    with pytest.raises(Http404):
        dossier_access(user=personas["citizen"], reference_or_id="'; DROP TABLE --")
    with pytest.raises(Http404):
        dossier_access(user=personas["citizen"], reference_or_id=mine.pk + 10_000)
    with pytest.raises(Http404):
        dossier_access(user=AnonymousUser(), reference_or_id=mine.reference)
    with pytest.raises(Http404):
        dossier_access(user=personas["citizen"], reference_or_id=mine.reference, action="accept")


@pytest.mark.parametrize(
    "capacities", [ALL_CAPACITIES, CITIZEN_CAPACITIES, INSTRUCTION_CAPACITIES, TRUSTED_PARTY_CAPACITIES]
)
def test_dossier_access_reads_the_same_roles_as_dossier_roles(world, capacities):
    """`dossier_access` reads the roles' facts in its own query: the outcome is the one of the separate queries."""
    users, dossiers = world
    for user, dossier in itertools.product(users, dossiers):
        fresh = Dossier.objects.get(pk=dossier.pk)
        expected = DossierPolicy.abilities(user, fresh, capacities=capacities)
        try:
            loaded = dossier_access(user=user, reference_or_id=dossier.reference, capacities=capacities)
        except Http404:
            assert not expected["view"], (user, dossier.status)
            continue
        assert DossierPolicy.dossier_roles(user, loaded, capacities=capacities) == DossierPolicy.dossier_roles(
            user, fresh, capacities=capacities
        )
        assert DossierPolicy.abilities(user, loaded, capacities=capacities) == expected


def test_roles_read_with_the_dossier_are_reused_only_for_the_same_user_capacities_and_facts(
    world, personas, django_assert_num_queries
):
    instructor = personas["instructor"]
    _, dossiers = world
    submitted = next(d for d in dossiers if d.status == "submitted" and d.applicant == personas["citizen"])
    loaded = dossier_access(user=instructor, reference_or_id=submitted.reference, capacities=INSTRUCTION_CAPACITIES)
    with django_assert_num_queries(0):
        assert DossierPolicy.abilities(instructor, loaded, capacities=INSTRUCTION_CAPACITIES)["view"]
        assert DossierPolicy.dossier_roles(instructor, loaded, capacities=INSTRUCTION_CAPACITIES) == {"instructor"}
    with django_assert_num_queries(2):  # other capacities: the grants and the instructor's centres are read
        DossierPolicy.dossier_roles(instructor, loaded)
    with django_assert_num_queries(1):  # another person: their grants (no instructor role to look for)
        assert not DossierPolicy.abilities(personas["citizen"], loaded, capacities=CITIZEN_CAPACITIES)["assign"]
    loaded.submitted_at = None  # a fact the roles depend on changed: read again
    with django_assert_num_queries(1):
        assert DossierPolicy.dossier_roles(instructor, loaded, capacities=INSTRUCTION_CAPACITIES) == set()
