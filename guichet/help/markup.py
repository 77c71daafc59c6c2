"""From an admin's Markdown to safe HTML, and links from lexicon words to their definitions.

Markdown lets admins write lists and links; whatever HTML they type is filtered by nh3 (an allow-list): no
script, no event handler, no style, no image, only http(s), mailto and tel links. Headings are demoted to h3/h4
so that a body never breaks the page's outline.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "a",
        "abbr",
        "h3",
        "h4",
        "blockquote",
        "code",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_TOP_HEADINGS = re.compile(r"<(/?)h[12](?=[\s>])", re.IGNORECASE)


def markdown_to_html(text: str) -> SafeString:
    """Markdown → HTML with only the allowed tags and attributes; never raises on odd input."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    html = _TOP_HEADINGS.sub(r"<\1h3", html)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed everything outside the allow-list


# --- Lexicon links ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconEntry:
    slug: str
    forms: tuple[str, ...]
    expansion: str = ""


# Text inside these elements is never linked: existing links, headings, code, form controls.
_SKIPPED = frozenset(
    {"a", "abbr", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "button", "label", "textarea", "select", "option"}
)
_RAW_TEXT = frozenset({"script", "style"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _is_acronym(form: str) -> bool:
    letters = [character for character in form if character.isalpha()]
    return bool(letters) and all(character.isupper() for character in letters)


@dataclass
class LexiconMatcher:
    """Finds lexicon words in text; acronyms match in capitals only, other words in any case, plural allowed."""

    entries: tuple[LexiconEntry, ...]
    page_url: str
    pattern: re.Pattern[str] | None = field(init=False, default=None)
    exact: dict[str, LexiconEntry] = field(init=False, default_factory=dict)
    folded: dict[str, LexiconEntry] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        alternatives = []
        forms = [(form, entry) for entry in self.entries for form in entry.forms if form.strip()]
        for form, entry in sorted(forms, key=lambda item: len(item[0]), reverse=True):
            if _is_acronym(form):
                self.exact.setdefault(form, entry)
                alternatives.append(re.escape(form))
            else:
                self.folded.setdefault(form.casefold(), entry)
                alternatives.append(f"(?i:{re.escape(form)}s?)")
        if alternatives:
            self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")

    def entry_for(self, text: str) -> LexiconEntry | None:
        if text in self.exact:
            return self.exact[text]
        folded = text.casefold()
        return self.folded.get(folded) or self.folded.get(folded.removesuffix("s"))

    def link(self, text: str, entry: LexiconEntry) -> str:
        shown = escape(text)
        if entry.expansion:
            shown = f'<abbr title="{escape(entry.expansion)}">{shown}</abbr>'
        return (
            f'<a class="guichet-lexicon-link" href="{escape(self.page_url)}#{escape(entry.slug)}">{shown}'
            '<span class="fr-sr-only"> (définition dans le lexique)</span></a>'
        )

    def replace(self, text: str, seen: set[str]) -> str:
        """Escaped `text` with the first occurrence of each term not in `seen` linked (and added to `seen`)."""
        if self.pattern is None:
            return escape(text)
        parts: list[str] = []
        position = 0
        for match in self.pattern.finditer(text):
            entry = self.entry_for(match.group(0))
            if entry is None or entry.slug in seen:
                continue
            seen.add(entry.slug)
            parts += [escape(text[position : match.start()]), self.link(match.group(0), entry)]
            position = match.end()
        parts.append(escape(text[position:]))
        return "".join(parts)


class _LinkingParser(HTMLParser):
    def __init__(self, matcher: LexiconMatcher, seen: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.matcher = matcher
        self.seen = seen
        self.output: list[str] = []
        self.open_skipped: list[str] = []
        self.raw_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.output.append(self.get_starttag_text() or "")
        if tag in _RAW_TEXT:
            self.raw_text = True
        elif tag in _SKIPPED and tag not in _VOID:
            self.open_skipped.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.output.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.output.append(f"</{tag}>")
        if tag in _RAW_TEXT:
            self.raw_text = False
        elif tag in self.open_skipped:
            # Close up to the matching element (tolerates unclosed inner tags).
            while self.open_skipped and self.open_skipped.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.raw_text:
            self.output.append(data)
        elif self.open_skipped:
            self.output.append(escape(data))
        else:
            self.output.append(self.matcher.replace(data, self.seen))

    def handle_comment(self, data: str) -> None:
        self.output.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.output.append(f"<!{decl}>")


def link_lexicon_terms(html: str, *, matcher: LexiconMatcher, seen: set[str] | None = None) -> SafeString:
    """Links, in trusted HTML, the first occurrence of each term that `seen` does not already hold."""
    parser = _LinkingParser(matcher, seen if seen is not None else set())
    parser.feed(html)
    parser.close()
    return mark_safe("".join(parser.output))  # noqa: S308 - markup kept as given, text re-escaped


def lexicon_matcher_for(entries: Iterable[LexiconEntry], *, page_url: str) -> LexiconMatcher:
    return LexiconMatcher(entries=tuple(entries), page_url=page_url)
