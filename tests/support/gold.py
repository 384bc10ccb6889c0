"""Gold duties against extracted obligations: found, right windows, wrong windows, precision, actors.

The gold files are `../shared/eval/obligations.jsonl` (shipped corpus) and `obligations-dev.jsonl`
(`corpus-dev/`): one duty a line with `doc` (number), `evidence` (a verbatim fragment of its
sentence), `deadline` {text, start, end, class?, relative?, recurrence?} and `actors_include`.

This module does not import `ingest` at import time: `evaluate` takes any objects shaped like
`ingest.models.Document` (number, text, obligations with start/end/deadline/actors/actor_refs), so the
eval harness can fold it in. `main()` (python tests/support/gold.py) builds the documents with ingest
and prints the report per document.

Matching rules (written down so the figures mean something):
- a gold duty is *found* by an obligation whose quote contains its evidence (accent-folded, case and
  spacing ignored), or whose quote lies inside the evidence and holds the deadline text;
- its window is *right* when start, end and class equal the gold's and the obligation's deadline text
  overlaps the gold text in the document; *wrong* when a finding obligation has a deadline and none
  of the finding obligations has the right one; *missing* otherwise;
- a *dated* obligation is one whose deadline has a start, an end or a relative/event anchor; it is
  *matched* when it is the right finding of a gold duty, or when its deadline is inherited
  (`deadline_source`) from a gold duty's sentence with that duty's window;
- actors: each `actors_include` name must be among the obligation's actor names (as written, or
  canonical), compared folded, a leading "các/những/mỗi" ignored; a name listing several ("huyện ủy,
  thị ủy, thành ủy") passes when each listed name is there.
"""
from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[2]


def shared_eval_dir() -> Path | None:
    """`../shared/eval` beside the clone (CI), or beside an ancestor of it (a git worktree);
    SOTAY_SHARED_EVAL names it elsewhere."""
    env = os.environ.get("SOTAY_SHARED_EVAL")
    if env and Path(env).is_dir():
        return Path(env)
    for base in (ROOT, *ROOT.parents):
        cand = base.parent / "shared" / "eval"
        if cand.is_dir():
            return cand
    return None


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------------------- keys


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def key(text: str) -> str:
    """Folded, lower case, spacing collapsed, `*` dropped (the README's normalization, folded)."""
    return re.sub(r"\s+", " ", _fold(text).replace("*", "")).strip().lower()


def _name_key(text: str) -> str:
    return re.sub(r"^(?:cac|nhung|moi)\s+", "", key(text))


def _pattern(text: str) -> re.Pattern[str]:
    """The gold text as a regex over the folded document: spacing and case free."""
    parts = [re.escape(p) for p in key(text).split(" ") if p]
    return re.compile(r"\s+".join(parts))


def _iso(d: Any) -> str | None:
    return d.isoformat() if d else None


def deadline_class(d: Any) -> str:
    """The deadline's class; before `Deadline.kind` exists, inferred from the older fields."""
    kind = getattr(d, "kind", None)
    if kind:
        return kind
    if getattr(d, "recurrence", None) == "thường xuyên":
        return "ongoing"
    if getattr(d, "recurrence", None):
        return "recurring"
    if getattr(d, "relative", None):
        return "relative"
    return "dated"


def is_dated(d: Any) -> bool:
    return d is not None and bool(d.start or d.end or getattr(d, "relative", None) or getattr(d, "event", None))


def actor_names(o: Any) -> list[str]:
    """The obligation's actors: each as named and as written (ActorRef name and text), and canonical."""
    names: list[str] = []
    for r in getattr(o, "actor_refs", []) or []:
        for f in ("name", "text"):
            v = getattr(r, f, None) if not isinstance(r, dict) else r.get(f)
            if v:
                names.append(v)
    return list(dict.fromkeys(names + list(o.actors)))


