"""The authorization matrix: for every named URL, what each audience gets.

How to extend it when a page lands: add one `entry(...)` to `EXPECTATIONS` below, keyed by the URL's full
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
    dossier: Any  # a draft dossier of the citizen persona
    stranger_dossier: Any  # a draft dossier of a citizen who is not a persona


@dataclass(frozen=True)
class Entry:
    get: Mapping[str, Outcome]
    post: Mapping[str, Outcome] | None = None
    sample_kwargs: Callable[[MatrixContext], dict[str, Any]] | None = None
    post_data: Callable[[MatrixContext], dict[str, Any]] | None = None
    is_page: bool = True  # an HTML page the accessibility suite visits where the outcome is 200
    get_may_write: bool = False  # GET is checked to change nothing, unless the view must write (say why)
    note: str = ""

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
) -> Entry:
    for table in (get, post) if post is not None else (get,):
        missing = set(AUDIENCES) - set(table)
        if missing:
            raise ValueError(f"Outcomes missing for audiences {sorted(missing)}")
    return Entry(get, post, sample_kwargs, post_data, is_page, get_may_write, note)


EVERYONE_OK = outcomes(anonymous=OK, default=OK)
SIGNED_IN_OK = outcomes(anonymous=LOGIN, default=OK)

EXPECTATIONS: dict[str, Entry] = {
    # Public portal: open to all.
    "public:home": entry(get=EVERYONE_OK),
    "public:healthz": entry(get=EVERYONE_OK, is_page=False, note="JSON for the load balancer"),
    "public:accessibility": entry(get=EVERYONE_OK),
    "public:legal": entry(get=EVERYONE_OK),
    "public:privacy": entry(get=EVERYONE_OK),
    # Account pages: any signed-in person, second factor or not (they are where the second factor is set up).
    "account:home": entry(get=SIGNED_IN_OK),
    "account:login": entry(get=outcomes(anonymous=OK, default=redirect_to("account:home"))),
    "account:logout": entry(
        get=outcomes(anonymous=NOT_ALLOWED, default=NOT_ALLOWED),
        post=outcomes(anonymous=redirect_to("public:home"), default=redirect_to("public:home")),
        note="POST only (Django's LogoutView)",
    ),
    "account:signup": entry(get=EVERYONE_OK),
    "account:two_factor_setup": entry(get=SIGNED_IN_OK),
    "account:two_factor_verify": entry(get=SIGNED_IN_OK),
    # Citizen portal: every account is a citizen (roles_of), agents included; no second factor for citizens.
    "citizen:home": entry(get=SIGNED_IN_OK),
    # Agent portals: one role each, second factor required.
    "town_hall:home": entry(get=portal_outcomes("mairie_agent")),
    "instruction:home": entry(get=portal_outcomes("instructor")),
    "professional:home": entry(get=portal_outcomes("driving_school", "car_professional")),
    "mediator:home": entry(get=portal_outcomes("mediator")),
    "prefecture:home": entry(get=portal_outcomes("prefecture_admin")),
    # Django admin (see COVERED_NAMESPACES): one gate, GuichetAdminSite.has_permission.
    "admin:index": entry(get=admin_outcomes()),
    "admin:login": entry(
        get=outcomes(anonymous=OK, default=OK, platform_admin=redirect_to("admin:index")),
        is_page=False,  # Django's own markup, without <h1>: axe page-has-heading-one
        note="Django's admin login form; shown (200) to signed-in people who may not use the admin",
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
