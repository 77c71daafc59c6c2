"""The baseline: the smallest useful Django view, one indexed query, served by the same server and settings.

Its throughput is the ceiling the other endpoints are compared with in the same run."""

from django.http import HttpRequest, HttpResponse

from guichet.territory.models import Commune


def baseline(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "35238")[:5]
    name = Commune.objects.filter(code=code).values_list("name", flat=True).first() or ""
    return HttpResponse(name, content_type="text/plain; charset=utf-8")
