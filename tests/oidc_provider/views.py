import json
import time

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import TokenView

from tests.oidc_provider import behaviour, keys
from tests.oidc_provider.identities import IDENTITIES


@csrf_exempt
def login_view(request: HttpRequest) -> HttpResponse:
    """Stands for FranceConnect's choice of identity provider: the test posts which identity signs in."""
    next_url = request.POST.get("next") or request.GET.get("next", "/")
    if request.method == "POST":
        identity = request.POST.get("identity", "")
        if identity not in IDENTITIES:
            return HttpResponseBadRequest("unknown identity")
        user, _ = get_user_model().objects.get_or_create(username=identity)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(next_url)
    options = "".join(f'<option value="{name}">{name}</option>' for name in IDENTITIES)
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="next" value="{escape(next_url)}">'
        f'<select name="identity">{options}</select><button>Sign in</button></form>'
    )


def jwks_view(request: HttpRequest) -> JsonResponse:
    published = []
    for name, algorithm in (("main_rsa", "RS256"), ("main_ec", "ES256")):
        key = keys.key(name)
        published.append({**json.loads(key.export_public()), "kid": key.thumbprint(), "alg": algorithm, "use": "sig"})
    return JsonResponse({"keys": published})


@csrf_exempt
def control_view(request: HttpRequest) -> JsonResponse:
    if request.method == "DELETE":
        behaviour.reset()
    elif request.method == "POST":
        try:
            behaviour.update(json.loads(request.body))
        except (ValueError, KeyError) as error:
            return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(behaviour.current)


@method_decorator(csrf_exempt, name="dispatch")
class SlowableTokenView(TokenView):
    def post(self, request, *args, **kwargs):
        delay = float(behaviour.current["token_delay"])
        if delay:
            time.sleep(delay)
        return super().post(request, *args, **kwargs)
