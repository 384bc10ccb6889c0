"""Check question sets and gold-duty files against the documents they are written on, before they
are used: every `evidence` string must be an exact substring of one document of the corpora given
(after Unicode NFC only — no case folding, no whitespace collapsing: a quote the service returns is
`document.text[start:end]`, so a gold string that differs by a space is a gold bug, not a miss).

    python -m eval.check_questions --corpus corpus ../shared/eval/corpus-dev eval/corpus-redteam \
        --questions eval/questions/redteam.jsonl --obligations eval/questions/redteam-obligations.jsonl

Questions: ids unique; `kind` one of KINDS; an unanswerable question has no evidence and no
answer_has; an answerable one has both; its evidence lies in the document(s) its `doc` / `docs`
names (a document "is" a number when its file holds that number, e.g. "Số 27-BC/ĐU" or
`number: 27-BC/ĐU`); every `answer_has` string occurs, normalized as eval/metrics.py `norm`, in one
of those documents. Gold duties: `evidence` and `deadline.text` exact substrings of the named
document; `start` / `end` ISO dates with start ≤ end; `class` one of DEADLINE_CLASSES. Documents:
an opening YAML front matter block must parse (else ingest refuses the file).
Exit status 1 when anything is wrong; every problem is printed, one a line."""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from .metrics import norm

KINDS = frozenset({"deadline", "timewindow", "role", "metadata", "list", "content", "section", "exception",
                   "yesno", "missing", "cross", "unanswerable"})
DEADLINE_CLASSES = frozenset({"dated", "relative", "recurring", "event", "ongoing"})
DOC_SUFFIXES = (".md", ".txt")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def load_corpora(paths: list[Path]) -> dict[str, str]:
    """file name → NFC text of every .md / .txt file under the given folders (or the files themselves)."""
    docs: dict[str, str] = {}
    for p in paths:
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.suffix.lower() in DOC_SUFFIXES)
        for f in files:
            docs[str(f)] = nfc(f.read_text("utf-8"))
    return docs


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


def check_front_matter(docs: dict[str, str]) -> list[str]:
    """A document whose YAML front matter does not parse is refused by `sotay ingest` (a `note:`
    holding ": " is the usual cause): every question on it would fail for that reason alone."""
    problems = []
    for name, text in docs.items():
        m = _FRONT.match(text)
        if not m:
            continue
        try:
            if not isinstance(yaml.safe_load(m.group(1)), dict):
                problems.append(f"{name}: front matter is not a mapping")
        except yaml.YAMLError as exc:
            problems.append(f"{name}: front matter does not parse: {' '.join(str(exc).split())[:160]}")
    return problems


def files_of(number: str, docs: dict[str, str]) -> list[str]:
    """The files holding a document number ("27-BC/ĐU"): as written, either "Đ" spelling."""
    variants = {nfc(number), nfc(number).replace("Đ", "D"), nfc(number).replace("D", "Đ")}
    return [name for name, text in docs.items() if any(v in text for v in variants)]


def _lines(path: Path) -> list[tuple[int, dict]]:
    out = []
    for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            out.append((i, json.loads(line)))
    return out


def check_questions(path: Path, docs: dict[str, str]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, q in _lines(path):
        where = f"{path.name}:{lineno} {q.get('id')}"
        if q.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(q.get("id"))
        if q.get("kind") not in KINDS:
            problems.append(f"{where}: kind {q.get('kind')!r} not one of {sorted(KINDS)}")
        evidence, answer_has = q.get("evidence") or [], q.get("answer_has") or []
        if q.get("unanswerable"):
            if evidence or answer_has:
                problems.append(f"{where}: unanswerable but has evidence or answer_has")
            continue
        if not evidence or not answer_has:
            problems.append(f"{where}: answerable but evidence or answer_has is empty")
        numbers = [q["doc"]] if q.get("doc") else list(q.get("docs") or [])
        if not numbers:
            problems.append(f"{where}: answerable but names no doc / docs")
        named = sorted({f for n in numbers for f in files_of(n, docs)})
        for n in numbers:
            if not files_of(n, docs):
                problems.append(f"{where}: no file of the corpora holds the number {n!r}")
        for ev in evidence:
            holders = [name for name, text in docs.items() if nfc(ev) in text]
            if not holders:
                close = [name for name, text in docs.items() if norm(ev) in norm(text)]
                hint = f" (found only after normalization in {close})" if close else ""
                problems.append(f"{where}: evidence not an exact substring of any document{hint}: {ev[:90]!r}")
            elif named and not set(holders) & set(named):
                problems.append(f"{where}: evidence found in {holders}, not in the named {numbers}: {ev[:60]!r}")
        hay = [norm(docs[f]) for f in named] or [norm(t) for t in docs.values()]
        for a in answer_has:
            if not any(norm(a) in h for h in hay):
                problems.append(f"{where}: answer_has {a!r} occurs in none of the named documents")
        if q.get("docs") and len(set(named)) < 2:
            problems.append(f"{where}: a several-document question whose docs resolve to fewer than two files")
    return problems


def _iso(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def check_obligations(path: Path, docs: dict[str, str]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, g in _lines(path):
        where = f"{path.name}:{lineno} {g.get('id')}"
        if g.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(g.get("id"))
        named = files_of(g.get("doc") or "", docs)
        if not named:
            problems.append(f"{where}: no file holds the number {g.get('doc')!r}")
            continue
        texts = [docs[f] for f in named]
        if not any(nfc(g.get("evidence") or "\0") in t for t in texts):
            problems.append(f"{where}: evidence not an exact substring of {named}: {(g.get('evidence') or '')[:90]!r}")
        d = g.get("deadline") or {}
        if not d.get("text") or not any(nfc(d["text"]) in t for t in texts):
            problems.append(f"{where}: deadline.text not an exact substring of {named}: {d.get('text')!r}")
        if d.get("class") not in DEADLINE_CLASSES:
            problems.append(f"{where}: deadline.class {d.get('class')!r} not one of {sorted(DEADLINE_CLASSES)}")
        try:
            start, end = _iso(d.get("start")), _iso(d.get("end"))
        except ValueError as exc:
            problems.append(f"{where}: bad date: {exc}")
            continue
        if start and end and start > end:
            problems.append(f"{where}: start {start} after end {end}")
        if d.get("class") == "dated" and not end:
            problems.append(f"{where}: a dated deadline without an end")
        if d.get("class") == "recurring" and not d.get("recurrence"):
            problems.append(f"{where}: a recurring deadline without its recurrence")
        if d.get("class") in ("relative", "event") and not d.get("relative"):
            problems.append(f"{where}: a {d.get('class')} deadline without its anchor in `relative`")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.check_questions", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="+", required=True, metavar="DIR")
    ap.add_argument("--questions", nargs="*", default=[], metavar="JSONL")
    ap.add_argument("--obligations", nargs="*", default=[], metavar="JSONL")
    args = ap.parse_args(argv)
    docs = load_corpora([Path(p) for p in args.corpus])
    problems: list[str] = check_front_matter(docs)
    counted = []
    for p in args.questions:
        problems += check_questions(Path(p), docs)
        counted.append(f"{Path(p).name}: {len(_lines(Path(p)))} questions")
    for p in args.obligations:
        problems += check_obligations(Path(p), docs)
        counted.append(f"{Path(p).name}: {len(_lines(Path(p)))} gold duties")
    for line in problems:
        print(line)
    print(f"{len(docs)} documents; " + "; ".join(counted) + f"; {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
