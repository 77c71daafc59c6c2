import pytest
from django.utils import timezone

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.territory.models import Department, Place, PlaceKind
from guichet.testing.personas import ensure_test_territory


@pytest.fixture
def department(db) -> Department:
    return ensure_test_territory()


@pytest.fixture
def other_department(department) -> Department:
    found, _ = Department.objects.get_or_create(
        code="22", defaults={"name": "Côtes-d'Armor", "region": department.region, "chef_lieu_code": "22278"}
    )
    return found


def new_place(department: Department, kind: str, name: str) -> Place:
    return Place.objects.create(kind=kind, name=name, department=department, city="Rennes", postal_code="35000")


@pytest.fixture
def school(department) -> Place:
    return new_place(department, PlaceKind.DRIVING_SCHOOL, "Auto-école des Lices")


@pytest.fixture
def garage(department) -> Place:
    return new_place(department, PlaceKind.CAR_PROFESSIONAL, "Garage du Mail")


@pytest.fixture
def foreign_garage(other_department) -> Place:
    return new_place(other_department, PlaceKind.CAR_PROFESSIONAL, "Garage de Lannion")


@pytest.fixture
def admin(department) -> User:
    user = User.objects.create_user("admin.35@example.fr", "Correct-Horse-Battery-42", email_verified_at=timezone.now())
    RoleAssignment.objects.create(user=user, role=Role.PREFECTURE_ADMIN, department=department)
    return user


@pytest.fixture
def other_admin(other_department) -> User:
    user = User.objects.create_user("admin.22@example.fr", "Correct-Horse-Battery-42", email_verified_at=timezone.now())
    RoleAssignment.objects.create(user=user, role=Role.PREFECTURE_ADMIN, department=other_department)
    return user
