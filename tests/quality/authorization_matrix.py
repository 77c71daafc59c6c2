"""The authorization matrix: for every named URL, what each audience gets.

How to extend it when a page lands: add one `entry(...)` to `EXPECTATIONS` below, or to a feature table
`matrix_<feature>.py` beside this file (its `EXPECTATIONS` dict is merged in), keyed by the URL's full
name (``namespace:name``). Give `sample_kwargs` for URLs with parameters (the `MatrixContext` holds a dossier
of the citizen persona and one of a stranger), `post` outcomes for views that accept POST (with `post_data`),
and `is_page=False` for URLs that answer no HTML page (JSON, files) or only Django admin markup failing axe (say
which rule in a comment). The suite fails when a URL of the URL conf has no entry, or when an entry names a URL
that no longer exists.

A URL may have more than one sample: key the extra ones ``<url name>@<label>``. For instance, a citizen's dossier
page seen by its owner and by everyone else (forbidden objects answer 404)::

    "citizen:dossier": entry(
        get=outcomes(anonymous=LOGIN, default=NOT_FOUND, citizen=OK),
        sample_kwargs=lambda context: {"reference": context.dossier.reference},
    ),
    "citizen:dossier@stranger": entry(
        get=outcomes(anonymous=LOGIN, default=NOT_FOUND),
        sample_kwargs=lambda context: {"reference": context.stranger_dossier.reference},
    ),

Audiences: anonymous, each persona of `guichet.testing.personas` with its second factor verified, and each
non-citizen persona logged in *without* its second factor (``<persona>_unverified``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guichet.accounts.roles import Role
from guichet.testing.personas import PERSONAS

ANONYMOUS = "anonymous"
VERIFIED_AUDIENCES: tuple[str, ...] = tuple(spec.key for spec in PERSONAS)
UNVERIFIED_AUDIENCES: tuple[str, ...] = tuple(
    f"{spec.key}_unverified" for spec in PERSONAS if spec.role != Role.CITIZEN
)
AUDIENCES: tuple[str, ...] = (ANONYMOUS, *VERIFIED_AUDIENCES, *UNVERIFIED_AUDIENCES)


def persona_key(audience: str) -> str | None:
    """The persona an audience logs in as (None for anonymous)."""
    if audience == ANONYMOUS:
        return None
    return audience.removesuffix("_unverified")


def is_two_factor_verified(audience: str) -> bool:
    return not audience.endswith("_unverified")


# ---------------------------------------------------------------------------------------------------------------
# Outcomes


@dataclass(frozen=True)
class Outcome:
    """What a response must look like. `denies` marks outcomes that refuse the request (nothing may change)."""

    label: str
    status: int
    denies: bool
    redirect_to: tuple[str, ...] = ()  # URL names (or settings names resolved by `resolve_url`) accepted as target
    comes_back: bool = False  # the redirect carries ?next=<the requested path>, to return there afterwards
    location_pattern: str = ""  # a regular expression the whole Location header must match (targets with kwargs)

    def mismatch(self, response: HttpResponse, requested_path: str) -> str | None:
        """None when `response` matches; otherwise what was received, readably."""
        got = describe(response)
        if response.status_code != self.status:
            return got
        if self.redirect_to:
            location = urlsplit(response["Location"])
            if location.path not in {resolve_url(name) for name in self.redirect_to}:
                return got
            if self.comes_back and parse_qs(location.query).get("next") != [requested_path]:
                return f"{got} without ?next={requested_path} (Location: {response['Location']})"
        if self.location_pattern and not re.search(self.location_pattern, response["Location"]):
            return f"{got} (Location: {response['Location']}, expected to match {self.location_pattern})"
        return None

    def __str__(self) -> str:
        return self.label


def describe(response: HttpResponse) -> str:
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return f"{response.status_code} → {urlsplit(response['Location']).path}"
    return str(response.status_code)


def redirect_to(name: str, *, denies: bool = False, comes_back: bool = False) -> Outcome:
    return Outcome(f"redirect to {name}", 302, denies, (name,), comes_back)


OK = Outcome("200", 200, denies=False)
LOGIN = Outcome("redirect to login", 302, denies=True, redirect_to=(settings.LOGIN_URL,), comes_back=True)
TWO_FACTOR = Outcome(
    "redirect to 2FA",
    302,
    denies=True,
    redirect_to=("account:two_factor_verify", "account:two_factor_setup"),
    comes_back=True,
)
ADMIN_LOGIN = redirect_to("admin:login", denies=True, comes_back=True)
FORBIDDEN = Outcome("403", 403, denies=True)
NOT_FOUND = Outcome("404", 404, denies=True)
NOT_ALLOWED = Outcome("405 (method not allowed)", 405, denies=True)


def outcomes(*, anonymous: Outcome, default: Outcome, **overrides: Outcome) -> dict[str, Outcome]:
    """One outcome per audience: `anonymous`, then `overrides` by audience key, then `default` for the rest."""
    unknown = set(overrides) - set(AUDIENCES)
    if unknown:
        raise ValueError(f"Unknown audiences {sorted(unknown)}; known: {AUDIENCES}")
    return {ANONYMOUS: anonymous, **{a: overrides.get(a, default) for a in AUDIENCES if a != ANONYMOUS}}


def portal_outcomes(*holders: str) -> dict[str, Outcome]:
    """A portal gated by `portal_for(...)` for roles needing 2FA: holders get in once verified, others get 403."""
    return outcomes(
        anonymous=LOGIN,
        default=FORBIDDEN,
        **{holder: OK for holder in holders},
        **{f"{holder}_unverified": TWO_FACTOR for holder in holders},
    )


def admin_outcomes(*, verified_admin: Outcome = OK) -> dict[str, Outcome]:
    """Django admin: only the platform admin with a verified second factor; everybody else to the admin login."""
    return outcomes(anonymous=ADMIN_LOGIN, default=ADMIN_LOGIN, platform_admin=verified_admin)


# ---------------------------------------------------------------------------------------------------------------
# Entries


@dataclass(frozen=True)
class MatrixContext:
    """Objects that URL parameters may point to, created by the `matrix_context` fixture."""

    personas: Mapping[str, Any]
    dossier: Any  # a draft dossier of the citizen persona, with an identity document (so it may be submitted)
    stranger_dossier: Any  # a draft dossier of a citizen who is not a persona, with a document
    served_dossier: Any = None  # submitted, in a département the instructor persona's centre serves (35)
    unserved_dossier: Any = None  # submitted, in a département that centre does not serve (22)
    documents: Mapping[str, Any] = field(default_factory=dict)  # one per dossier above, same keys
    email_verify_token: str = ""  # a valid sign-up verification link of an account not yet verified
    password_reset: Mapping[str, str] = field(default_factory=dict)  # uidb64 and a valid token of the stranger
    stranger_session_id: int = 0  # a `UserSession` of the stranger


@dataclass(frozen=True)
class Entry:
    get: Mapping[str, Outcome]
    post: Mapping[str, Outcome] | None = None
    sample_kwargs: Callable[[MatrixContext], dict[str, Any]] | None = None
    post_data: Callable[[MatrixContext], dict[str, Any]] | None = None
    is_page: bool = True  # an HTML page the accessibility suite visits where the outcome is 200
    get_may_write: bool = False  # GET is checked to change nothing, unless the view must write (say why)
    note: str = ""
    with_settings: Mapping[str, Any] = field(default_factory=dict)  # applied with override_settings for this entry

    def url(self, key: str, context: MatrixContext | None) -> str:
        kwargs = self.sample_kwargs(context) if self.sample_kwargs and context is not None else None
        return reverse(url_name_of(key), kwargs=kwargs)

    def methods(self) -> Iterator[tuple[str, Mapping[str, Outcome]]]:
        yield "GET", self.get
        if self.post is not None:
            yield "POST", self.post


def entry(
    *,
    get: Mapping[str, Outcome],
    post: Mapping[str, Outcome] | None = None,
    sample_kwargs: Callable[[MatrixContext], dict[str, Any]] | None = None,
    post_data: Callable[[MatrixContext], dict[str, Any]] | None = None,
    is_page: bool = True,
    get_may_write: bool = False,
    note: str = "",
    with_settings: Mapping[str, Any] | None = None,
) -> Entry:
    for table in (get, post) if post is not None else (get,):
        missing = set(AUDIENCES) - set(table)
        if missing:
            raise ValueError(f"Outcomes missing for audiences {sorted(missing)}")
    return Entry(get, post, sample_kwargs, post_data, is_page, get_may_write, note, with_settings or {})


BAD_REQUEST = Outcome("400", 400, denies=True)
EVERYONE_OK = outcomes(anonymous=OK, default=OK)
SIGNED_IN_OK = outcomes(anonymous=LOGIN, default=OK)
EVERYONE_NOT_FOUND = outcomes(anonymous=NOT_FOUND, default=NOT_FOUND)
EVERYONE_NOT_ALLOWED = outcomes(anonymous=NOT_ALLOWED, default=NOT_ALLOWED)
EVERYONE_BAD_REQUEST = outcomes(anonymous=BAD_REQUEST, default=BAD_REQUEST)
UNVERIFIED_TO_TWO_FACTOR: dict[str, Outcome] = {audience: TWO_FACTOR for audience in UNVERIFIED_AUDIENCES}
ACCOUNT_PAGE_OK = outcomes(anonymous=LOGIN, default=OK, **UNVERIFIED_TO_TWO_FACTOR)


def account_page_outcomes(verified: Outcome = OK, **overrides: Outcome) -> dict[str, Outcome]:
    """`account_page`: signed in, and past the second factor when the account has one (every agent persona)."""
    return outcomes(anonymous=LOGIN, default=verified, **{**UNVERIFIED_TO_TWO_FACTOR, **overrides})


def citizen_portal_outcomes(*, citizen: Outcome, agents: Outcome) -> dict[str, Outcome]:
    """`portal_for(Role.CITIZEN)`: every account is a citizen; agents still pass their second factor first."""
    return outcomes(anonymous=LOGIN, default=agents, citizen=citizen, **UNVERIFIED_TO_TWO_FACTOR)


def instruction_outcomes(instructor: Outcome) -> dict[str, Outcome]:
    """`portal_for(Role.INSTRUCTOR)`: other roles 403 before any object is looked up; the instructor after 2FA."""
    return {**portal_outcomes("instructor"), "instructor": instructor}


def to_dossier_page(prefix: str, *, denies: bool = False) -> Outcome:
    return Outcome(
        f"redirect to the dossier page {prefix}…", 302, denies, location_pattern=rf"^{re.escape(prefix)}[^/]+/$"
    )


def document_kwargs(dossier_key: str) -> Callable[[MatrixContext], dict[str, Any]]:
    def kwargs(context: MatrixContext) -> dict[str, Any]:
        dossier = getattr(context, dossier_key)
        return {"reference": dossier.reference, "document_id": context.documents[dossier_key].pk}

    return kwargs


def dossier_kwargs(dossier_key: str, **extra: str) -> Callable[[MatrixContext], dict[str, Any]]:
    return lambda context: {"reference": getattr(context, dossier_key).reference, **extra}


def version_of(dossier_key: str) -> Callable[[MatrixContext], dict[str, Any]]:
    """POST data that would succeed if the audience were allowed: the dossier's current version."""
    return lambda context: {
        "version": type(getattr(context, dossier_key)).objects.get(pk=getattr(context, dossier_key).pk).version
    }


