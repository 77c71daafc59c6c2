"""Template helpers for help texts: `markdown` renders a body safely; lexicon words link to their definition.

- ``{{ guide.channels|markdown }}``: Markdown → sanitised HTML.
- ``{% help_text guide.channels %}``: the same, with lexicon words linked; each term is linked once per page
  (first occurrence), whatever the number of texts shown.
- ``{{ some_text|lexicon_links }}``: for any other page; links the first occurrence of each term in that text.
  Plain strings are escaped first; HTML already marked safe is kept as it is, its text nodes linked.
"""

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from ..markup import LexiconMatcher, link_lexicon_terms, markdown_to_html
from ..selectors import lexicon_matcher

register = template.Library()

_PAGE_STATE = "_guichet_lexicon_state"


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return markdown_to_html(str(text or ""))


@register.filter
def lexicon_links(value: Any) -> SafeString:
    return link_lexicon_terms(str(conditional_escape(value)), matcher=lexicon_matcher())


def _page_state(context: template.Context) -> tuple[LexiconMatcher, set[str]]:
    """One matcher and one set of linked terms per rendering, kept in the context's root (outlives blocks, loops)."""
    root = context.dicts[0]
    if _PAGE_STATE not in root:
        seen: set[str] = set(context.get("lexicon_already_linked") or ())
        root[_PAGE_STATE] = (lexicon_matcher(), seen)
    return root[_PAGE_STATE]


@register.simple_tag(takes_context=True)
def help_text(context: template.Context, text: str) -> SafeString:
    matcher, seen = _page_state(context)
    return link_lexicon_terms(markdown_to_html(str(text or "")), matcher=matcher, seen=seen)


@register.simple_tag(takes_context=True)
def page_lexicon_links(context: template.Context, value: Any) -> SafeString:
    """`lexicon_links` sharing the page's already-linked terms (for several texts on one page)."""
    matcher, seen = _page_state(context)
    return link_lexicon_terms(str(conditional_escape(value)), matcher=matcher, seen=seen)
