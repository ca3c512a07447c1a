"""What a hit shows of its text: the words around the first one the query looks for, and which
words to mark as found (the dashboard's <mark>)."""

from __future__ import annotations

import re

from services.aggregator.search.words import Phrase, any_matches, folded

WORDS = re.compile(r"\S+")
BEFORE, WIDTH = 8, 36  # words shown before the first found, and in all
ELLIPSIS = "…"


def snippet(text: str, wanted: list[Phrase]) -> str:
    """The text's words around the first one found (else its start), cut with an ellipsis."""
    words = WORDS.findall(text)
    first = next((i for i, w in enumerate(words) if any_matches(folded(w), wanted)), 0)
    start = max(0, min(first - BEFORE, len(words) - WIDTH))
    shown = " ".join(words[start : start + WIDTH])
    return (ELLIPSIS if start else "") + shown + (ELLIPSIS if start + WIDTH < len(words) else "")


def marked(text: str, wanted: list[Phrase]) -> list[tuple[str, bool]]:
    """The text in pieces, each with whether it is a word the query looks for."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for word in WORDS.finditer(text):
        if any_matches(folded(word.group()), wanted):
            pieces += [(text[at : word.start()], False), (word.group(), True)]
            at = word.end()
    pieces.append((text[at:], False))
    return [(piece, found) for piece, found in pieces if piece]
