"""A small rule-based sentence splitter for match reasons (pure, no model, no language data).

The best-sentence reason only needs sentences good enough to quote, so the rules
are deliberately simple and the same for every programme language (en, es, it,
fr, tr):

1. a line break always ends a sentence (titles, the line of required skills);
2. ``.``, ``!``, ``?``, ``;`` or ``…`` followed by white space ends a sentence when
   the next visible character opens a new one (an upper-case letter, a digit, a
   quote or bracket, or Spanish ``¿``/``¡``), so "3.5 mm", "e.g. welding" and
   "www.site.es" stay whole;
3. a full stop after a known abbreviation (``e.g.``, ``i.e.``, ``et al.``, ``Dr.``,
   ``Fig.``, ``approx.`` ...) or after a single letter (initials: "J. Smith") does
   not end a sentence;
4. pieces are stripped of white space; a piece with fewer than ``min_chars``
   characters is merged into the previous piece of its line (a stray "Ltd." never
   becomes a sentence of its own);
5. a sentence longer than ``max_chars`` is cut at the last space before the limit
   (the encoder's window would cut it anyway, and a reason should stay readable).
"""

from __future__ import annotations

import re

__all__ = ["ABBREVIATIONS", "split_sentences"]

#: Lower-cased tokens (without their final full stop) after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "et",
        "al",
        "etc",
        "vs",
        "cf",
        "fig",
        "figs",
        "eq",
        "eqs",
        "approx",
        "ca",
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "st",
        "no",
        "nr",
        "vol",
        "pp",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "jr",
        "sr",
        "sig",
        "sra",
        "dott",
        "ing",
        "av",
        "avda",
        "núm",
        "pág",
        "n°",
    ]
)

_BOUNDARY = re.compile(r"([.!?;…]+)(\s+)")
_OPENERS = "\"'“‘«([¿¡"
_LAST_TOKEN = re.compile(r"(\S+)$")


def _ends_with_abbreviation(piece: str) -> bool:
    m = _LAST_TOKEN.search(piece)
    if m is None:
        return False
    token = m.group(1).rstrip(".").lstrip("\"'“‘«([").lower()
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _opens_sentence(rest: str) -> bool:
    ch = rest.lstrip(_OPENERS)[:1]
    return bool(ch) and (ch.isupper() or ch.isdigit())


def _cut(sentence: str, max_chars: int) -> str:
    if len(sentence) <= max_chars:
        return sentence
    head = sentence[: max_chars - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head) + "…"


def split_sentences(text: str, *, min_chars: int = 12, max_chars: int = 400) -> list[str]:
    """Split ``text`` into sentences with the rules of the module docstring.

    Parameters
    ----------
    text : str
    min_chars : int, default 12
        Shorter pieces are merged into the previous sentence.
    max_chars : int, default 400
        Longer sentences are cut at a word boundary and end with "…".

    Returns
    -------
    list of str
        Non-empty sentences in text order; ``[]`` for a blank text.
    """
    out: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        pieces: list[str] = []
        start = 0
        for m in _BOUNDARY.finditer(line):
            piece = line[start : m.end(1)]
            if not _opens_sentence(line[m.end() :]):
                continue
            if m.group(1) == "." and _ends_with_abbreviation(piece):
                continue
            pieces.append(piece)
            start = m.end()
        pieces.append(line[start:])
        first = len(out)  # short pieces merge only within their line
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            if len(out) > first and len(piece) < min_chars:
                out[-1] = f"{out[-1]} {piece}"
                continue
            out.append(piece)
    return [_cut(s, max_chars) for s in out]
