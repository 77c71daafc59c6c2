"""The page layout's fixed parts, rendered once per process and language instead of on every page.

The header, footer, skip links and asset links of `base.html` are dozens of `{% translate %}`, `{% url %}` and
`{% static %}` tags whose output only depends on the active language, the URL configuration and script prefix,
and the static files of the deploy. `{% layout_fixed %}…{% endlayout_fixed %}` renders its content once for each
such combination and then returns the same text: byte for byte what the content would render to.

The content is rendered with an empty context (`context.new()`), so nothing that depends on the request, the user
or the view can be captured by mistake: a variable used inside would render empty on every page, which the layout
tests see. `{% dsfr_js_cached nonce %}` does the same for django-dsfr's script tags, whose only variable is the
request's CSP nonce.

Cannot go stale: the key holds everything the content depends on (language, script prefix, URL configuration);
templates and static files change only on deploy (a new process), and a settings change in the tests
(`override_settings`) starts a new generation. The cache lives on the template node, so a template compiled again
(DEBUG, no cached loader) starts empty. See `layout_cache`.
"""

from django import template
from django.template import Engine
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guichet.portals.public.layout_cache import layout_key

register = template.Library()


class FixedFragmentNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple, SafeString] = {}

    def render(self, context: Context) -> SafeString:
        key = layout_key()
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context.new())  # already a SafeString: the tags inside escaped their values
            self.rendered[key] = html
        return html


@register.tag("layout_fixed")
def layout_fixed(parser: Parser, token: Token) -> FixedFragmentNode:
    """`{% layout_fixed %}…{% endlayout_fixed %}`: content that depends on nothing but language and deploy."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("layout_fixed takes no argument")
    nodelist = parser.parse(("endlayout_fixed",))
    parser.delete_first_token()
    return FixedFragmentNode(nodelist)


_NONCE_MARK = "\x00guichet-nonce\x00"
_dsfr_js_rendered: dict[tuple, tuple[str, ...]] = {}


def _render_dsfr_js(context: Context, nonce: str) -> SafeString:
    engine = context.template.engine if context.template is not None else Engine.get_default()
    return engine.from_string("{% load dsfr_tags %}{% dsfr_js nonce=nonce %}").render(Context({"nonce": nonce}))


@register.simple_tag(takes_context=True)
def dsfr_js_cached(context: Context, nonce: object) -> SafeString:
    """django-dsfr's `{% dsfr_js nonce=… %}`, rendered once with a mark that the request's nonce replaces."""
    nonce_text = "" if nonce is None else str(nonce)
    if not nonce_text:
        # Without a nonce django-dsfr leaves the attribute out: render it as it would (error pages, tests).
        return _render_dsfr_js(context, "")
    key = layout_key()
    parts = _dsfr_js_rendered.get(key)
    if parts is None:
        parts = tuple(_render_dsfr_js(context, _NONCE_MARK).split(_NONCE_MARK))
        _dsfr_js_rendered[key] = parts
    return mark_safe(escape(nonce_text).join(parts))  # noqa: S308 - django-dsfr's own output, the nonce escaped
