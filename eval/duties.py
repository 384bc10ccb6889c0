"""Duties with a time, scored against the gold files (issue 13 item 5): `../shared/eval/obligations.jsonl`
(shipped corpus) and `obligations-dev.jsonl` (corpus-dev), one gold duty a line:
`{id, doc, evidence, deadline: {text, start, end, class?, relative?, recurrence?}, actors_include}`.

A returned obligation (CONTRACT `Obligation`, from `GET /api/obligations`) *holds* a gold duty when
the gold's evidence is inside its citation quote or inside its `deadline_citation` quote (a duty
dated by its section's completion sentence cites that sentence there). It *matches* the gold duty
when it holds it and its window agrees (`window_matches`). Each gold duty is then
- right: some returned obligation matches it;
- wrong window: none matches, but one holding it carries another time;
- missing: no returned obligation holding it carries a time.
A returned obligation with a time (`has_time`) that matches no gold duty is either a wrong window
(it holds a gold duty's evidence) or an extra: a date, recurrence, event or relative deadline that
no gold duty has. Precision (issue 13: "precision of dated obligations") = matched dated
obligations / dated obligations (a start or an end); recall = right gold duties / gold duties.
Undated times no gold duty has (a recurrence, an event) are counted and listed apart: the shipped
corpus's gold lists its dated duties only, corpus-dev's every timed one.

Pure functions over JSON: nothing here talks to the service."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .metrics import norm

# Two time phrases (a relative anchor, a recurrence, an event) describe the same time when they
# share at least this share of the shorter one's words, at least MIN_SHARED_WORDS words, and every
# number of the gold's phrase. Lower accepts looser paraphrases of the anchor; higher demands the
# gold's own wording (the service quotes the text; the gold sometimes paraphrases it).
TEXT_OVERLAP = 0.5
MIN_SHARED_WORDS = 2
# Deadline classes (INTERFACES.md `Deadline.kind`, JSON "class") that are a time without a date.
UNDATED_TIME_CLASSES = frozenset({"recurring", "event", "relative"})

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")
_PARENS = re.compile(r"\([^()]*\)")


def deadline_of(ob: dict) -> dict:
    return ob.get("deadline") or {}


def quotes_of(ob: dict) -> list[str]:
    """The citation quote and, when the deadline came from another sentence, that sentence's quote."""
    return [c.get("quote") or "" for c in (ob.get("citation"), ob.get("deadline_citation")) if c]


def has_time(ob: dict) -> bool:
    """A date, a window, a relative deadline, an event, a recurrence: what precision is counted over
    (a duty marked "thường xuyên" or a vague one, with no date, is not)."""
    d = deadline_of(ob)
    return bool(d.get("start") or d.get("end") or d.get("relative") or d.get("event") or d.get("rrule")
                or ob.get("recurrence") or d.get("class") in UNDATED_TIME_CLASSES)


def is_dated(ob: dict) -> bool:
    d = deadline_of(ob)
    return bool(d.get("start") or d.get("end"))


# A quote this long that lies inside a gold duty's evidence and holds its time phrase is that duty
# cut at its clause ("báo cáo đột xuất khi có yêu cầu." of the evidence "tổ chức thực hiện nghiêm
# túc, hiệu quả; báo cáo đột xuất khi có yêu cầu"): a duty per clause quotes its own clause only.
# Shorter quotes could be any fragment. Same rule as tests/support/gold.py.
MIN_CLAUSE_QUOTE = 20


def holds(ob: dict, gold: dict) -> bool:
    ev = norm(gold["evidence"])
    when = norm((gold.get("deadline") or {}).get("text") or "")
    for q in quotes_of(ob):
        q = norm(q)
        if ev in q:
            return True
        clause = q.rstrip(" .;:,")
        if when and len(clause) >= MIN_CLAUSE_QUOTE and clause in ev and when in clause:
            return True
    return False


def _words(text: str) -> set[str]:
    return set(_WORD.findall(norm(text)))


def _numbers(text: str) -> set[int]:
    return {int(n) for n in _NUMBER.findall(text)}


