"""Metrics shared by every evaluation: the normalization of ../shared/eval/README.md, hit@k, MRR,
answer accuracy and why an answer is wrong."""
from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

from ingest.normalize import canonical


def norm(s: str) -> str:
    """NFC, one tone-mark placement, lower case, whitespace runs as one space, `*` removed."""
    return re.sub(r"\s+", " ", canonical(s).replace("*", "")).strip().lower()


def load_questions(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


# An item's own label ("b) ", "2. ", "- ") at the head of an evidence string: answers quote the item's
# text, not its label, so the label is no part of what must be cited.
_LABEL = re.compile(r"^\s*(?:[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*\.|[-+•])\s+")


def supports(text: str, evidence: list[str]) -> bool:
    t = norm(text)
    return any(norm(e) in t or norm(_LABEL.sub("", e)) in t for e in evidence)


def first_hit_rank(texts: list[str], evidence: list[str], k: int = 10) -> int | None:
    for rank, text in enumerate(texts[:k], 1):
        if supports(text, evidence):
            return rank
    return None


def retrieval_summary(ranks: list[int | None]) -> dict:
    n = len(ranks) or 1
    return {
        "n": len(ranks),
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= 10) / n,
    }


# Reasons an answer to an answerable question is wrong, as printed in the failure listing.
FALSE_ABSTENTION = "false abstention"
MISSING_ANSWER_HAS = "missing answer_has"
EVIDENCE_NOT_CITED = "evidence not in a cited quote"
FALSE_ANSWER = "false answer"


def missing_answer_has(answer: dict, q: dict) -> list[str]:
    """The `answer_has` strings found nowhere in the answer text, its quotes or its deadlines."""
    quotes = [c.get("quote", "") for c in answer.get("citations") or []]
    deadlines = [json.dumps(o.get("deadline"), ensure_ascii=False) for o in answer.get("obligations") or []]
    hay = norm(" ".join([answer.get("answer") or "", *quotes, *deadlines]))
    return [a for a in q.get("answer_has") or [] if norm(a) not in hay]


def evidence_cited(answer: dict, q: dict) -> bool:
    """At least one evidence string is inside a cited quote (true when the question lists none)."""
    if not q.get("evidence"):
        return True
    return any(supports(c.get("quote", ""), q["evidence"]) for c in answer.get("citations") or [])


def answer_failures(answer: dict, q: dict) -> list[str]:
    """Why `answer` is wrong for `q` (empty when it is right). Answerable: kind is not "none", every
    answer_has string is present, an evidence string is inside a cited quote. Unanswerable: kind "none"."""
    kind = answer.get("kind")
    if q.get("unanswerable"):
        return [] if kind == "none" else [f"{FALSE_ANSWER} (kind {kind!r} on an unanswerable question)"]
    if kind == "none":
        return [FALSE_ABSTENTION]
    reasons = []
    missing = missing_answer_has(answer, q)
    if missing:
        reasons.append(f"{MISSING_ANSWER_HAS}: " + "; ".join(repr(m) for m in missing))
    if not evidence_cited(answer, q):
        reasons.append(EVIDENCE_NOT_CITED)
    return reasons


def answer_correct(answer: dict, q: dict) -> bool:
    """kind is not "none", every answer_has string is present (answer text, quotes or deadlines),
    and at least one evidence string is inside a cited quote."""
    return not q.get("unanswerable") and not answer_failures(answer, q)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
