from django import template

from guichet.accounts.franceconnect import franceconnect_is_enabled

register = template.Library()


@register.simple_tag
def franceconnect_enabled() -> bool:
    """True when the FranceConnect button may be shown (switched on and a client id configured)."""
    return franceconnect_is_enabled()