# FranceConnect switched on with explicit endpoints (no discovery over the network) for the `@enabled` samples.
FRANCECONNECT_ON: dict[str, Any] = {
    "FRANCECONNECT_ENABLED": True,
    "FRANCECONNECT_CLIENT_ID": "matrice-client",
    "FRANCECONNECT_CLIENT_SECRET": "matrice-secret",
    "FRANCECONNECT_ENDPOINTS": {
        "authorization_endpoint": "https://fc.invalid/api/v2/authorize",
        "token_endpoint": "https://fc.invalid/api/v2/token",
        "userinfo_endpoint": "https://fc.invalid/api/v2/userinfo",
        "jwks_uri": "https://fc.invalid/api/v2/jwks",
        "end_session_endpoint": "https://fc.invalid/api/v2/session/end",
    },
}
TO_FRANCECONNECT = Outcome(
    "redirect to FranceConnect", 302, denies=False, location_pattern=r"^https://fc\.invalid/api/v2/authorize\?"
)
TO_PUBLIC_HOME = redirect_to("public:home")

EXPECTATIONS: dict[str, Entry] = {
    # Public portal: open to all.
    "public:home": entry(get=EVERYONE_OK),
    "public:healthz": entry(get=EVERYONE_OK, is_page=False, note="JSON for the load balancer"),
    "public:accessibility": entry(get=EVERYONE_OK),
    "public:legal": entry(get=EVERYONE_OK),
    "public:privacy": entry(get=EVERYONE_OK),
    # --- Account: sign-in, sign-up, e-mail links, password reset (reachable by everyone) ---------------------------
    "account:login": entry(get=outcomes(anonymous=OK, default=redirect_to("account:home"))),
    "account:logout": entry(
        get=EVERYONE_NOT_ALLOWED,
        post=outcomes(anonymous=TO_PUBLIC_HOME, default=TO_PUBLIC_HOME),
        note="POST only (Django's LogoutView)",
    ),
    "account:signup": entry(
        get=outcomes(anonymous=OK, default=redirect_to("account:home")),
        post=outcomes(anonymous=OK, default=redirect_to("account:home", denies=True)),
        post_data=lambda context: {"email": "pas-une-adresse"},
        note="signed-in people are sent to Mon compte; an invalid form is shown again with its errors (200)",
    ),
    "account:signup_done": entry(get=EVERYONE_OK),
    "account:email_verification_resend": entry(get=EVERYONE_OK),
    "account:email_verify": entry(
        get=EVERYONE_OK,
        sample_kwargs=lambda context: {"token": context.email_verify_token},
        note="GET only shows the button (mail scanners follow links); the POST uses the link up",
    ),
    "account:email_verify@invalid": entry(
        get=EVERYONE_BAD_REQUEST,
        post=EVERYONE_BAD_REQUEST,
        sample_kwargs=lambda context: {"token": "lien-abime"},
    ),
    "account:password_reset": entry(get=EVERYONE_OK),
    "account:password_reset_done": entry(get=EVERYONE_OK),
    "account:password_reset_confirm": entry(
        get=outcomes(
            anonymous=Outcome("redirect to the set-password form", 302, False, location_pattern=r"/set-password/$"),
            default=Outcome("redirect to the set-password form", 302, False, location_pattern=r"/set-password/$"),
        ),
        sample_kwargs=lambda context: dict(context.password_reset),
        note="Django keeps the token in the session and redirects, so the token leaves the address bar",
    ),
    "account:password_reset_confirm@invalid": entry(
        get=EVERYONE_BAD_REQUEST,
        post=EVERYONE_BAD_REQUEST,
        sample_kwargs=lambda context: {"uidb64": context.password_reset["uidb64"], "token": "abc-def"},
        post_data=lambda context: {
            "new_password1": "Un-Autre-Mot-De-Passe-77",
            "new_password2": "Un-Autre-Mot-De-Passe-77",
        },
    ),
    "account:password_reset_complete": entry(get=EVERYONE_OK),
    # --- Mon compte: signed in, past the second factor when the account has one ------------------------------------
    "account:home": entry(get=ACCOUNT_PAGE_OK),
    "account:profile": entry(
        get=ACCOUNT_PAGE_OK,
        post=account_page_outcomes(OK),
        post_data=lambda context: {"first_name": "", "last_name": "", "mobile_phone": "pas un numéro"},
        note="an invalid form is shown again (200) and saves nothing",
    ),
    "account:email_change": entry(get=ACCOUNT_PAGE_OK),
    "account:password_change": entry(
        get=ACCOUNT_PAGE_OK,
        post=account_page_outcomes(OK),
        post_data=lambda context: {
            "old_password": "pas-le-bon",
            "new_password1": "Un-Autre-Mot-De-Passe-77",
            "new_password2": "Un-Autre-Mot-De-Passe-77",
        },
        note="a wrong current password is refused on the form (200) and saves nothing",
    ),
    "account:session_end": entry(
        get=account_page_outcomes(NOT_ALLOWED),
        post=account_page_outcomes(NOT_FOUND),
        sample_kwargs=lambda context: {"session_id": context.stranger_session_id},
        note="POST only; somebody else's session answers 404 and stays open",
    ),
    "account:sessions_end_others": entry(
        get=account_page_outcomes(NOT_ALLOWED),
        post=account_page_outcomes(redirect_to("account:home")),
        note="POST only; ends the signed-in person's other sessions",
    ),
    "account:two_factor_setup": entry(
        get=outcomes(anonymous=LOGIN, default=OK, **UNVERIFIED_TO_TWO_FACTOR),
        get_may_write=True,
        note=(
            "login_required, and replacing a device first needs the current one; GET creates (once per account) the "
            "unconfirmed device holding the secret the QR code shows — nothing is switched on before a valid code"
        ),
    ),
    "account:two_factor_verify": entry(
        get=outcomes(
            anonymous=LOGIN,
            default=redirect_to("account:home"),
            citizen=redirect_to("account:two_factor_setup"),
            **{audience: OK for audience in UNVERIFIED_AUDIENCES},
        ),
        note="already verified: on to ?next (Mon compte); no device yet: to the set-up",
    ),
    "account:two_factor_recovery_codes": entry(
        get=outcomes(anonymous=LOGIN, default=redirect_to("account:home")),
        note="shows codes only once, right after they were generated (kept in the session); otherwise Mon compte",
    ),
    "account:two_factor_recovery_codes_regenerate": entry(
        get=account_page_outcomes(NOT_ALLOWED),
        post=account_page_outcomes(
            redirect_to("account:two_factor_recovery_codes"), citizen=redirect_to("account:home", denies=True)
        ),
        note="POST only; an account without a second factor has no codes to regenerate",
    ),
    "account:two_factor_disable": entry(
        get=account_page_outcomes(redirect_to("account:home")),
        post=account_page_outcomes(redirect_to("account:home", denies=True)),
        note="every agent role imposes the second factor: refused, the device stays; the citizen persona has none",
    ),
    # --- FranceConnect: the test settings have no client id, so every route answers 404 except the logout ----------
    "account:franceconnect:login": entry(get=EVERYONE_NOT_FOUND, post=EVERYONE_NOT_FOUND),
    "account:franceconnect:callback": entry(get=EVERYONE_NOT_FOUND),
    "account:franceconnect:link_confirm": entry(get=EVERYONE_NOT_FOUND, post=EVERYONE_NOT_FOUND),
    "account:franceconnect:logout": entry(
        get=EVERYONE_NOT_ALLOWED,
        post=outcomes(anonymous=TO_PUBLIC_HOME, default=TO_PUBLIC_HOME),
        note="POST only; without a FranceConnect sign-in it is Guichet's own logout",
    ),
    "account:franceconnect:logout_callback": entry(get=EVERYONE_NOT_FOUND),
    # … and switched on (explicit endpoints, no network): the same routes without a flow under way.
    "account:franceconnect:login@enabled": entry(
        get=outcomes(anonymous=TO_FRANCECONNECT, default=TO_FRANCECONNECT),
        with_settings=FRANCECONNECT_ON,
        is_page=False,
        note="the flow (state, nonce, PKCE) lives in the session: the database does not change",
    ),
    "account:franceconnect:callback@enabled": entry(get=EVERYONE_BAD_REQUEST, with_settings=FRANCECONNECT_ON),
    "account:franceconnect:link_confirm@enabled": entry(
        get=EVERYONE_BAD_REQUEST,
        post=EVERYONE_BAD_REQUEST,
        post_data=lambda context: {"password": "Correct-Horse-Battery-42"},
        with_settings=FRANCECONNECT_ON,
        note="no identity waiting to be linked: nothing to confirm, whatever the password",
    ),
    "account:franceconnect:logout@enabled": entry(
        get=EVERYONE_NOT_ALLOWED,
        post=outcomes(anonymous=TO_PUBLIC_HOME, default=TO_PUBLIC_HOME),
        with_settings=FRANCECONNECT_ON,
    ),
    "account:franceconnect:logout_callback@enabled": entry(
        get=outcomes(anonymous=TO_PUBLIC_HOME, default=BAD_REQUEST),
        with_settings=FRANCECONNECT_ON,
        note="signed in but no logout under way (no state): refused, the session stays",
    ),
    # --- Citizen portal: every account is a citizen (roles_of); agents pass their second factor first --------------
    "citizen:home": entry(get=citizen_portal_outcomes(citizen=OK, agents=OK)),
    "citizen:dossier_group": entry(
        get=citizen_portal_outcomes(citizen=OK, agents=OK),
        sample_kwargs=lambda context: {"group": "en-cours"},
        note="the person's own dossiers only, like the dashboard it continues",
    ),
    "citizen:dossier_detail": entry(
        get=citizen_portal_outcomes(citizen=OK, agents=NOT_FOUND), sample_kwargs=dossier_kwargs("dossier")
    ),
    "citizen:dossier_detail@stranger": entry(
        get=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        sample_kwargs=dossier_kwargs("stranger_dossier"),
    ),
    "citizen:document_upload": entry(
        get=citizen_portal_outcomes(citizen=NOT_ALLOWED, agents=NOT_ALLOWED),
        post=citizen_portal_outcomes(citizen=BAD_REQUEST, agents=NOT_FOUND),
        sample_kwargs=dossier_kwargs("dossier"),
        note="POST only; an empty upload is refused with the form's errors (400)",
    ),
    "citizen:document_upload@stranger": entry(
        get=citizen_portal_outcomes(citizen=NOT_ALLOWED, agents=NOT_ALLOWED),
        post=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        sample_kwargs=dossier_kwargs("stranger_dossier"),
    ),
    "citizen:document_download": entry(
        get=citizen_portal_outcomes(citizen=OK, agents=NOT_FOUND),
        sample_kwargs=document_kwargs("dossier"),
        is_page=False,
        note="the file itself, as an attachment",
    ),
    "citizen:document_download@stranger": entry(
        get=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        sample_kwargs=document_kwargs("stranger_dossier"),
    ),
    "citizen:document_download@other_dossier": entry(
        get=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        sample_kwargs=lambda context: {
            "reference": context.dossier.reference,
            "document_id": context.documents["stranger_dossier"].pk,
        },
        note="the citizen's own dossier, but a document of somebody else's",
    ),
    "citizen:dossier_transition": entry(
        get=citizen_portal_outcomes(citizen=OK, agents=NOT_FOUND),
        post=citizen_portal_outcomes(citizen=to_dossier_page("/usager/dossiers/"), agents=NOT_FOUND),
        sample_kwargs=dossier_kwargs("dossier", transition="submit"),
        post_data=version_of("dossier"),
        note="GET asks for confirmation; the POST submits the draft",
    ),
    "citizen:dossier_transition@stranger": entry(
        get=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        post=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        sample_kwargs=dossier_kwargs("stranger_dossier", transition="submit"),
        post_data=version_of("stranger_dossier"),
    ),
    "citizen:dossier_transition@system_only": entry(
        get=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        post=citizen_portal_outcomes(citizen=NOT_FOUND, agents=NOT_FOUND),
        sample_kwargs=dossier_kwargs("dossier", transition="expire"),
        post_data=version_of("dossier"),
        note="the citizen's own draft, but a transition only the system makes: not offered, nothing changes",
    ),
    # --- Agent portals: one role each, second factor required --------------------------------------------------------
    "town_hall:home": entry(get=portal_outcomes("mairie_agent")),
    "instruction:home": entry(get=portal_outcomes("instructor")),
    "professional:home": entry(get=portal_outcomes("driving_school", "car_professional")),
    "prefecture:home": entry(get=portal_outcomes("prefecture_admin")),
    # Instruction: dossiers of the départements the instructor's centre serves, once submitted.
    "instruction:dossier_detail": entry(
        get=instruction_outcomes(OK),
        sample_kwargs=dossier_kwargs("served_dossier"),
        get_may_write=True,
        note="every opening of a dossier by an agent is journaled (DossierAccess), and the applicant sees it",
    ),
    "instruction:dossier_detail@unserved": entry(
        get=instruction_outcomes(NOT_FOUND), sample_kwargs=dossier_kwargs("unserved_dossier")
    ),
    "instruction:dossier_detail@draft": entry(
        get=instruction_outcomes(NOT_FOUND),
        sample_kwargs=dossier_kwargs("dossier"),
        note="a draft in a served département is still the citizen's alone",
    ),
    "instruction:dossier_assign": entry(
        get=instruction_outcomes(NOT_ALLOWED),
        post=instruction_outcomes(to_dossier_page("/instruction/dossiers/")),
        sample_kwargs=dossier_kwargs("served_dossier"),
        note="POST only",
    ),
    "instruction:dossier_assign@unserved": entry(
        get=instruction_outcomes(NOT_ALLOWED),
        post=instruction_outcomes(NOT_FOUND),
        sample_kwargs=dossier_kwargs("unserved_dossier"),
    ),
    "instruction:document_download": entry(
        get=instruction_outcomes(OK),
        sample_kwargs=document_kwargs("served_dossier"),
        is_page=False,
        get_may_write=True,
        note="the file itself; every opening of a document by an agent is journaled",
    ),
    "instruction:document_download@unserved": entry(
        get=instruction_outcomes(NOT_FOUND), sample_kwargs=document_kwargs("unserved_dossier")
    ),
    "instruction:dossier_transition": entry(
        get=instruction_outcomes(OK),
        post=instruction_outcomes(to_dossier_page("/instruction/dossiers/")),
        sample_kwargs=dossier_kwargs("served_dossier", transition="start_instruction"),
        post_data=version_of("served_dossier"),
        note="GET asks for confirmation; the POST starts the instruction",
    ),
    "instruction:dossier_transition@unserved": entry(
        get=instruction_outcomes(NOT_FOUND),
        post=instruction_outcomes(NOT_FOUND),
        sample_kwargs=dossier_kwargs("unserved_dossier", transition="start_instruction"),
        post_data=version_of("unserved_dossier"),
    ),
    # Django admin (see COVERED_NAMESPACES): one gate, GuichetAdminSite.has_permission.
    "admin:index": entry(get=admin_outcomes()),
    "admin:login": entry(
        get=outcomes(
            anonymous=redirect_to(settings.LOGIN_URL, denies=True),
            default=FORBIDDEN,
            platform_admin=redirect_to("admin:index"),
            **{
                audience: Outcome(
                    "redirect to 2FA", 302, True, redirect_to=("account:two_factor_verify", "account:two_factor_setup")
                )
                for audience in UNVERIFIED_AUDIENCES
            },
        ),
        note="everyone signs in through Guichet's own pages (throttled login, then 2FA), back to the admin index",
    ),
    "admin:auth_group_changelist": entry(get=admin_outcomes()),
    "admin:auth_group_add": entry(
        get=admin_outcomes(),
        post=admin_outcomes(verified_admin=redirect_to("admin:auth_group_changelist")),
        post_data=lambda context: {"name": "matrix-intruders"},
        # Django's own filter widget (SelectFilter2.js) puts aria-label on a <span>: axe aria-prohibited-attr.
        is_page=False,
    ),
}

