from django.http import HttpRequest

from guichet.accounts.services import user_session_register


def register_session_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    session_key = request.session.session_key
    if session_key:
        user_session_register(user=user, session_key=session_key, user_agent=request.headers.get("user-agent", ""))