def actors_ok(o: Any, wanted: str) -> bool:
    names = [_name_key(n) for n in actor_names(o)]
    joined = ", ".join(names)
    w = _name_key(wanted)
    if w in joined:
        return True
    parts = [_name_key(p) for p in re.split(r",\s*|\s+va\s+", w) if p.strip()]
    return bool(parts) and all(any(p in n for n in names) for p in parts)


# --------------------------------------------------------------------------------------- report


@dataclass
class Finding:
    gold: dict
    status: str  # right | wrong | missing
    obligation: Any = None
    got: str = ""  # what was found, for the listing
    actors_missing: list[str] = field(default_factory=list)


@dataclass
class DocReport:
    number: str
    findings: list[Finding] = field(default_factory=list)
    dated: int = 0
    unmatched: list[Any] = field(default_factory=list)  # dated obligations matching no gold duty
    text: str = ""

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)

    @property
    def precision(self) -> float:
        return 1.0 if not self.dated else (self.dated - len(self.unmatched)) / self.dated


def _describe(d: Any) -> str:
    if d is None:
        return "no deadline"
    extra = getattr(d, "relative", None) or getattr(d, "event", None) or ""
    return f"{d.text!r} {_iso(d.start)}..{_iso(d.end)} {deadline_class(d)}" + (f" ({extra})" if extra else "")


def _window_right(doc: Any, o: Any, want: dict) -> bool:
    d = o.deadline
    if d is None:
        return False
    if _iso(d.start) != want.get("start") or _iso(d.end) != want.get("end"):
        return False
    if want.get("class") and deadline_class(d) != want["class"]:
        return False
    # the deadline text overlaps the gold text in the document
    folded = key_same_length(doc.text)
    lo, hi = o.start, o.end
    if getattr(o, "deadline_source", None):
        lo, hi = min(lo, o.deadline_source[0]), max(hi, o.deadline_source[1])
    gold_spans = [(m.start() + lo, m.end() + lo) for m in _pattern(want["text"]).finditer(folded[lo:hi])]
    span = getattr(d, "span", None)
    if span is not None and gold_spans:
        return any(a < span.end and span.start < b for a, b in gold_spans)
    return key(want["text"]) in key(d.text) or key(d.text) in key(want["text"])


def key_same_length(text: str) -> str:
    """Folded lower-case text with one character per input character (for span arithmetic)."""
    out = []
    for c in text:
        f = _fold(c).lower()
        out.append(f if len(f) == 1 else c.lower()[:1] or " ")
    return "".join(" " if c.isspace() else c for c in out)


def _finds(doc: Any, o: Any, gold: dict) -> bool:
    quote = key(doc.text[o.start:o.end]).rstrip(" .;:,")
    ev = key(gold["evidence"])
    if ev in quote:
        return True
    return len(quote) >= 20 and quote in ev and key(gold["deadline"]["text"]) in quote


def evaluate_document(doc: Any, gold: list[dict]) -> DocReport:
    rep = DocReport(number=doc.number or doc.source, text=doc.text)
    right_ids: set[int] = set()
    for g in gold:
        cands = [o for o in doc.obligations if _finds(doc, o, g)]
        right = [o for o in cands if _window_right(doc, o, g["deadline"])]
        if right:
            # the right finding with the most of the wanted actors
            best = max(right, key=lambda o: sum(actors_ok(o, a) for a in g.get("actors_include", [])))
            missing = [a for a in g.get("actors_include", []) if not actors_ok(best, a)]
            rep.findings.append(Finding(g, "right", best, _describe(best.deadline), missing))
            right_ids.update(id(o) for o in right)
        elif any(o.deadline is not None for o in cands):
            shown = "; ".join(_describe(o.deadline) for o in cands if o.deadline is not None)
            rep.findings.append(Finding(g, "wrong", cands[0], shown))
        else:
            rep.findings.append(Finding(g, "missing", cands[0] if cands else None,
                                        "no obligation quotes it" if not cands else "found, no deadline"))
    for o in doc.obligations:
        if not is_dated(o.deadline):
            continue
        rep.dated += 1
        if id(o) in right_ids:
            continue
        src = getattr(o, "deadline_source", None)
        if src:
            source_text = key(doc.text[src[0]:src[1]])
            if any(key(g["evidence"]) in source_text and _iso(o.deadline.start) == g["deadline"].get("start")
                   and _iso(o.deadline.end) == g["deadline"].get("end") for g in gold):
                continue
        rep.unmatched.append(o)
    return rep


