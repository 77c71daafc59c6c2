from guichet.accounts.models import User


def user_for_franceconnect_sub(*, sub: str) -> User | None:
    """The account already linked to this FranceConnect identity, if any. Accounts are keyed on `sub` only."""
    return User.objects.filter(verified_identity__franceconnect_sub=sub).first()


def user_with_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()
