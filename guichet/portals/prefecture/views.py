from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.accounts.selectors import role_assignments_active_for
from guichet.portals.common.access import portal_for
from guichet.territory.models import PlaceKind
from guichet.territory.selectors import places_of_department

KIND_LABELS = dict(PlaceKind.choices)


@portal_for(Role.PREFECTURE_ADMIN)
def home(request: HttpRequest) -> HttpResponse:
    departments = []
    assignments = role_assignments_active_for(user=request.user).filter(role=Role.PREFECTURE_ADMIN)  # type: ignore[arg-type]
    for assignment in assignments:
        if assignment.department is None:  # the database forbids it; keeps the type checker honest
            continue
        counts = (
            places_of_department(department=assignment.department)
            .values("kind")
            .annotate(total=Count("id"))
            .order_by("kind")
        )
        departments.append(
            {
                "department": assignment.department,
                "places": [
                    {"label": KIND_LABELS.get(row["kind"], row["kind"]), "total": row["total"]} for row in counts
                ],
            }
        )
    return render(request, "prefecture/home.html", {"page_title": _("Espace préfecture"), "departments": departments})
