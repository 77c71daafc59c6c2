"""The staff invitation e-mail. Its link carries the invitation's secret: sent after commit, never stored."""

from django.conf import settings
from django.urls import reverse

from guichet.portals.account.emails import account_email_send
from guichet.trusted_parties.models import StaffInvitation
from guichet.trusted_parties.services import INVITATION_VALIDITY


def staff_invitation_email_send(*, invitation: StaffInvitation, token: str) -> None:
    path = reverse("professional:invitation", kwargs={"token": token})
    account_email_send(
        to=invitation.email,
        template="staff_invitation",
        folder="professional/emails",
        context={
            "organisation": invitation.place.name,
            "is_manager": invitation.is_manager,
            "link": f"{settings.SITE_URL}{path}",
            "days": INVITATION_VALIDITY.days,
        },
    )