def texts_overlap(gold_text: str | None, candidates: list[str | None]) -> bool:
    """Does any candidate phrase describe the same time as the gold's phrase? The gold's remarks in
    parentheses ("(ngày họp không nêu)", "(14/02/2025)") are not part of the phrase."""
    if not gold_text:
        return False
    gold = _PARENS.sub(" ", gold_text)
    g, g_nums = _words(gold), _numbers(gold)
    if not g:
        return False
    for cand in candidates:
        if not cand:
            continue
        c = _words(cand)
        shared = g & c
        if not c or len(shared) < min(MIN_SHARED_WORDS, len(g)) or not g_nums <= _numbers(cand):
            continue
        if len(shared) / min(len(g), len(c)) >= TEXT_OVERLAP:
            return True
    return False


def window_matches(ob: dict, gold: dict) -> bool:
    """start and end equal; the class equal when both sides carry one; a relative deadline's anchor
    overlapping the gold's; a time without start or end (a recurrence, an event) stated alike."""
    d, w = deadline_of(ob), gold.get("deadline") or {}
    if not d and not ob.get("recurrence"):
        return False
    if d.get("start") != w.get("start") or d.get("end") != w.get("end"):
        return False
    if w.get("class") and d.get("class") and w["class"] != d["class"]:
        return False
    said = [d.get("relative"), d.get("event"), d.get("text"), ob.get("recurrence")]
    if w.get("relative"):
        return texts_overlap(w["relative"], said)
    if not w.get("start") and not w.get("end"):
        return texts_overlap(w.get("text"), said) or texts_overlap(w.get("recurrence"), said)
    return True


# Words that say how many, not who: "Các chi, đảng bộ cơ sở" is named "chi, đảng bộ cơ sở", "Ủy ban
# kiểm tra các huyện ủy" "Ủy ban kiểm tra huyện ủy" (as tests/support/gold.py compares them).
_DETERMINERS = re.compile(r"(?<!\w)(?:các|những|mỗi)\s+")


def _actor_key(text: str) -> str:
    return _DETERMINERS.sub("", norm(text))


def actors_missing(hits: list[dict], wanted: list[str]) -> list[str]:
    """The `actors_include` names found in no matching obligation's actors. "cán bộ, đảng viên" is
    found whole, or as its comma-separated parts ("cán bộ", "đảng viên"); "các", "những", "mỗi" are
    not part of a name."""
    actors = _actor_key(" | ".join(a for o in hits for a in o.get("actors") or []))
    return [a for a in wanted
            if not (_actor_key(a) in actors or all(_actor_key(part) in actors for part in a.split(",") if part.strip()))]


def window_text(d: dict | None, recurrence: str | None = None) -> str:
    """A deadline in one line: "trước ngày 15/01/2024" → ..2024-01-15 [dated] (relative …)."""
    if not d and not recurrence:
        return "no time"
    d = d or {}
    span = f"{d.get('start') or ''}..{d.get('end') or ''}"
    extra = [f"[{d['class']}]" if d.get("class") else "",
             f"rel: {d['relative']}" if d.get("relative") else "",
             f"event: {d['event']}" if d.get("event") else "",
             f"rrule: {d['rrule']}" if d.get("rrule") else "",
             f"recurrence: {recurrence}" if recurrence else ""]
    return f"\"{d.get('text') or ''}\" → {span} " + " ".join(x for x in extra if x)


@dataclass
class GoldResult:
    id: str
    doc: str
    evidence: str
    expected: dict
    status: str                      # "right" | "wrong window" | "missing"
    actors_checked: bool = False
    actors_missing: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)  # what came back for the same evidence (wrong / missing)


@dataclass
class ReturnedOut:
    """A timed obligation that matches no gold duty."""
    doc: str
    status: str                      # "wrong window" | "extra"
    dated: bool                      # a start or an end (else a recurrence, an event, a relative time)
    window: str
    quote: str
    gold_ids: list[str] = field(default_factory=list)


