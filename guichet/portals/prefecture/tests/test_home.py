from django.urls import reverse

from guichet.territory.models import Place, PlaceKind


def test_prefecture_home_counts_the_places_of_its_own_department_only(verified_client, personas):
    admin = personas["prefecture_admin"]
    department = admin.role_assignments.get().department
    Place.objects.create(kind=PlaceKind.POINT_NUMERIQUE, name="PN test", department=department)
    page = verified_client(admin).get(reverse("prefecture:home")).content.decode()
    assert "Lieux enregistrés — Ille-et-Vilaine (35)" in page
    assert "<td>Point numérique</td><td>2</td>" in page  # the persona's own + this one