def evaluate(docs: Iterable[Any], gold: list[dict]) -> list[DocReport]:
    """One report per document that has gold duties (documents without any are reported too, so
    their dated obligations count against precision)."""
    by_number: dict[str, list[dict]] = {}
    for g in gold:
        by_number.setdefault(key(g["doc"]), []).append(g)
    return [evaluate_document(d, by_number.get(_doc_key(d, by_number), [])) for d in docs]


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", key(text)).strip("-")


def _doc_key(doc: Any, numbers: dict[str, list[dict]]) -> str:
    """The document's number; failing that (a reader that missed it), the number its file is named by."""
    if doc.number:
        return key(doc.number)
    source = _slug(getattr(doc, "source", "") or "")
    return next((n for n in numbers if source.startswith(_slug(n) + "-")), "")


def format_reports(reports: list[DocReport], *, verbose: bool = True) -> str:
    lines = []
    tot = {"gold": 0, "right": 0, "wrong": 0, "missing": 0, "dated": 0, "unmatched": 0, "actors": 0}
    for r in reports:
        n = len(r.findings)
        actors_bad = sum(1 for f in r.findings if f.status == "right" and f.actors_missing)
        lines.append(f"{r.number}: gold {n}, right {r.count('right')}, wrong {r.count('wrong')}, "
                     f"missing {r.count('missing')}, actors missing {actors_bad}; dated obligations {r.dated}, "
                     f"matching no gold duty {len(r.unmatched)} (precision {r.precision:.3f})")
        for k, v in (("gold", n), ("right", r.count("right")), ("wrong", r.count("wrong")),
                     ("missing", r.count("missing")), ("dated", r.dated), ("unmatched", len(r.unmatched)),
                     ("actors", actors_bad)):
            tot[k] += v
        if verbose:
            for f in r.findings:
                if f.status != "right":
                    lines.append(f"  {f.status.upper():8} {f.gold['id']}: want {f.gold['deadline']['text']!r} "
                                 f"{f.gold['deadline'].get('start')}..{f.gold['deadline'].get('end')} "
                                 f"{f.gold['deadline'].get('class', '')}; got {f.got}")
                elif f.actors_missing:
                    lines.append(f"  ACTORS   {f.gold['id']}: missing {f.actors_missing}; has {actor_names(f.obligation)}")
            for o in r.unmatched:
                quote = r.text[o.start:o.end]
                lines.append(f"  EXTRA    {_describe(o.deadline)} ← {quote[:110]!r}")
    prec = 1.0 if not tot["dated"] else (tot["dated"] - tot["unmatched"]) / tot["dated"]
    lines.append(f"TOTAL: gold {tot['gold']}, right {tot['right']}, wrong {tot['wrong']}, missing {tot['missing']}, "
                 f"actors missing {tot['actors']}; dated {tot['dated']}, matching no gold {tot['unmatched']} "
                 f"(precision {prec:.3f})")
    return "\n".join(lines)


def build_corpora() -> list[Any]:
    """The shipped corpus and `corpus-dev/`, built with ingest (imported here, not at module load)."""
    from ingest.pipeline import build_document
    from ingest.readers import iter_sources, read_path

    folders = [ROOT / "corpus"]
    shared = shared_eval_dir()
    if shared is not None:
        folders.append(shared / "corpus-dev")
    return [build_document(read_path(p)) for p in iter_sources(folders)]


def all_gold() -> list[dict]:
    shared = shared_eval_dir()
    if shared is None:
        return []
    return [g for name in ("obligations.jsonl", "obligations-dev.jsonl") if (shared / name).exists()
            for g in load_gold(shared / name)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    reports = evaluate(build_corpora(), all_gold())
    print(format_reports(reports, verbose="-q" not in argv))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
