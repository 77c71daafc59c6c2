"""The one check every professional action goes through: is the organisation's approval in force today?"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from guichet.territory.models import Place

from ..errors import ApprovalNotValid
from ..selectors import OrganisationStanding, Standing, organisation_standing

REFUSAL_MESSAGES = {
    Standing.SUSPENDED: _(
        "L'agrément de cet établissement est suspendu par la préfecture : aucune démarche ne peut être faite en son "
        "nom tant que la suspension n'est pas levée."
    ),
    Standing.REVOKED: _(
        "L'agrément de cet établissement a été retiré par la préfecture : il ne peut plus faire de démarches pour "
        "ses clients."
    ),
    Standing.EXPIRED: _(
        "L'agrément de cet établissement a expiré : il doit être renouvelé par la préfecture avant toute nouvelle "
        "démarche."
    ),
    Standing.NOT_YET_VALID: _("L'agrément de cet établissement n'est pas encore en vigueur."),
    Standing.MISSING: _("Cet établissement n'a pas d'agrément enregistré auprès de la préfecture."),
}


def approval_require_valid(*, place: Place, on: date | None = None) -> OrganisationStanding:
    """The organisation's standing when it may act; otherwise ApprovalNotValid with code `approval_<standing>`."""
    standing = organisation_standing(place=place, on=on)
    if not standing.is_valid:
        raise ApprovalNotValid(
            str(REFUSAL_MESSAGES[standing.standing]), code=f"approval_{standing.standing}", standing=standing.standing
        )
    return standing
