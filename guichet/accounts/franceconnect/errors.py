"""Why a FranceConnect sign-in was refused: a stable code for logs and tests, a French message for people."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class FailureCode(StrEnum):
    STATE_INVALID = "state_invalid"
    FLOW_EXPIRED = "flow_expired"
    ACCESS_DENIED = "access_denied"
    PROVIDER_ERROR = "provider_error"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    TOKEN_REJECTED = "token_rejected"  # noqa: S105 - a failure name
    ID_TOKEN_INVALID = "id_token_invalid"  # noqa: S105 - a failure name
    NONCE_MISMATCH = "nonce_mismatch"
    ACR_INSUFFICIENT = "acr_insufficient"
    USERINFO_INVALID = "userinfo_invalid"
    IDENTITY_INVALID = "identity_invalid"
    ACCOUNT_INACTIVE = "account_inactive"
    ACCOUNT_ALREADY_LINKED = "account_already_linked"
    LINK_EXPIRED = "link_expired"
    ACCOUNT_CONFLICT = "account_conflict"
    LOGOUT_STATE_INVALID = "logout_state_invalid"


MESSAGES = {
    FailureCode.STATE_INVALID: _(
        "Cette réponse de FranceConnect ne correspond à aucune connexion en cours dans ce navigateur. "
        "Elle a peut-être déjà été utilisée. Recommencez la connexion depuis Guichet."
    ),
    FailureCode.FLOW_EXPIRED: _("La connexion avec FranceConnect a pris trop de temps. Recommencez."),
    FailureCode.ACCESS_DENIED: _("Vous avez annulé la connexion avec FranceConnect. Vous n'êtes pas connecté."),
    FailureCode.PROVIDER_ERROR: _("FranceConnect n'a pas pu terminer la connexion. Réessayez dans quelques instants."),
    FailureCode.PROVIDER_UNAVAILABLE: _(
        "FranceConnect ne répond pas pour le moment. Réessayez plus tard ou connectez-vous avec votre mot de passe."
    ),
    FailureCode.TOKEN_REJECTED: _("FranceConnect a refusé de confirmer cette connexion. Recommencez."),
    FailureCode.ID_TOKEN_INVALID: _(
        "La réponse de FranceConnect n'a pas pu être authentifiée (signature, émetteur ou durée de validité). "
        "Par sécurité, vous n'avez pas été connecté."
    ),
    FailureCode.NONCE_MISMATCH: _(
        "La réponse de FranceConnect ne correspond pas à la connexion demandée. Par sécurité, vous n'avez pas été "
        "connecté."
    ),
    FailureCode.ACR_INSUFFICIENT: _(
        "Le niveau de sécurité de la connexion FranceConnect est insuffisant pour Guichet. Vous n'avez pas été "
        "connecté."
    ),
    FailureCode.USERINFO_INVALID: _(
        "Les informations d'identité transmises par FranceConnect n'ont pas pu être authentifiées. Vous n'avez pas "
        "été connecté."
    ),
    FailureCode.IDENTITY_INVALID: _(
        "Les informations d'identité transmises par FranceConnect sont incomplètes ou mal formées. Vous n'avez pas "
        "été connecté."
    ),
    FailureCode.ACCOUNT_INACTIVE: _("Le compte Guichet relié à cette identité est désactivé."),
    FailureCode.ACCOUNT_ALREADY_LINKED: _(
        "Le compte Guichet qui utilise cette adresse électronique est déjà relié à une autre identité FranceConnect. "
        "Connectez-vous avec votre mot de passe ou contactez l'assistance."
    ),
    FailureCode.LINK_EXPIRED: _(
        "Aucune liaison de compte n'est en attente, ou elle a expiré. Recommencez la connexion."
    ),
    FailureCode.ACCOUNT_CONFLICT: _(
        "Un compte a été créé pour cette identité pendant votre connexion, sans doute depuis un autre onglet. "
        "Recommencez la connexion avec FranceConnect."
    ),
    FailureCode.LOGOUT_STATE_INVALID: _(
        "Cette demande de déconnexion ne correspond à aucune déconnexion en cours. Vous êtes toujours connecté ; "
        "utilisez le bouton « Se déconnecter » pour quitter Guichet."
    ),
}


class FranceConnectError(Exception):
    """A refused sign-in. `code` is stable; `message` is for people and never contains personal data."""

    def __init__(self, code: FailureCode, detail: str = "") -> None:
        self.code = code
        self.detail = detail  # technical reason for the logs, never personal data
        super().__init__(f"{code}: {detail}" if detail else str(code))

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])
