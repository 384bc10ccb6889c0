"""Metrics shared by every evaluation: the normalization of ../shared/eval/README.md, hit@k, MRR,
answer accuracy."""
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


def supports(text: str, evidence: list[str]) -> bool:
    t = norm(text)
    return any(norm(e) in t for e in evidence)


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


def answer_correct(answer: dict, q: dict) -> bool:
    """kind is not "none", every answer_has string is present (answer text, quotes or deadlines),
    and at least one evidence string is inside a cited quote."""
    if answer.get("kind") == "none":
        return False
    quotes = [c.get("quote", "") for c in answer.get("citations", [])]
    deadlines = [json.dumps(o.get("deadline"), ensure_ascii=False) for o in answer.get("obligations", [])]
    hay = norm(" ".join([answer.get("answer", ""), *quotes, *deadlines]))
    if not all(norm(a) in hay for a in q.get("answer_has", [])):
        return False
    return any(supports(qt, q["evidence"]) for qt in quotes) if q.get("evidence") else True


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
