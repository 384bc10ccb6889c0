"""The time-expression grammar over real text: every sentence of the given corpora, and the gold deadlines.

    python -m eval.deadline_survey [--corpus DIR ...] [--gold FILE ...] [--dump out.json] [--diff before.json]

Prints the count of expressions found per kind (dated, relative, recurring, event, ongoing, vague) and
per document; with --diff, every sentence whose parse changed against an earlier --dump; and, for each
gold duty of ../shared/eval/obligations*.jsonl, whether `parse_deadline(deadline.text)` with the
document's year, issue date and type gives the gold start, end and class.
"""
from __future__ import annotations

import argparse
import collections
import inspect
import json
from pathlib import Path

from ingest.deadlines import find_deadlines, parse_deadline
from ingest.models import Deadline, Document
from ingest.obligations import plan_year
from ingest.pipeline import build_document
from ingest.readers import iter_sources, read_bytes, read_path

REPO = Path(__file__).resolve().parents[1]


def _shared_eval() -> Path:
    """../shared/eval beside the clone (CI), or beside the directory of worktrees."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "eval").is_dir():
            return base / "shared" / "eval"
    return REPO.parent / "shared" / "eval"


SHARED_EVAL = _shared_eval()
_NEW_API = "issued" in inspect.signature(find_deadlines).parameters


def kind_of(d: Deadline) -> str:
    """The deadline's class; for the parser before `kind` existed, derived from its fields."""
    if hasattr(d, "kind"):
        return d.kind
    if d.recurrence == "thường xuyên":
        return "ongoing"
    if d.recurrence:
        return "recurring"
    if d.relative:
        return "relative"
    return "dated" if (d.start or d.end) else "vague"


def summary(d: Deadline) -> dict:
    out = {"text": d.text, "class": kind_of(d), "start": d.start.isoformat() if d.start else None,
           "end": d.end.isoformat() if d.end else None}
    for name in ("relative", "recurrence", "rrule", "event", "implied_year"):
        if getattr(d, name, None):
            out[name] = getattr(d, name)
    if d.exclusive_end:
        out["exclusive_end"] = True
    return out


def _kwargs(doc: Document) -> dict:
    return {"issued": doc.issued, "doc_type": doc.type} if _NEW_API else {}


def _read(path: Path):
    """A .txt opening with front matter is read as .md would be (the .txt reader keeps it as text)."""
    raw = read_path(path)
    if raw.format == "txt" and raw.text.lstrip().startswith("---"):
        raw = read_bytes(path.read_bytes().lstrip(), path.stem + ".md")
    return raw


def survey(docs: list[Document]) -> dict[str, list[dict]]:
    """sentence text → found expressions, keyed "number | sentence"."""
    out: dict[str, list[dict]] = {}
    for doc in docs:
        year = plan_year(doc)
        for s in doc.sentences:
            text = doc.text[s.start:s.end]
            found = find_deadlines(text, year, **_kwargs(doc))
            out[f"{doc.number} | {text}"] = [summary(d) for d in found]
    return out


def check_gold(docs: dict[str, Document], gold_files: list[Path]) -> list[dict]:
    rows = []
    for path in gold_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            doc = docs.get(item["doc"])
            if doc is None:
                continue
            want = item["deadline"]
            got = parse_deadline(want["text"], plan_year(doc), **_kwargs(doc))
            got_s = summary(got) if got else None
            ok = got_s is not None and (got_s["start"], got_s["end"]) == (want.get("start"), want.get("end"))
            cls_ok = ok and ("class" not in want or got_s["class"] == want["class"])
            rows.append({"id": item["id"], "text": want["text"], "want": want, "got": got_s,
                         "window_ok": ok, "class_ok": cls_ok})
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", type=Path)
    ap.add_argument("--gold", action="append", type=Path)
    ap.add_argument("--dump", type=Path, help="write every sentence's parse here (JSON)")
    ap.add_argument("--diff", type=Path, help="an earlier --dump to compare with")
    args = ap.parse_args(argv)
    corpora = args.corpus or [REPO / "corpus", SHARED_EVAL / "corpus-dev"]
    gold = args.gold or [SHARED_EVAL / "obligations.jsonl", SHARED_EVAL / "obligations-dev.jsonl"]

    docs = [build_document(_read(p)) for p in iter_sources(corpora)]
    found = survey(docs)
    by_kind = collections.Counter(e["class"] for v in found.values() for e in v)
    print(f"sentences: {len(found)}, expressions: {sum(by_kind.values())}")
    for kind, n in sorted(by_kind.items()):
        print(f"  {kind:10s} {n}")
    per_doc = collections.defaultdict(collections.Counter)
    for key, v in found.items():
        for e in v:
            per_doc[key.split(" | ")[0]][e["class"]] += 1
    for number, counts in sorted(per_doc.items()):
        print(f"  {number:16s} " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))

    rows = check_gold({d.number: d for d in docs}, [g for g in gold if g.exists()])
    print(f"gold: {len(rows)} deadlines, window right {sum(r['window_ok'] for r in rows)}, "
          f"window and class right {sum(r['class_ok'] for r in rows)}")
    for r in rows:
        if not r["class_ok"]:
            print(f"  ✗ {r['id']} {r['text']!r}: want {r['want'].get('start')}..{r['want'].get('end')} "
                  f"{r['want'].get('class')}, got {r['got']}")

    if args.dump:
        args.dump.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.diff:
        before = json.loads(args.diff.read_text(encoding="utf-8"))
        changed = [k for k in sorted(set(before) | set(found)) if before.get(k) != found.get(k)]
        print(f"changed sentences: {len(changed)}")
        for k in changed:
            print(f"- {k[:200]}")
            print(f"    before: {json.dumps(before.get(k), ensure_ascii=False)}")
            print(f"    after:  {json.dumps(found.get(k), ensure_ascii=False)}")


if __name__ == "__main__":
    main()
