"""The parser on generated Party documents with known truth (tests/support/docgen.py): every
section path, kind, number, title and parent; every text table, row and cell; every footnote and
the section holding its marker; the header and closing fields; where every paragraph belongs; no
page number or running header left in the text. At least 200 documents a run, seeded, so a failure
names the seed that reproduces it."""
from __future__ import annotations

import os
import re
from collections import Counter

import pytest

from ingest.models import Document
from ingest.pipeline import build_document
from ingest.readers import RawDocument
from support.docgen import GeneratedDoc, generate

N_DOCS = int(os.environ.get("SOTAY_GENERATED_DOCS", "240"))
SEED = int(os.environ.get("SOTAY_GENERATED_SEED", "20250"))
TITLE_LIMIT = 120  # Section.title is the heading shortened to this many characters
_PAGE_LINE = re.compile(r"^(?:[-–]\s*\d{1,3}\s*[-–]|Trang\s+\d{1,3}|\d{1,3})$", re.M)


def _parse(g: GeneratedDoc) -> Document:
    return build_document(RawDocument(source=f"gen-{g.seed}.txt", format="txt", text=g.text, front_matter={}))


def _title_ok(got: str, want: str) -> bool:
    want = " ".join(want.split())
    if len(want) <= TITLE_LIMIT:
        return got == want
    return got.endswith("…") and want.startswith(got[:-1].rstrip(",;:"))


def problems_of(g: GeneratedDoc, doc: Document) -> list[str]:
    """Everything the parser got wrong about one generated document (empty when all is right)."""
    out: list[str] = []
    got = [(s.path, s.kind, s.number, s.parent) for s in doc.sections]
    want = [(e.path, e.kind, e.number, e.parent) for e in g.sections]
    if got != want:
        missing = [w for w in want if w not in got]
        extra = [x for x in got if x not in want]
        out.append(f"sections: missing {missing[:4]} extra {extra[:4]}")
    else:
        for s, e in zip(doc.sections, g.sections):
            if not _title_ok(s.title, e.title):
                out.append(f"title of {s.path}: {s.title!r} != {e.title!r}")
    # every section's span starts with its heading and nests in its parent's
    for s in doc.sections:
        parent = doc.section(s.parent)
        if parent and not (parent.start <= s.start and s.end <= parent.end):
            out.append(f"{s.path} not inside {parent.path}")
    # tables
    got_tables = [(t.section, t.columns, [[doc.text[c.start:c.end] for c in r.cells] for r in t.rows],
                   [r.path for r in t.rows]) for t in doc.tables]
    want_tables = [(t.section, t.columns, t.rows, t.row_paths) for t in g.tables]
    if got_tables != want_tables:
        out.append(f"tables: {got_tables} != {want_tables}")
    # footnotes: number, text, the word the marker is glued to, the section holding it
    got_fn = [(f.number, f.text, f.section) for f in doc.footnotes]
    want_fn = [(f.number, f.text, f.section) for f in g.footnotes]
    if got_fn != want_fn:
        out.append(f"footnotes: {got_fn} != {want_fn}")
    for f, e in zip(doc.footnotes, g.footnotes):
        if f.marker_start is None or not doc.text[:f.marker_start].endswith(e.after):
            out.append(f"marker of footnote {f.number} not after {e.after!r}")
    # header and closing: quotes and values
    for name, quotes in g.quotes.items():
        got_q = [doc.text[f.start:f.end] for f in doc.fields if f.name == name]
        if got_q != quotes:
            out.append(f"field {name}: {got_q} != {quotes}")
    values = {"issuer": doc.issuer, "number": doc.number, "place": doc.place, "issued": doc.issued,
              "type": doc.type, "title": doc.title, "signer": doc.signer, "recipients": doc.recipients,
              "issuer_parent": next((f.value for f in doc.fields if f.name == "issuer_parent"), None)}
    for name, want_v in g.values.items():
        if values[name] != want_v:
            out.append(f"{name}: {values[name]!r} != {want_v!r}")
    # paragraphs: present verbatim (page breaks repaired), every sentence in its section
    pos = 0
    for p in g.paragraphs:
        at = doc.text.find(p.text, pos)
        if at < 0:
            out.append(f"paragraph not found after {pos}: {p.text[:60]!r}")
            continue
        pos = at + len(p.text)
        for s in doc.sentences:
            if s.start < pos and s.end > at and s.section != p.section:
                out.append(f"sentence {doc.text[s.start:s.end][:40]!r} in {s.section}, not {p.section}")
                break
    # nothing of the page furniture is left
    outside_tables = doc.text
    for t in doc.tables:  # "1" alone on a line is a row number there
        outside_tables = outside_tables[:t.start] + " " * (t.end - t.start) + outside_tables[t.end:]
    if left := _PAGE_LINE.search(outside_tables):
        out.append(f"page number left: {left.group(0)!r} at {left.start()}")
    # retrieval units: one chunk per table row; the header and the closing are chunks of their own
    rows = [c for c in doc.chunks if c.kind == "row"]
    if len(rows) != sum(len(t.rows) for t in g.tables):
        out.append(f"{len(rows)} row chunks for {sum(len(t.rows) for t in g.tables)} rows")
    kinds = Counter(c.kind for c in doc.chunks)
    if kinds["header"] < 1 or kinds["closing"] < 1:
        out.append(f"chunk kinds {dict(kinds)}")
    for c in doc.chunks:
        if c.kind == "closing" and c.section is None and doc.signer and doc.signer in doc.text[c.start:c.end]:
            break
    else:
        out.append("no closing chunk quotes the signer")
    return out


@pytest.fixture(scope="module")
def generated() -> list[tuple[GeneratedDoc, Document]]:
    docs = [generate(SEED + k) for k in range(N_DOCS)]
    return [(g, _parse(g)) for g in docs]


def test_at_least_200_documents_of_every_shape(generated):
    assert len(generated) >= 200
    shapes = Counter(g.shape for g, _ in generated)
    assert set(shapes) >= {"roman", "parts", "items", "letters", "articles", "decision+annex"}, shapes
    assert sum(len(g.tables) for g, _ in generated) >= 40
    assert sum(len(g.footnotes) for g, _ in generated) >= 100
    assert sum(g.page_breaks for g, _ in generated) >= 200


def test_every_generated_document_is_read_right(generated):
    failures = {g.seed: p for g, d in generated if (p := problems_of(g, d))}
    report = "\n".join(f"seed {seed}: {'; '.join(p)[:600]}" for seed, p in list(failures.items())[:8])
    assert not failures, f"{len(failures)} of {len(generated)} documents misread:\n{report}"


def test_generation_is_seeded():
    assert generate(7).text == generate(7).text
    assert generate(7).text != generate(8).text
