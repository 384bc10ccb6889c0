"""Question sets and their scores: what one question's search and answer gave (`Outcome`), and the
figures of a group of them (`summarize`) — per set, per kind, per document, overall.

Pure functions over the API's JSON (CONTRACT "Objects"): nothing here talks to the service."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .metrics import FALSE_ABSTENTION, answer_failures, first_hit_rank, load_questions, median, norm, percentile, \
    retrieval_summary

# A question without a `kind` is counted under its set's label; the first dev set (questions.jsonl)
# has none, and its figures are reported as "first-set".
SET_LABELS = {"questions": "first-set"}
CROSS_DOC = "cross"          # a question whose evidence spans several documents (`doc: null`, `docs: [...]`)
NO_DOC = "(no document)"     # unanswerable questions and others naming no document
# Answers longer than this many characters are counted (issue 14: a cadre reads a short answer).
LONG_ANSWER_CHARS = 1000
# Question kinds whose answers are lists by nature: the answer-length target (median ≤ 500
# characters) is measured outside them.
LIST_KINDS = frozenset({"list", "role"})


@dataclass
class QuestionSet:
    label: str
    path: Path
    questions: list[dict]


def set_label(path: Path) -> str:
    stem = path.name.removesuffix(".jsonl")
    return SET_LABELS.get(stem, stem)


def load_set(path: Path) -> QuestionSet:
    return QuestionSet(set_label(path), path, load_questions(path))


def kind_of(q: dict, set_label_: str) -> str:
    return q.get("kind") or set_label_


def doc_of(q: dict) -> str:
    """The document a question is about: its `doc`; "cross" when it names several (`docs`)."""
    if q.get("doc"):
        return q["doc"]
    docs = q.get("docs") or []
    if len(docs) > 1:
        return CROSS_DOC
    return docs[0] if docs else NO_DOC


@dataclass
class Outcome:
    """One question of one set, after one variant answered it."""
    set: str
    id: str
    kind: str
    doc: str
    question: str
    unanswerable: bool
    has_evidence: bool
    docs: list[str] = field(default_factory=list)  # the documents a several-document question needs
    searches: int = 0
    rank: int | None = None             # first /api/search hit holding an evidence string (1-based), None: not in top k
    answer_kind: str | None = None      # None: no answer (HTTP error)
    answer: str = ""
    failures: list[str] = field(default_factory=list)  # why the answer is wrong; empty: right
    quotes: list[str] = field(default_factory=list)
    cited_docs: list[str] = field(default_factory=list)
    deadlines: list[dict | None] = field(default_factory=list)
    search_top: list[dict] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    ask_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unstable: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return self.answer_kind is not None and not self.failures

    @property
    def answered(self) -> bool:
        return self.answer_kind not in (None, "none")

    def to_json(self) -> dict:
        return asdict(self) | {"right": self.right}


def new_outcome(q: dict, set_label_: str) -> Outcome:
    return Outcome(set=set_label_, id=q["id"], kind=kind_of(q, set_label_), doc=doc_of(q), question=q["question"],
                   unanswerable=bool(q.get("unanswerable")), has_evidence=bool(q.get("evidence")),
                   docs=list(q.get("docs") or []))


def record_search(o: Outcome, q: dict, hits: list[dict], k: int, excerpt: Callable[[str], str]) -> None:
    """The first search is the one scored; a later repeat ranking the evidence elsewhere is noted."""
    rank = first_hit_rank([h.get("text", "") for h in hits], q.get("evidence") or [], k)
    o.searches += 1
    if o.searches == 1:
        o.rank = rank
        o.search_top = [{"doc_number": h.get("doc_number"), "section": h.get("section"),
                         "score": h.get("score"), "text": excerpt(h.get("text", ""))} for h in hits[:3]]
    elif rank != o.rank:
        o.unstable.append(f"search rank {o.rank} then {rank}")


def record_answer(o: Outcome, q: dict, a: dict, excerpt: Callable[[str], str]) -> None:
    """The first answer is the one scored; a later repeat answering with another kind is noted."""
    if o.answer_kind is not None:
        if a.get("kind") != o.answer_kind:
            o.unstable.append(f"ask kind {o.answer_kind} then {a.get('kind')}")
        return
    o.answer_kind = a.get("kind")
    o.answer = a.get("answer") or ""
    o.failures = answer_failures(a, q)
    cits = a.get("citations") or []
    o.quotes = [excerpt(c.get("quote", "")) for c in cits]
    o.cited_docs = sorted({c.get("doc_number") or "" for c in cits} - {""})
    o.deadlines = [ob.get("deadline") for ob in (a.get("obligations") or [])[:10]]


# ----------------------------------------------------------------------------------------------
# Summaries
# ----------------------------------------------------------------------------------------------


def _lat(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values) if values else float("nan")}


def length_summary(outcomes: Iterable[Outcome]) -> dict:
    """Answer lengths (characters of `answer`) over the answers given (kind not "none"): median,
    max, how many over LONG_ANSWER_CHARS, and the median outside list and role questions."""
    given = [o for o in outcomes if o.answered]
    lengths = [len(o.answer) for o in given]
    short_kinds = [len(o.answer) for o in given if o.kind not in LIST_KINDS]
    return {"n": len(lengths), "median": median(lengths), "max": max(lengths) if lengths else float("nan"),
            "over_limit": sum(1 for n in lengths if n > LONG_ANSWER_CHARS), "limit": LONG_ANSWER_CHARS,
            "median_outside_list_role": median(short_kinds), "n_outside_list_role": len(short_kinds)}


def summarize(outcomes: list[Outcome]) -> dict:
    """Figures of a group of questions. accuracy: right answers over the answerable ones; right_all:
    right answers over every question (an abstention on an unanswerable question is right)."""
    answerable = [o for o in outcomes if not o.unanswerable]
    unanswerable = [o for o in outcomes if o.unanswerable]
    correct = sum(1 for o in answerable if o.right)
    right_all = sum(1 for o in outcomes if o.right)
    return {
        "n": len(outcomes),
        "retrieval": retrieval_summary([o.rank for o in outcomes if o.has_evidence]),
        "answerable": len(answerable), "correct": correct,
        "accuracy": correct / len(answerable) if answerable else float("nan"),
        "right_all": right_all, "accuracy_all": right_all / len(outcomes) if outcomes else float("nan"),
        "unanswerable": len(unanswerable),
        "abstained": sum(1 for o in unanswerable if o.answer_kind == "none"),
        "false_abstentions": sum(1 for o in answerable if FALSE_ABSTENTION in o.failures),
        "false_answers": sum(1 for o in unanswerable if o.answered),
        "no_answer": sum(1 for o in outcomes if o.answer_kind is None),
        "latency": {"ask_ms": _lat([ms for o in outcomes for ms in o.ask_ms]),
                    "search_ms": _lat([ms for o in outcomes for ms in o.search_ms])},
        "length": length_summary(outcomes),
        "cites_every_doc": dict(zip(("answers", "questions"), cross_citing(outcomes))),
    }


def group_by(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[key(o)].append(o)
    return dict(groups)


def breakdowns(outcomes: list[Outcome]) -> dict:
    """Overall, per set, per kind, per document."""
    return {
        "overall": summarize(outcomes),
        "per_set": {k: summarize(v) for k, v in group_by(outcomes, lambda o: o.set).items()},
        "per_kind": {k: summarize(v) for k, v in group_by(outcomes, lambda o: o.kind).items()},
        "per_doc": {k: summarize(v) for k, v in group_by(outcomes, lambda o: o.doc).items()},
    }


def failure_reasons(o: Outcome) -> list[str]:
    """Why a question is listed as failing: its answer's failures, plus a retrieval miss (no
    evidence in the top k of /api/search) and HTTP errors."""
    reasons = list(o.failures)
    if o.answer_kind is None:
        reasons.append("no answer (" + ("; ".join(o.errors) or "request failed") + ")")
    if o.has_evidence and o.rank is None:
        reasons.insert(0, "retrieval miss (no evidence in the top hits of /api/search)")
    uncited = docs_not_cited(o)
    if uncited and o.answered:
        reasons.append("documents needed but not cited: " + ", ".join(uncited))
    return reasons


def docs_not_cited(o: Outcome) -> list[str]:
    """The documents a several-document question names (`docs`) that its answer does not cite."""
    cited = {norm(d) for d in o.cited_docs}
    return [d for d in o.docs if norm(d) not in cited] if len(o.docs) > 1 else []


def cross_citing(outcomes: list[Outcome]) -> tuple[int, int]:
    """(answers citing every document their several-document question names, such questions)."""
    multi = [o for o in outcomes if len(o.docs) > 1]
    return sum(1 for o in multi if o.answered and not docs_not_cited(o)), len(multi)


def failing(outcomes: list[Outcome]) -> list[Outcome]:
    """Questions answered wrong (false abstention, false answer, missing strings, uncited evidence)
    or not answered at all."""
    return [o for o in outcomes if not o.right]