def _excerpt(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class StoredDoc:
    """A document in the store: its id, its number as the service read it, its text."""
    doc_id: str
    number: str | None
    text: str


def doc_labels(gold: list[dict], stored: list[StoredDoc]) -> dict[str, str]:
    """doc_id → the label duties are reported under: the gold files' number for a document holding a
    gold duty's evidence (the gold is right about a number the service may have misread), else the
    service's number, else the doc_id."""
    labels = {}
    for d in stored:
        text = norm(d.text)
        named = next((g["doc"] for g in gold if norm(g["evidence"]) in text), None)
        labels[d.doc_id] = named or d.number or d.doc_id
    return labels


def _doc_of(ob: dict, labels: dict[str, str]) -> str:
    c = ob.get("citation") or {}
    return labels.get(c.get("doc_id") or "") or c.get("doc_number") or c.get("doc_id") or ""


def score_duties(returned: list[dict], gold: list[dict], stored: list[StoredDoc] | None = None) -> dict:
    """Gold duties right / wrong window / missing, actors of the right ones, and the timed returned
    obligations no gold duty has, per document and overall. With `stored` (the documents in the
    store), a gold duty whose evidence is in no stored text is left out (its corpus was not
    ingested) and counted as skipped."""
    labels = doc_labels(gold, stored) if stored is not None else {}
    if stored is not None:
        texts = [norm(d.text) for d in stored]
        skipped = [g for g in gold if not any(norm(g["evidence"]) in t for t in texts)]
        gold = [g for g in gold if g not in skipped]
    else:
        skipped = []
    with_time = [o for o in returned if deadline_of(o) or o.get("recurrence")]
    results: list[GoldResult] = []
    matched_ids: set[int] = set()
    for g in gold:
        holding = [o for o in with_time if holds(o, g)]
        hits = [o for o in holding if window_matches(o, g)]
        matched_ids.update(id(o) for o in hits)
        status = "right" if hits else ("wrong window" if any(has_time(o) for o in holding) else "missing")
        r = GoldResult(id=g.get("id", ""), doc=g["doc"], evidence=g["evidence"], expected=g.get("deadline") or {},
                       status=status)
        if hits and g.get("actors_include"):
            r.actors_checked = True
            r.actors_missing = actors_missing(hits, g["actors_include"])
        if not hits:
            r.returned = [window_text(deadline_of(o), o.get("recurrence")) for o in holding] or \
                         [window_text(deadline_of(o), o.get("recurrence")) for o in returned if holds(o, g)]
        results.append(r)

    timed = [o for o in returned if has_time(o)]
    outs: list[ReturnedOut] = []
    for o in timed:
        if id(o) in matched_ids:
            continue
        held = [g.get("id", "") for g in gold if holds(o, g)]
        outs.append(ReturnedOut(doc=_doc_of(o, labels), status="wrong window" if held else "extra", dated=is_dated(o),
                                window=window_text(deadline_of(o), o.get("recurrence")),
                                quote=_excerpt((o.get("citation") or {}).get("quote") or "", 200), gold_ids=held))

    docs = sorted({r.doc for r in results} | {_doc_of(o, labels) for o in timed})
    per_doc = {}
    for doc in docs:
        rs = [r for r in results if r.doc == doc]
        ts = [o for o in timed if _doc_of(o, labels) == doc]
        per_doc[doc] = _figures(rs, ts, matched_ids, [x for x in outs if x.doc == doc])
    return {
        "overall": _figures(results, timed, matched_ids, outs),
        "per_doc": per_doc,
        "gold": [asdict(r) for r in results],
        "unmatched": [asdict(x) for x in outs],
        "skipped_gold": [g.get("id", "") for g in skipped],
        "returned": len(returned),
    }


def _figures(results: list[GoldResult], timed: list[dict], matched_ids: set[int], outs: list[ReturnedOut]) -> dict:
    right = sum(1 for r in results if r.status == "right")
    dated = [o for o in timed if is_dated(o)]
    matched = sum(1 for o in dated if id(o) in matched_ids)
    checked = [r for r in results if r.actors_checked]
    return {
        "gold": len(results), "right": right,
        "wrong": sum(1 for r in results if r.status == "wrong window"),
        "missing": sum(1 for r in results if r.status == "missing"),
        "actors_checked": len(checked), "actors_ok": sum(1 for r in checked if not r.actors_missing),
        "timed": len(timed), "dated": len(dated), "matched_dated": matched,
        "matched_timed": sum(1 for o in timed if id(o) in matched_ids),
        "wrong_returned": sum(1 for x in outs if x.status == "wrong window"),
        "extra_dated": sum(1 for x in outs if x.status == "extra" and x.dated),
        "extra_undated": sum(1 for x in outs if x.status == "extra" and not x.dated),
        "precision": matched / len(dated) if dated else float("nan"),
        "recall": right / len(results) if results else float("nan"),
    }
