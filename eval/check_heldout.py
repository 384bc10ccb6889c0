"""Checks a held-out question set against its document folder (default: eval/questions/heldout.jsonl
against eval/corpus-heldout/; `--corpus eval/corpus-heldout2 --questions eval/questions/heldout2.jsonl`
for the second set).

Every evidence string must occur verbatim (NFC, whitespace runs collapsed) in the document(s)
the question names; every answer_has of an answerable question must occur in that text or be
a date derivable from it (e.g. "30/12/2026" from "30 tháng 12 năm 2026"); ids unique; kinds counted.
Run: python eval/check_heldout.py [--corpus DIR] [--questions FILE]   (reads every format through ingest.readers when run in the product's environment)
"""
from __future__ import annotations

import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus-heldout"
QUESTIONS = HERE / "questions" / "heldout.jsonl"
EXPECTED = {"metadata": 8, "section": 8, "deadline": 10, "timewindow": 7, "role": 8, "list": 7,
            "yesno": 8, "exception": 6, "content": 8, "cross": 4, "unanswerable": 6}


def read_docx(path: Path) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    out: list[str] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, d).text)
        elif tag == "tbl":
            for row in Table(child, d).rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
    return "\n".join(out)


def read(path: Path) -> str:
    """The text as the product reads it (ingest.readers: .pdf, .odt, .doc, .rtf too), else as written."""
    try:
        sys.path.insert(0, str(HERE.parent))
        from ingest.readers import read_path
    except ImportError:  # run outside the product's environment: the formats read here by hand
        if path.suffix == ".docx":
            return read_docx(path)
        return path.read_text(encoding="utf-8")
    return read_path(path).text


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def doc_number(text: str) -> str | None:
    m = re.search(r"^number:\s*(\S+)", text, re.M)
    if m:
        return m.group(1)
    m = re.search(r"^Số\s+(\S+)", text, re.M)
    return m.group(1) if m else None


def dates(text: str) -> set[str]:
    """Every date the text states, as d/m/yyyy and dd/mm/yyyy (and d/m for dates without a year)."""
    found: set[tuple[int, int, int | None]] = set()
    for d, m, y in re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        found.add((int(d), int(m), int(y)))
    for d, m in re.findall(r"(\d{1,2})/(\d{1,2})(?![/\d])", text):
        found.add((int(d), int(m), None))
    for d, m, y in re.findall(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
        found.add((int(d), int(m), int(y)))
    out = set()
    for d, m, y in found:
        if not (1 <= d <= 31 and 1 <= m <= 12):
            continue
        for ds in (str(d), f"{d:02d}"):
            for ms in (str(m), f"{m:02d}"):
                out.add(f"{ds}/{ms}" + (f"/{y}" if y else ""))
    return out


def main() -> int:
    import argparse

    global CORPUS, QUESTIONS
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    a = ap.parse_args()
    CORPUS, QUESTIONS = a.corpus, a.questions
    docs: dict[str, str] = {}
    lines: dict[str, list[str]] = {}
    problems: list[str] = []
    print("documents:")
    for p in sorted(CORPUS.iterdir()):
        if p.suffix not in {".txt", ".md", ".docx", ".pdf", ".odt", ".doc", ".rtf"}:
            continue
        text = read(p)
        num = doc_number(text)
        n = len(text)
        print(f"  {p.name:45s} {num or '(no number)':14s} {n:6d} chars")
        if not 3000 <= n <= 9000:
            problems.append(f"{p.name}: {n} chars, outside 3000-9000")
        if num is None or num in docs:
            problems.append(f"{p.name}: number missing or duplicated ({num})")
        docs[num] = norm(text)
        lines[num] = [re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", ln)) for ln in text.splitlines()]
    all_text = "\n".join(docs.values())

    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = collections.Counter(r["id"] for r in rows)
    for i, c in ids.items():
        if c > 1:
            problems.append(f"duplicate id {i}")
    kinds = collections.Counter(r["kind"] for r in rows)
    for r in rows:
        rid = r["id"]
        for key in ("id", "kind", "question", "evidence", "answer_has", "doc"):
            if key not in r:
                problems.append(f"{rid}: missing field {key}")
        if r.get("unanswerable"):
            if r["kind"] != "unanswerable":
                problems.append(f"{rid}: unanswerable: true but kind {r['kind']}")
            if r["evidence"] or r["answer_has"] or r["doc"] is not None:
                problems.append(f"{rid}: unanswerable must have empty evidence/answer_has and doc null")
            continue
        if r["kind"] == "unanswerable":
            problems.append(f"{rid}: kind unanswerable without unanswerable: true")
        names = r.get("docs") or [r["doc"]]
        if r["kind"] == "cross" and (r["doc"] is not None or len(names) != 2):
            problems.append(f"{rid}: cross needs doc null and two docs")
        if any(n not in docs for n in names):
            problems.append(f"{rid}: unknown doc {names}")
            continue
        text = "\n".join(docs[n] for n in names)
        if not r["evidence"] or not r["answer_has"]:
            problems.append(f"{rid}: answerable question needs evidence and answer_has")
        for ev in r["evidence"]:
            if norm(ev) not in text:
                where = "in another document" if norm(ev) in all_text else "nowhere"
                problems.append(f"{rid}: evidence not in {names} ({where}): {ev!r}")
            elif not any(norm(ev) in ln for n in names for ln in lines[n]):
                problems.append(f"{rid}: evidence spans a line or paragraph break: {ev!r}")
        if r["kind"] == "cross":
            for n in names:
                if not any(norm(ev) in docs[n] for ev in r["evidence"]) and not any(norm(a) in docs[n] for a in r["answer_has"]):
                    problems.append(f"{rid}: cross question draws nothing from {n}")
        ds = dates(text)
        for a in r["answer_has"]:
            if norm(a) in text or norm(a).lower() in text.lower():
                continue
            if a in ds:
                continue
            problems.append(f"{rid}: answer_has not in text nor a derivable date: {a!r}")

    print("kinds:")
    for k, want in EXPECTED.items():
        mark = "" if kinds.get(k, 0) == want else f"  (expected {want})"
        print(f"  {k:13s} {kinds.get(k, 0):3d}{mark}")
        if kinds.get(k, 0) != want:
            problems.append(f"kind {k}: {kinds.get(k, 0)} != {want}")
    extra = set(kinds) - set(EXPECTED)
    if extra:
        problems.append(f"unexpected kinds {extra}")
    plain = sum(1 for r in rows if r["question"] == unicodedata.normalize("NFD", r["question"]).encode("ascii", "ignore").decode())
    abbr = sum(1 for r in rows if re.search(r"\b(NQ|TB|KH|QĐ|qd|CTr|BTV|UBND|TU|ThU|ĐU|HU|HD|UBKT|MTTQ|VPTU|HTX|HTXSNV)\b", r["question"], re.I))
    print(f"total {len(rows)}; without diacritics {plain}; with abbreviations {abbr}")
    per_doc = collections.Counter(n for r in rows for n in (r.get("docs") or [r.get("doc")]) if n)
    print("questions per document:", dict(per_doc))
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  -", p)
        return 1
    print("OK: all evidence verbatim, all answer_has found, ids unique")
    return 0


if __name__ == "__main__":
    sys.exit(main())
