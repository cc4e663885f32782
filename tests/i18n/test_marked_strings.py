"""Every user-facing string in a template is marked for translation: text between tags
outside {% translate %} / {% blocktranslate %} may hold only names, numbers, punctuation and
a short list of words that are the same in every language (CSV, JSON, API names)."""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "visiblework" / "templates"
SAME_IN_EVERY_LANGUAGE = {"CSV", "JSON", "BibTeX", "CSL-JSON", "Markdown", "ε", "δ", "k", "Q",
                          "USD", "p25", "p75", "PPP", "ISO", "Int", "CSL", "RIS"}
TAG = re.compile(r"<[^>]*>", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
ATTRIBUTE = re.compile(r'(?:aria-label|title|placeholder|alt)="([^"]*)"')


def untranslated(path: Path) -> list[str]:
    """Rebuild the template with every tag and variable replaced by a blank, dropping what
    is inside blocktranslate; then remove HTML tags and look for words left over."""
    pieces = []
    depth = 0
    for token in Lexer(path.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                depth -= 1
            pieces.append(" ")
        elif token.token_type == TokenType.TEXT and not depth:
            pieces.append(token.contents)
        else:
            pieces.append(" ")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", "".join(pieces), flags=re.S)
    # words people read inside tags: labels, titles, placeholders, alternative texts
    shown = " ".join(ATTRIBUTE.findall(text))
    text = text + " " + shown
    text = re.sub(r"&\w+;", " ", TAG.sub(" ", text))
    return [f"{path.relative_to(TEMPLATES)}: {word!r}" for word in WORD.findall(text)
            if word not in SAME_IN_EVERY_LANGUAGE]


def test_every_template_string_is_marked_for_translation():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.name == "500.html" or "admin" in path.parts:
            continue
        problems.extend(untranslated(path))
    assert not problems, "\n".join(problems)
