"""Signed, time-limited, single-use links that prove a person controls an e-mail address.

The signed payload carries the account id, the purpose and a fingerprint of the account's e-mail state
(address, pending address, verification date). Verifying or changing the address changes the state, so an
old link stops working: single use without storing tokens.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .errors import EmailLinkRefused
from .models import User

EMAIL_LINK_MAX_AGE = timedelta(hours=48)
_SALT = "guichet.accounts.email_verification"

PURPOSE_SIGNUP = "signup"
PURPOSE_CHANGE = "change"
PURPOSES = frozenset({PURPOSE_SIGNUP, PURPOSE_CHANGE})


@dataclass(frozen=True)
class EmailLink:
    user_id: int
    purpose: str
    fingerprint: str


class EmailLinkInvalid(Exception):
    """The link was altered, truncated or was never issued."""


class EmailLinkExpired(Exception):
    """The link was issued more than 48 hours ago."""


def email_state_fingerprint(*, user: User, purpose: str) -> str:
    state = f"{purpose}|{user.pk}|{user.email}|{user.pending_email}|{user.email_verified_at}"
    return salted_hmac(_SALT, state, algorithm="sha256").hexdigest()[:32]


def email_link_token_make(*, user: User, purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    payload = {"u": user.pk, "p": purpose, "f": email_state_fingerprint(user=user, purpose=purpose)}
    return signing.dumps(payload, salt=_SALT, compress=False)


def email_link_token_read(token: str) -> EmailLink:
    try:
        payload = signing.loads(token, salt=_SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise EmailLinkExpired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise EmailLinkInvalid from error
    if not isinstance(payload, dict):
        raise EmailLinkInvalid
    user_id, purpose, fingerprint = payload.get("u"), payload.get("p"), payload.get("f")
    if not isinstance(user_id, int) or purpose not in PURPOSES or not isinstance(fingerprint, str):
        raise EmailLinkInvalid
    return EmailLink(user_id=user_id, purpose=purpose, fingerprint=fingerprint)


def email_link_matches(*, link: EmailLink, user: User) -> bool:
    return constant_time_compare(link.fingerprint, email_state_fingerprint(user=user, purpose=link.purpose))


def email_link_resolve(*, token: str, for_update: bool = False) -> tuple[EmailLink, User]:
    """Reads a link without using it up; raises EmailLinkRefused with a French reason when it cannot serve."""
    try:
        link = email_link_token_read(token)
    except EmailLinkExpired as error:
        raise EmailLinkRefused(
            _("Ce lien a expiré : il n'est valable que 48 heures. Demandez un nouveau lien."),
            code="email_link_expired",
        ) from error
    except EmailLinkInvalid as error:
        raise EmailLinkRefused(
            _(
                "Ce lien n'est pas valable. Vérifiez que vous avez copié l'adresse en entier, "
                "ou demandez un nouveau lien."
            ),
            code="email_link_invalid",
        ) from error
    users = User.objects.select_for_update() if for_update else User.objects.all()
    user = users.filter(pk=link.user_id, is_active=True).first()
    if user is None:
        raise EmailLinkRefused(code="email_link_invalid")
    already_used = (link.purpose == PURPOSE_SIGNUP and user.email_verified_at is not None) or (
        link.purpose == PURPOSE_CHANGE and not user.pending_email
    )
    if already_used or not email_link_matches(link=link, user=user):
        raise EmailLinkRefused(
            _("Ce lien a déjà servi ou a été remplacé par un lien plus récent : il ne peut plus être utilisé."),
            code="email_link_used",
        )
    return link, user
