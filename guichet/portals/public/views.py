from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"page_title": _("Vos titres sécurisés en ligne")})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibility.html", {"page_title": _("Déclaration d'accessibilité")})


def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "public/legal.html", {"page_title": _("Mentions légales")})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html", {"page_title": _("Données personnelles")})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: the database answers and the task queue table can be read."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any driver error means not ready
        checks["database"] = "error"
    try:
        DBTaskResult.objects.filter(status="READY").exists()
        checks["tasks"] = "ok"
    except Exception:
        checks["tasks"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
