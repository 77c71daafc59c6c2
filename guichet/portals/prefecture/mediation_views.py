"""Anonymous activity of the places where people are helped (assisted sessions), for the préfecture admin."""

from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from guichet.accounts.roles import Role
from guichet.accounts.selectors import role_assignments_active_for
from guichet.dossiers import registry
from guichet.mediation.models import StepKind
from guichet.mediation.selectors import assisted_activity
from guichet.portals.common.access import portal_for

DEFAULT_DAYS = 30
MAX_DAYS = 366
BAR_WIDTH, BAR_HEIGHT = 340, 22


class PeriodForm(DsfrBaseForm):
    start = forms.DateField(label=gettext_lazy("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("La fin de la période doit suivre son début."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("Choisissez une période d'un an au plus."))
        return data


def _bars(activities: list, key: str) -> list[dict]:
    top = max((getattr(a, key) for a in activities), default=0) or 1
    return [
        {
            "label": a.place_name,
            "value": getattr(a, key),
            "width": round(BAR_WIDTH * getattr(a, key) / top),
            "y": index * (BAR_HEIGHT + 8),
        }
        for index, a in enumerate(activities)
    ]


@portal_for(Role.PREFECTURE_ADMIN)
def mediation_statistics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"start": today - timedelta(days=DEFAULT_DAYS - 1), "end": today}
    form = PeriodForm(request.GET if request.GET else None, initial=initial)
    status = 200
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = initial["start"], initial["end"]
        status = 400 if form.is_bound else 200
        if not form.is_bound:
            form = PeriodForm(initial=initial)
    assignments = role_assignments_active_for(user=request.user).filter(role=Role.PREFECTURE_ADMIN)  # type: ignore[arg-type]
    departments = []
    for assignment in assignments:
        if assignment.department is None:
            continue
        activities = assisted_activity(department=assignment.department, start=start, end=end)
        rows = [
            {
                "activity": a,
                "procedures": [
                    {"label": registry.get_or_generic(code).label, "count": count}
                    for code, count in sorted(a.procedures.items())
                ],
                "identity_checks": a.steps.get(StepKind.IDENTITY_VERIFIED, 0),
                "accounts_created": a.steps.get(StepKind.ACCOUNT_CREATED, 0),
                "receipts": a.steps.get(StepKind.RECEIPT_PRINTED, 0),
                "refusals": a.steps.get(StepKind.REFUSED, 0),
            }
            for a in activities
        ]
        bars = _bars(activities, "sessions")
        departments.append(
            {
                "department": assignment.department,
                "rows": rows,
                "bars": bars,
                "chart_height": max(len(bars), 1) * (BAR_HEIGHT + 8),
                "totals": {
                    "sessions": sum(a.sessions for a in activities),
                    "procedures": sum(a.procedures_total for a in activities),
                },
            }
        )
    context = {
        "page_title": _("Activité de la médiation numérique"),
        "breadcrumb": [{"url": reverse("prefecture:home"), "title": _("Espace préfecture")}],
        "form": form,
        "start": start,
        "end": end,
        "departments": departments,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
    return render(request, "prefecture/mediation_statistics.html", context, status=status)
