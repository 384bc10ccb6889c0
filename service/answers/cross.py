"""Questions that join documents ("Quy định 144 mà Chỉ thị 30 viện dẫn ban hành ngày nào?", "Kế hoạch
222 căn cứ hướng dẫn nào, và hướng dẫn đó yêu cầu gì?"): each document named — or pointed at by
"hướng dẫn đó", "chỉ thị này" among those the named one cites — is answered from its own text, and
every one of them is quoted and cited.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ingest.normalize import fold

from ..retrieval.query import _TYPE_WORDS, NamedDoc
from ..retrieval.scoring import W
from .compose import Builder
from .context import Context
from .metadata import citing_spans, field_spans
from .passages import best_sentences

# "hướng dẫn đó", "chỉ thị này", "nghị quyết ấy": a document the question points back at.
_POINTER = re.compile(r"(?<![0-9a-z])(?P<type>" + "|".join(sorted(_TYPE_WORDS, key=len, reverse=True))
                      + r")\s+(?:do|nay|ay|tren|kia)(?![0-9a-z])")
# Quotes from each document of a cross-document answer.
PER_DOC_QUOTES = 2


def pointed_documents(ctx: Context) -> list[NamedDoc]:
    """Documents named by a pointer ("hướng dẫn đó"): those the named documents cite with that type."""
    low = fold(ctx.q.expanded).lower()
    codes = {_TYPE_WORDS[m.group("type")] for m in _POINTER.finditer(low)}
    if not codes or not ctx.lk.named:
        return []
    out: list[NamedDoc] = []
    for doc in ctx.lk.named:
        entry = ctx.document(doc.doc_id) or {}
        for ref in entry.get("references") or []:
            number = ref.get("number") or ""
            parts = fold(number).lower().replace(" ", "").split("-", 1)
            if len(parts) == 2 and parts[1].split("/")[0] in codes:
                lead = parts[0].lstrip("0") or "0"
                code = parts[1].split("/")[0]
                nd = NamedDoc(lead, "qd" if code == "qdi" else code, None, (ref.get("issued") or "")[:4] or None)
                if nd not in out and not any(d.matches(number) for d in ctx.q.named):
                    out.append(nd)
    return out


def is_cross(ctx: Context) -> bool:
    distinct = {(d.number, d.code) for d in ctx.q.named}
    return len(distinct) >= 2 or bool(pointed_documents(ctx))


def compose_cross(ctx: Context) -> dict | None:
    names: list[NamedDoc] = []
    for nd in list(ctx.q.named) + pointed_documents(ctx):
        if not any(x.number == nd.number and x.code == nd.code for x in names):
            names.append(nd)
    b = Builder(ctx)
    for nd in names:
        stored = ctx.kb.retriever.stats.named([nd], ctx.levels)
        if stored:
            doc = stored[0]
            entry = ctx.document(doc.doc_id) or {}
            for name in ctx.q.asks:
                b.quote_spans(field_spans(entry, name)[:2])
            lk = replace(ctx.lk, named=(doc,), doc_ids=(doc.doc_id,))
            sub = replace(ctx, lk=lk, _passages=None, _source=None)
            chosen = best_sentences(sub, sub.passages(), PER_DOC_QUOTES)
            if chosen and chosen[0].score >= W.support * 0.5:
                b.quotes(chosen)
        else:
            b.quote_spans(citing_spans(ctx, nd, limit=PER_DOC_QUOTES))
    if not b.cites.items:
        return None
    docs = {c["doc_id"] for c in b.cites.items}
    b.direct(f"Câu hỏi liên quan {len(names)} văn bản; trích dẫn từ {len(docs)} văn bản trong kho:")
    return b.result("passages")
