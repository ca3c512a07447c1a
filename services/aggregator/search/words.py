"""Words as the search index keeps them: folded to lower-case ASCII letters and digits, so that
"dan van kheo" finds "Dân vận khéo" and "dan" finds "Đàn" on every store alike.

Folding happens here, in Python, for what is indexed and for what is asked: SQLite's tokenizer
strips combining marks but leaves "đ" (a letter of its own, not "d" with a mark) and PostgreSQL's
parser reads "01-2026-0001234" as "01", "-2026", "-0001234"; both stores are given words already
folded and separated by spaces, and index exactly those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

WORD = re.compile(r"[a-z0-9]+")
# a quoted phrase, or a run of characters between blanks (a code's parts are one phrase)
PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
MAX_WORDS = 32  # of a query: more says nothing more, and each costs a lookup
MIN_PREFIX = 2  # a word this long or longer, with * after it, also finds those it begins


def folded(text: str) -> list[str]:
    """The words of a text, folded: "Đàn Dân-vận 01-2026" → ["dan", "dan", "van", "01", "2026"]."""
    return [word for chunk in text.split() for word in _folded_chunk(chunk)]


@lru_cache(maxsize=65536)
def _folded_chunk(chunk: str) -> tuple[str, ...]:
    """Vietnamese repeats its syllables: each is folded once (unidecode goes letter by letter)."""
    return tuple(WORD.findall(unidecode(chunk).lower()))


def terms(*texts: str | None) -> str:
    """What the index keeps of these texts: their folded words, separated by spaces."""
    return " ".join(word for text in texts if text for word in folded(text))


@dataclass(frozen=True)
class Phrase:
    """Words that must stand in this order, next to each other; prefix: the last one may
    begin a longer word (written with * after it)."""

    words: tuple[str, ...]
    prefix: bool = False

    def matches(self, word: str) -> bool:
        """Whether an indexed word is one this phrase looks for."""
        return word in self.words or (self.prefix and word.startswith(self.words[-1]))


def phrases(query: str) -> list[Phrase]:
    """A query's phrases: each quoted part, and each run of characters between blanks (so
    01-2026-0001234 is three words in a row). Every phrase must be found; one written with *
    right after it (`bằ*`, `"mặt bằ"*`) may end in a longer word than its last.

    Only when asked: a word the query merely ends with is a word, as a search box submits it
    whole; "dân" as a prefix would also find "danh", "dang", "đảng", and would cost the index
    every such word's list (on the national data set, 200-300 ms a statement against 1)."""
    found: list[Phrase] = []
    count = 0
    for match in PART.finditer(query):
        quoted = match.group(1) is not None
        words = folded(match.group(1) if quoted else match.group(2))[: MAX_WORDS - count]
        if words:
            starred = (query[match.end() : match.end() + 1] if quoted else match.group(2))[-1:]
            open_end = starred == "*" and len(words[-1]) >= MIN_PREFIX
            found.append(Phrase(tuple(words), prefix=open_end))
            count += len(words)
    return found


def any_matches(words: Iterable[str], wanted: list[Phrase]) -> bool:
    """Whether any of these folded words is one the query looks for."""
    return any(p.matches(w) for w in words for p in wanted)