# Namespaces whose every URL shares one gate, covered by the representative entries listed here.
COVERED_NAMESPACES: dict[str, tuple[str, ...]] = {
    "admin": ("admin:index", "admin:login", "admin:auth_group_changelist", "admin:auth_group_add"),
}


# ---------------------------------------------------------------------------------------------------------------
# The URL conf


@dataclass
class UrlConfNames:
    named: set[str] = field(default_factory=set)
    unnamed: list[str] = field(default_factory=list)  # routes without a name, outside covered namespaces


def url_conf_names() -> UrlConfNames:
    """Every named route of the URL conf, with its namespaces, walking includes recursively."""
    found = UrlConfNames()

    def walk(patterns: list, namespaces: tuple[str, ...], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    found.named.add(":".join((*namespaces, pattern.name)))
                elif not (namespaces and namespaces[0] in COVERED_NAMESPACES):
                    found.unnamed.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, (), "/")
    return found


def in_covered_namespace(name: str) -> bool:
    return name.split(":", 1)[0] in COVERED_NAMESPACES and ":" in name


def url_name_of(key: str) -> str:
    """`citizen:dossier@stranger` is a second sample of the URL `citizen:dossier`."""
    return key.split("@", 1)[0]


def names_missing_from_table(named: set[str]) -> list[str]:
    covered = {url_name_of(key) for key in EXPECTATIONS}
    return sorted(name for name in named if name not in covered and not in_covered_namespace(name))


def table_entries_without_url(named: set[str]) -> list[str]:
    return sorted(key for key in EXPECTATIONS if url_name_of(key) not in named)


def pages_for(audience: str) -> list[str]:
    """URL names of HTML pages this audience may open (GET outcome 200), for the accessibility suite."""
    return sorted(name for name, item in EXPECTATIONS.items() if item.is_page and item.get[audience] is OK)


def _merge_feature_tables() -> None:
    """Feature areas keep their entries beside this file, in `matrix_<feature>.py` exposing `EXPECTATIONS`.

    They import the helpers above, so they are loaded last; a key defined twice is an error, not an override.
    """
    import importlib
    import pkgutil
    from pathlib import Path

    for module_info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if not module_info.name.startswith("matrix_"):
            continue
        module = importlib.import_module(f"{__package__}.{module_info.name}")
        clash = set(module.EXPECTATIONS) & set(EXPECTATIONS)
        if clash:
            raise ValueError(f"{module_info.name} redefines matrix entries: {sorted(clash)}")
        EXPECTATIONS.update(module.EXPECTATIONS)


_merge_feature_tables()
