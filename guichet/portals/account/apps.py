from django.apps import AppConfig


class AccountPortalConfig(AppConfig):
    name = "guichet.portals.account"
    label = "portal_account"

    def ready(self) -> None:
        # Every sign-in (password, FranceConnect, tests' force_login) registers its session for "Mon compte".
        # This is plumbing on Django's own login hook, not business flow.
        from django.contrib.auth.signals import user_logged_in

        from .session_registry import register_session_on_login

        user_logged_in.connect(register_session_on_login, dispatch_uid="guichet_register_session")
