"""Follow-up questions in a conversation: "còn kế hoạch cá nhân thì sao?", "Điều 3 thì sao?", "hạn
của việc đó?", "ai ký văn bản đó?". A follow-up that leaves out what it is about is rewritten into a
whole question from the previous turn (its question and the answer the service gave), and that whole
question is what gets parsed — once — and answered; the answer says how the follow-up was read.

The server keeps no conversation: the client sends the earlier turns (API `history`), so any
replica can answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold
from ingest.tokenize import syllables

from .cues import STOP_SYLLABLES
from .query import parse_question

# "còn X thì sao?", "thế còn X?", "vậy X thì sao?", "X thì sao?", "còn X?", "X thì thế nào?"
_SWAP = re.compile(
    r"^\W*(?:(?:the|vay|con|va)\s+)*(?:con\s+)?(?P<x>.+?)\s*(?:thi\s+(?:sao|the nao|ra sao|nhu the nao)|thi\s*\??)\s*[?.!]*\s*$"
    r"|^\W*(?:the\s+|vay\s+)?con\s+(?P<y>.+?)\s*[?.!]*\s*$"
)
# "việc đó", "việc này", "nhiệm vụ đó": a duty of the previous answer
_THAT_DUTY = re.compile(r"(?<![0-9a-z])(?:viec|nhiem vu|cong viec|viec lam)\s+(?:do|nay|ay|tren)(?![0-9a-z])")
# "văn bản đó", "kế hoạch này", "nó": a document of the previous answer
_THAT_DOC = re.compile(r"(?<![0-9a-z])(?:(?:van ban|ke hoach|quy dinh|chi thi|ket luan|huong dan|nghi quyet|thong bao)"
                       r"\s+(?:do|nay|ay|tren)|no)(?![0-9a-z])")
# A follow-up is short: longer questions say what they are about.
FOLLOWUP_MAX_SYLLABLES = 12
# The words of a duty or quote put in place of "việc đó".
REFERENT_WORDS = 14


@dataclass(frozen=True)
class Turn:
    question: str
    answer: dict


@dataclass(frozen=True)
class Reading:
    question: str  # what is answered: the follow-up made whole, or the question as typed
    note: str | None = None  # "Hiểu câu hỏi là: …" when rewritten


def _doc_label(answer: dict) -> str | None:
    """The number of the first document the previous answer cites."""
    return next((c["doc_number"] for c in answer.get("citations") or [] if c.get("doc_number")), None)


def _first_words(text: str, n: int) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _referent_duty(answer: dict) -> str | None:
    for o in answer.get("obligations") or []:
        if o.get("action"):
            return _first_words(o["action"], REFERENT_WORDS)
    for c in answer.get("citations") or []:
        return _first_words(c["quote"], REFERENT_WORDS)
    return None


def _swap(previous: str, new: str) -> str:
    """The previous question with its subject replaced by the follow-up's: the run of previous
    syllables that starts where the new words start ("kế hoạch tập thể" → "kế hoạch cá nhân")."""
    prev_words = previous.split()
    new_words = new.split()
    first = fold(new_words[0]).lower()
    for i, w in enumerate(prev_words):
        if fold(w).lower().strip(",.?") == first:
            end = min(len(prev_words), i + len(new_words))
            return " ".join(prev_words[:i] + new_words + prev_words[end:])
    return f"{previous.rstrip(' ?')} — {new}?"


def read(question: str, history: list[Turn]) -> Reading:
    """The question to answer, given the earlier turns (oldest first)."""
    if not history:
        return Reading(question)
    last = history[-1]
    low = fold(question).lower()
    size = len(set(syllables(question)) - STOP_SYLLABLES)
    q = parse_question(question)
    prev = parse_question(last.question)
    doc = _doc_label(last.answer)
    # 1. "còn X thì sao?": the previous question about X.
    m = _SWAP.match(low)
    if m and size <= FOLLOWUP_MAX_SYLLABLES:
        x = m.group("x") or m.group("y")
        start = low.find(x)
        new = question[start:start + len(x)].strip(" ,")
        if new and not parse_question(new).sections:
            whole = _swap(last.question, new)
            return Reading(whole, f"Hiểu câu hỏi là: “{whole}”")
    # 2. "việc đó" / "văn bản đó": what the previous answer was about.
    duty = _THAT_DUTY.search(low)
    if duty and (ref := _referent_duty(last.answer)):
        whole = question[:duty.start()] + f"việc “{ref}”" + question[duty.end():]
        return Reading(whole, f"Hiểu câu hỏi là: “{whole}”")
    that_doc = _THAT_DOC.search(low)
    if that_doc and doc and not q.named:
        whole = question[:that_doc.start()] + f"văn bản {doc}" + question[that_doc.end():]
        return Reading(whole, f"Hiểu câu hỏi là: “{whole}”")
    # 3. A short question naming no document after one that did ("Điều 3 thì sao?", "ai ký?"):
    #    the same document.
    if not q.named and (prev.named or doc) and (q.sections or q.asks or size <= 3):
        name = (prev.expanded[prev.named[0].span[0]:prev.named[0].span[1]] if prev.named else None) or doc
        if name:
            core = re.sub(r"\s*(?:thì\s+sao|thì\s+thế\s+nào)?\s*[?.!]*\s*$", "", question, flags=re.I)
            whole = f"{core} {name}?" if q.asks else f"{core} của {name}" + ("" if q.sections else "?")
            if q.sections and not q.asks and not q.topic_syllables:
                whole += " nói gì?"
            return Reading(whole, f"Hiểu câu hỏi là: “{whole}”")
    return Reading(question)
