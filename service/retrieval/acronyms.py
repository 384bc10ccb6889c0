"""Acronyms a question uses that no list knows, read from the documents themselves: "BCHQS xã" is the
"Ban Chỉ huy quân sự xã" the stored passages about the rest of the question name, "KVPT" their "khu
vực phòng thủ". Cadres type the initials of whatever phrase their field repeats; a fixed list
(ingest.tokenize.ABBREVIATIONS) holds the ones every field uses, and no list can hold every field's.

Written here, not taken from a library: the acronym detectors found (e.g. for English biomedical text)
look for a definition "long form (SF)" in the same text; a question has none, and Vietnamese acronyms
take one letter per syllable, which makes the match a plain walk over the passages' syllables.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.normalize import fold
from ingest.tokenize import ABBREVIATIONS, expand_abbreviations

# An acronym as typed: 3 to 7 capitals, maybe split by "-" or "&" ("QP-AN"). Two letters match too
# many phrases to say which; longer ones are names and numbers more than initials.
_TOKEN = re.compile(r"(?<![\w/-])([A-ZĐ](?:[-&]?[A-ZĐ]){2,6})(?![\w/-])")
_ROMAN = re.compile(r"^[IVXLC]+$")
# A run of syllables: letters only (digits and punctuation end a phrase: "quốc phòng, an ninh" is
# two phrases, "quốc phòng và an ninh" one with "và" in it — its initials are "qpvan").
_SYLLABLE = re.compile(r"[^\W\d_]+")
# How many passages the rest of the question brings, whose phrases are read. More finds a phrase the
# best passages do not hold, at the cost of one wider search per question that has an acronym.
PASSAGES = 20
# A phrase is taken only when it is seen this many times more than the next candidate: two phrases
# with the same initials equally often ("ban chỉ đạo" / "báo cáo định kỳ") say nothing of which.
MARGIN = 2.0


def unknown_acronyms(question: str) -> list[str]:
    """The question's capitalised initials that no abbreviation list expands (nor a document number's
    kind — "CT 21", "KH/HU" — nor a Roman numeral)."""
    out = []
    for m in _TOKEN.finditer(question):
        token = m.group(1)
        bare = re.sub(r"[-&]", "", token)
        if token.lower() in ABBREVIATIONS or bare.lower() in ABBREVIATIONS or _ROMAN.match(bare) \
                or expand_abbreviations(token) != token:  # "VPHU": two known ones joined
            continue
        out.append(token)
    return list(dict.fromkeys(out))


def initials(phrase: str) -> str:
    return "".join(fold(w)[0].lower() for w in _SYLLABLE.findall(phrase))


def phrases_for(acronym: str, texts: list[str]) -> Counter:
    """Every run of syllables in `texts` whose initials spell `acronym`, counted (as first written)."""
    key = fold(re.sub(r"[-&]", "", acronym)).lower()
    n = len(key)
    seen: Counter = Counter()
    written: dict[str, str] = {}
    for text in texts:
        for run in re.split(r"[^\w\s]|\d|_|\n", text):
            words = _SYLLABLE.findall(run)
            heads = "".join(fold(w)[0].lower() for w in words)
            start = heads.find(key)
            while start >= 0:
                phrase = " ".join(words[start:start + n])
                folded = fold(phrase).lower()
                written.setdefault(folded, phrase)
                seen[folded] += 1
                start = heads.find(key, start + 1)
    return Counter({written[k]: c for k, c in seen.items()})


def written_as(acronym: str, texts: list[str]) -> str | None:
    """The acronym as the texts write it with separators ("QP-AN" for a typed "QPAN"), when they do."""
    bare = fold(re.sub(r"[-&]", "", acronym)).lower()
    for text in texts:
        for m in _TOKEN.finditer(text):
            if m.group(1) != acronym and fold(re.sub(r"[-&]", "", m.group(1))).lower() == bare:
                return m.group(1)
    return None


# A place named by its initials after its unit: "Huyện VT", "xã HC" (two letters are enough here: the
# unit says a name follows, and only names after that unit are read).
_PLACE = re.compile(r"(?<![\w/-])(?P<unit>[Hh]uyện|[Hh]uyen|[Xx]ã|[Xx]a|[Tt]ỉnh|[Tt]inh|[Pp]hường|[Pp]huong)\s+"
                    r"(?P<acr>[A-ZĐ]{2,4})(?![\w/-])")


def place_for(unit: str, acronym: str, texts: list[str]) -> str | None:
    """The place after `unit` in the texts whose capitalised words' initials spell `acronym`."""
    n = len(acronym)
    # ("Huyện ủy Vĩnh Trạch" names the district "huyện Vĩnh Trạch")
    rx = re.compile(rf"(?<![\w]){re.escape(fold(unit).lower())}(?:\s+uy)?\s+((?:[a-z][a-z]*\s+){{{n - 1}}}[a-z]+)")
    seen: Counter = Counter()
    for text in texts:
        # folded for the unit, the original for the name's capitals (folding keeps every offset)
        for m in rx.finditer(fold(text).lower()):
            name = text[m.start(1):m.end(1)]
            if initials(name) == fold(acronym).lower() and all(w[0].isupper() for w in name.split()):
                seen[name] += 1
    ranked = seen.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < MARGIN * ranked[1][1]):
        return None
    return ranked[0][0]


def best_phrase(acronym: str, texts: list[str]) -> str | None:
    """The phrase the texts spell the acronym with, when one clearly dominates."""
    ranked = phrases_for(acronym, texts).most_common(2)
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[0][1] < MARGIN * ranked[1][1]:
        return None
    return ranked[0][0]


def expand(question: str, acronym: str, phrase: str) -> str:
    return re.sub(rf"(?<![\w/-]){re.escape(acronym)}(?![\w/-])", phrase, question)


def resolve(retriever, question: str, levels: list[str]) -> str:
    """The question with each unknown acronym spelled out as the passages about the rest of it spell
    it; unchanged when it has none, or when no phrase clearly answers one."""
    found = unknown_acronyms(question)
    places = [m for m in _PLACE.finditer(question) if m.group("acr").lower() not in ABBREVIATIONS]
    if not found and not places:
        return question
    from .query import parse_question

    rest = question
    for a in found + [m.group("acr") for m in places]:
        rest = expand(rest, a, " ")
    if not rest.strip():
        return question
    passages = retriever.search(retriever.lookup(parse_question(rest), levels), k=PASSAGES)
    texts = [f"{p.section_title or ''}\n{p.text}" for p in passages]
    plain = fold(question) == question  # typed without diacritics: spelled out without them too
    for m in places:
        if (name := place_for(m.group("unit"), m.group("acr"), texts)) is not None:
            question = expand(question, m.group("acr"), fold(name) if plain else name)
    for a in found:
        if (written := written_as(a, texts)) is not None:
            question = expand(question, a, written)  # an acronym, as the documents write it
        elif (phrase := best_phrase(a, texts)) is not None:
            question = expand(question, a, fold(phrase).lower() if plain else phrase)
    return question
