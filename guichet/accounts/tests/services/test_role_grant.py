import pytest

from guichet.accounts.errors import RoleScopeMismatch
from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.accounts.selectors import roles_of
from guichet.accounts.services import role_grant, role_revoke
from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.territory.models import Department, PlaceKind, Region
from guichet.testing.personas import ensure_place, ensure_test_territory


@pytest.fixture
def newcomer(db):
    return User.objects.create_user("nouvel.agent@example.fr", "x" * 16)


@pytest.mark.django_db
def test_platform_admin_grants_a_place_bound_role_and_it_is_journaled(personas, newcomer):
    admin = personas["platform_admin"]
    mairie = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    assignment = role_grant(user=newcomer, role=Role.MAIRIE_AGENT, place=mairie, actor=admin)
    assert assignment.granted_by == admin
    assert Role.MAIRIE_AGENT.value in roles_of(user=User.objects.get(pk=newcomer.pk))
    entry = AuditEntry.objects.get(action=AuditAction.ROLE_GRANTED, subject_user_id=newcomer.pk)
    assert entry.actor_id == admin.pk
    assert entry.data["role"] == Role.MAIRIE_AGENT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "place_kind", "with_department"),
    [
        (Role.MAIRIE_AGENT, PlaceKind.DRIVING_SCHOOL, False),  # wrong kind of place
        (Role.INSTRUCTOR, None, False),  # place missing
        (Role.MEDIATOR, PlaceKind.POINT_NUMERIQUE, True),  # place and département both given
        (Role.PREFECTURE_ADMIN, PlaceKind.MAIRIE, False),  # département role given a place
        (Role.PREFECTURE_ADMIN, None, False),  # département missing
        (Role.PLATFORM_ADMIN, None, True),  # platform role scoped
        (Role.CITIZEN, None, False),  # every account is a citizen already
    ],
)
def test_refuses_a_scope_that_does_not_match_the_role(personas, newcomer, role, place_kind, with_department):
    department = ensure_test_territory()
    place = ensure_place(place_kind, department) if place_kind else None
    with pytest.raises(RoleScopeMismatch) as caught:
        role_grant(
            user=newcomer,
            role=role,
            place=place,
            department=department if with_department else None,
            actor=personas["platform_admin"],
        )
    assert caught.value.message
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_prefecture_admin_grants_only_within_its_department(personas, newcomer):
    department = ensure_test_territory()
    mairie = ensure_place(PlaceKind.MAIRIE, department)
    role_grant(user=newcomer, role=Role.MAIRIE_AGENT, place=mairie, actor=personas["prefecture_admin"])
    other_department = Department.objects.create(
        code="29", name="Finistère", region=Region.objects.get(code="53"), chef_lieu_code="29232"
    )
    with pytest.raises(PermissionDenied):
        role_grant(
            user=newcomer, role=Role.PREFECTURE_ADMIN, department=other_department, actor=personas["prefecture_admin"]
        )


@pytest.mark.django_db
def test_agents_and_citizens_cannot_grant_roles(personas, newcomer):
    mairie = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    for key in ("citizen", "mairie_agent", "instructor"):
        with pytest.raises(PermissionDenied):
            role_grant(user=newcomer, role=Role.MAIRIE_AGENT, place=mairie, actor=personas[key])
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_revoke_ends_the_role_once_and_is_journaled(personas, newcomer):
    admin = personas["platform_admin"]
    mairie = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    assignment = role_grant(user=newcomer, role=Role.MAIRIE_AGENT, place=mairie, actor=admin)
    role_revoke(assignment=assignment, actor=admin)
    assert Role.MAIRIE_AGENT.value not in roles_of(user=User.objects.get(pk=newcomer.pk))
    assert AuditEntry.objects.filter(action=AuditAction.ROLE_REVOKED, subject_user_id=newcomer.pk).exists()
    with pytest.raises(InvalidInput):
        role_revoke(assignment=assignment, actor=admin)
