"""Questions that join documents ("Quy định 144 mà Chỉ thị 30 viện dẫn …", "Kế hoạch 222 căn cứ
hướng dẫn nào, và hướng dẫn đó yêu cầu …?", "Hạn … trong Chỉ thị 30, Hướng dẫn 15 và Kế hoạch 102?").

Each clause of the question (parsed apart by the query parser) is answered from its own documents:
those it names; for "hướng dẫn đó" / "nó", the document the previous clause's answer cites with that
type, else a stored one of that type citing or cited by the previous clause's documents; else the
previous clause's documents. A single clause naming several documents is asked of each. The answers
are joined with one numbering of their citations, so every document needed is quoted and cited.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ingest.normalize import fold
from ingest.references import find_references

from ..retrieval.names import TYPE_WORDS, NamedDoc
from ..retrieval.query import ALL_DOCS, KIND_LEVEL, LEVEL_ASKER, ParsedQuestion, parse_question, shared_words
from ..retrieval.stats import StoredDoc
from .context import Context
from .support import doer_asked_in, issuer_level

_MARK = re.compile(r"\[(\d+)\]")
# Each facet of a question asking several ("bao nhiêu đảng viên, bao nhiêu người đã cài …") is
# answered by its best sentences, at most this many: enough for a figure and the one beside it, short
# enough that the facets' answers together stay one short answer. (Lists and duties keep their length.)
FACET_QUOTES = 1
FACET_LIMITED = ("content", "deadline", "exception", "yesno")


def is_cross(ctx: Context) -> bool:
    q = ctx.q
    return bool(q.parts) or len({(d.number, d.code) for d in q.named if not d.object}) >= 2


def _named_of(nd_number: str, code: str | None, issued: str | None = None) -> NamedDoc:
    return NamedDoc(nd_number, code, None, issued[:4] if issued else None)


def as_named(number: str) -> NamedDoc | None:
    m = re.match(r"\s*(\d{1,4})\s*-\s*([^/\s]+)", fold(number).lower())
    if not m:
        return None
    code = "qd" if m.group(2) == "qdi" else m.group(2)
    return NamedDoc(m.group(1).lstrip("0") or "0", code)


def _resolve_pointer(ctx: Context, part: ParsedQuestion, previous: list[StoredDoc],
                     previous_answer: dict | None) -> tuple[list[StoredDoc], list[NamedDoc]]:
    """Stored documents and unstored names a pointing clause is about."""
    code = part.pointer
    if code == "*":
        return previous, []
    if code == "?":
        return _described(ctx, part, previous), []
    # 1. The documents the previous clause's answer quotes by number, of the pointer's type.
    cited: list[NamedDoc] = []
    for c in (previous_answer or {}).get("citations") or []:
        for ref in find_references(c["quote"], own_number=c.get("doc_number"), doc_id=c["doc_id"]):
            nd = as_named(ref.number)
            if nd and nd.code == code and nd not in cited:
                cited.append(nd)
    stored = [d for nd in cited for d in ctx.kb.retriever.stats.named([nd], ctx.levels)]
    if cited:
        unstored = [nd for nd in cited if not ctx.kb.retriever.stats.named([nd], ctx.levels)]
        return stored, unstored
    # 2. The previous clause's own document, when it is of that type ("QĐ 55 yêu cầu gì? QĐ đó ban
    #    hành ngày nào?").
    same = [d for d in previous if (nd := as_named(d.number or "")) is not None and nd.code == code]
    if same:
        return same, []
    # 3. A document of that type that the previous documents cite (stored or not), else a stored
    #    one of that type citing them.
    out: list[StoredDoc] = []
    names: list[NamedDoc] = []
    for doc in previous:
        entry = ctx.document(doc.doc_id) or {}
        for r in entry.get("references") or []:
            nd = as_named(r.get("number") or "")
            if nd is None or nd.code != code:
                continue
            found = ctx.kb.retriever.stats.named([nd], ctx.levels)
            out += found
            if not found and nd not in names:
                names.append(nd)
    if out or names:
        return list(dict.fromkeys(out)), names
    for doc in previous:
        for doc_id in ctx.kb.citing_docs(doc.number, ctx.levels):
            e = ctx.document(doc_id) or {}
            nd = as_named(e.get("number") or "")
            if nd and nd.code == code:
                out += ctx.kb.retriever.stats.named([nd], ctx.levels)
    return list(dict.fromkeys(out)), []


def _described(ctx: Context, part: ParsedQuestion, previous: list[StoredDoc]) -> list[StoredDoc]:
    """The document a clause describes by its issuer ("văn bản của Bộ Chính trị"), with the words of
    the whole question ("chuẩn mực này" is the previous clause's "Chuẩn mực đạo đức cách mạng"), other
    than the documents already named."""
    from ..retrieval.query import _DESCRIBED_POINTER
    from .metadata import described_document

    others = [e for e in ctx.kb.meta(ctx.levels) if e["doc_id"] not in {d.doc_id for d in previous}]
    low = fold(part.expanded).lower()
    said = _DESCRIBED_POINTER.search(low)
    # The describing words alone ("chỉ thị của huyện ủy") first: the rest of the question is about
    # what the document says, not which it is; then the whole question's words.
    topics = ([part.expanded[said.start():said.end()]] if said and len(low) == len(part.expanded) else []) \
        + [ctx.q.topic or ctx.q.expanded]
    for topic in topics:
        whole = replace(part, topic=topic)
        found = described_document(replace(ctx, lk=ctx.kb.retriever.lookup(whole, ctx.levels), _passages=None,
                                           _source=None), among=others)
        if found:
            return [found]
    return []


def _level_docs(ctx: Context, part: ParsedQuestion) -> list[StoredDoc]:
    """"huyện yêu cầu …", "còn xã yêu cầu …": the stored documents issued at that level; "KH huyện ghi
    …": those of that kind among them."""
    low = fold(part.expanded).lower()
    if (m := LEVEL_ASKER.search(low)) is not None:
        return [StoredDoc.of(e) for e in ctx.kb.meta(ctx.levels) if issuer_level(e) == m.group("level")]
    if (m := KIND_LEVEL.search(low)) is not None:
        from .metadata import _type_code

        code = TYPE_WORDS[m.group("type")]
        code = "qd" if code == "qc" else code  # (a Quy chế is issued under its Quyết định's number)
        return [StoredDoc.of(e) for e in ctx.kb.meta(ctx.levels)
                if issuer_level(e) == m.group("level") and _type_code(e) == code]
    return []


def _without_descriptor(part: ParsedQuestion) -> ParsedQuestion:
    """The clause without the words naming its document by kind and level ("KH huyện bắt xong …"): they
    picked the documents; left in, "kế hoạch" would match the duty that mentions a plan."""
    m = KIND_LEVEL.search(fold(part.text).lower()) if len(fold(part.text)) == len(part.text) else None
    if m is None or part.facet:
        return part
    text = f"{part.text[:m.start()]} {part.text[m.end():]}".strip(" ,:")
    return parse_question(text, _part=True, folded=part.typed_without_diacritics) if text else part


def _placed_docs(ctx: Context, part: ParsedQuestion, previous: list[StoredDoc]) -> list[StoredDoc]:
    """The documents of the local body a clause names ("xã Nậm Khao …"), when they are not the ones the
    clause before was about; [] else."""
    ids = replace(ctx, lk=ctx.kb.retriever.lookup(part, ctx.levels), _placed=None).placed_ids()
    if not ids or ids <= {d.doc_id for d in previous}:
        return []
    return [StoredDoc.of(e) for e in ctx.kb.meta(ctx.levels) if e["doc_id"] in ids]


# Words that say a duty is asked, not what about: a clause carrying another's subject leaves them.
_MODAL_WORDS = frozenset({"phai", "can", "bat", "buoc", "theo"})


def _carrying(part: ParsedQuestion, prev: ParsedQuestion) -> ParsedQuestion:
    """The clause with the subject words of the one before ("…nộp đủ quỹ PCTT…, xã X nộp ngày nào")."""
    if part.text.rstrip().endswith(")"):
        return part  # ("…, còn xã X …": the parser already carried the subject)
    carried = " ".join(w for w in shared_words(prev).split() if fold(w).lower() not in _MODAL_WORDS)
    return parse_question(f"{part.text} ({carried})", _part=True,
                          folded=part.typed_without_diacritics) if carried.strip() else part


def _doer_asked_next(later: list[ParsedQuestion]) -> str | None:
    """The act whose doer the clauses right after this one ask, carrying its subject ("…, ai chủ trì?")."""
    for part in later:
        if part.facet != "carried":
            return None
        if (verb := doer_asked_in(part.expanded)) is not None:
            return verb
    return None


def _answer_part(ctx: Context, part: ParsedQuestion, docs: list[StoredDoc], unstored: list[NamedDoc],
                 covered: frozenset[tuple[str, int]] = frozenset(), doer_asked: str | None = None) -> dict | None:
    from . import compose_for  # the per-kind composers

    if not docs and unstored:
        from .metadata import compose_missing

        sub = replace(ctx, lk=replace(ctx.kb.retriever.lookup(part, ctx.levels)), _passages=None, _source=None)
        ans = compose_missing(sub, unstored[0])
        return ans if ans.get("kind") != "none" else None
    if docs and not part.named:
        # "QĐ đó …": the clause names the documents it points at, as if it had written their numbers
        # (the metadata composer also reads what citing documents say of them).
        part = replace(part, named=[n for d in docs if (n := as_named(d.number or "")) is not None])
    lk = ctx.kb.retriever.lookup(part, ctx.levels)
    if docs:
        lk = replace(lk, named=tuple(docs))
    sub = replace(ctx, lk=lk, _passages=None, _source=None, doer_asked=doer_asked)
    if part.facet and part.kind in FACET_LIMITED:
        sub = replace(sub, k=min(ctx.k or FACET_QUOTES, FACET_QUOTES))
    if docs and not part.asks:
        # the clause is asked of these documents only
        sub = replace(sub, lk=replace(lk, doc_ids=tuple(d.doc_id for d in docs)))
    if part.facet and part.kind == "content" and covered:
        from .passages import compose_content

        return compose_content(sub, covered=covered)
    return compose_for(sub)


def merge(answers: list[dict]) -> dict:
    """One answer of several: citations renumbered once, markers rewritten."""
    from ..records import Citations, DocRef, Span

    cites = Citations()
    lines: list[str] = []
    replies: list[str] = []
    obligations: list[dict] = []
    for ans in answers:
        renumber: dict[int, int] = {}
        for c in ans["citations"]:
            doc = DocRef(c["doc_id"], c.get("doc_number"), c.get("doc_title"), None, c.get("issued"))
            renumber[c["n"]] = cites.cite(Span(doc, c["start"], c["end"], c["quote"], c.get("section"), c.get("section_title")))

        def mark(text: str) -> str:
            return _MARK.sub(lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", text)

        if ans.get("reply") and mark(ans["reply"]) not in replies:
            replies.append(mark(ans["reply"]))
        body = ans["answer"].split("\n")
        if ans.get("reply") and body and body[0] == ans["reply"]:
            body = body[1:]
        lines += [mark(ln) for ln in body if mark(ln) not in lines]
        for o in ans.get("obligations") or []:
            obligations.append({**o, "citation": cites.get(renumber.get(o["citation"]["n"], o["citation"]["n"]))})
    kind = "obligations" if obligations and all(a["kind"] == "obligations" for a in answers) else "passages"
    reply = "\n".join(replies)
    return {"kind": kind, "answer": "\n".join(([reply] if reply else []) + lines), "citations": cites.items,
            "obligations": obligations, "reply": reply}


def follows_reference(ctx: Context) -> bool:
    """A section question naming, besides the document it is about, another document whose sections
    it names ("CT 21 bắt cập nhật … đúng thời hạn tại Điều 5 QĐi 08 — trong bao nhiêu ngày?")."""
    owner = ctx.q.section_doc
    return (ctx.q.kind == "section" and owner is not None and not owner.object
            and any(d is not owner and not d.object and (d.number, d.code) != (owner.number, owner.code)
                    for d in ctx.q.named))


def _cites_section(sentence: str, owner: NamedDoc, labels: list[str]) -> bool:
    """The sentence cites the owner document by number at one of the sections named ("… tại Điều 5
    Quy định số 08-QĐi/TU")."""
    from .metadata import names_document

    if not names_document(sentence, owner):
        return False
    low = fold(sentence).lower()
    return any(re.search(rf"(?<![0-9a-z]){re.escape(label)}(?![0-9a-z])", low) for label in labels)


def _citing_quotes(ctx: Context, doc_id: str, owner: NamedDoc) -> list:
    """The sentences of a stored document that cite the owner's named sections, best match first."""
    from ..retrieval.scoring import text_match
    from .compose import Quote
    from .sections import ref_label

    labels = [fold(ref_label([r])).lower() for r in ctx.q.sections]
    terms = ctx.terms()
    out = []
    for p in ctx.doc_passages(doc_id):
        for s, e in p.sentence_spans():
            sent = p.quote(s, e)
            if _cites_section(sent, owner, labels):
                out.append(Quote(text_match(terms, sent), p, s, e))
    return sorted(out, key=lambda x: -x.score)


# Sentences quoted from the document that refers to another's section: the reference itself, not
# every mention of that document.
FOLLOWED_CITING_QUOTES = 2


def compose_followed(ctx: Context) -> dict | None:
    """A document's sentence that refers to a section of another ("đúng thời hạn tại Điều 5 QĐi 08"),
    followed into that document: the referring sentence quoted from the first, the section from the
    second — or, when the second is not stored, exactly that."""
    from .compose import Builder, none_answer
    from .sections import compose_section, ref_label

    owner = ctx.q.section_doc
    stored = ctx.kb.retriever.stats.named([owner], ctx.levels)
    others = [d for d in ctx.lk.named if d not in stored]
    citing: list = []
    for doc in others:
        citing += _citing_quotes(ctx, doc.doc_id, owner)[:FOLLOWED_CITING_QUOTES]
    refs = ref_label(ctx.q.sections)
    if not stored:
        from .metadata import compose_missing

        missing = compose_missing(ctx, owner)
        label = missing["answer"].split(":")[0] if missing.get("kind") != "none" else "Văn bản được dẫn"
        return none_answer(f"{label}: kho chưa lưu toàn văn văn bản này, nên không có nội dung {refs} của nó; "
                           "các văn bản trong kho chỉ viện dẫn nó.", ctx.passages())
    sub = replace(ctx, lk=replace(ctx.lk, named=tuple(stored)), _passages=None, _source=None)
    section = compose_section(sub)
    if section is None or section.get("kind") == "none":
        return section
    if not citing:
        return section
    b = Builder(ctx)
    b.quotes(citing)
    return merge([b.result("passages"), section])


# Kinds whose answer is one list over every document named (duties by time, a role's duties): asked
# of each document apart, they would give one count line per document.
JOINT_KINDS = frozenset({"timewindow", "role"})


def compose_cross(ctx: Context) -> dict | None:
    q = ctx.q
    answers: list[dict] = []
    if q.parts:
        previous: list[StoredDoc] = list(ctx.lk.named)
        previous_answer: dict | None = None
        for i, part in enumerate(q.parts):
            own = ctx.kb.retriever.stats.named([d for d in part.named if not d.object], ctx.levels)
            unstored: list[NamedDoc] = [d for d in part.named if not d.object
                                        and not ctx.kb.retriever.stats.named([d], ctx.levels)]
            if own or unstored:
                docs = own
            elif leveled := _level_docs(ctx, part):
                docs = leveled
                part = _without_descriptor(part)
            elif part.pointer == ALL_DOCS:
                docs = []  # "So với hạn trong CTr 21, những xã nào …": the rest is asked of every document
            elif part.pointer:
                docs, unstored = _resolve_pointer(ctx, part, previous, previous_answer)
            elif i and part.facet != "carried" and (placed := _placed_docs(ctx, part, previous)):
                # "…, xã Nậm Khao nộp ngày nào?": the documents of the local body a later clause names,
                # asked what the clause before asked (its subject words carried, unless it says its own)
                docs = placed
                if not part.facet:
                    part = _carrying(part, q.parts[i - 1])
            elif part.facet == "carried" and not previous and (previous_answer or {}).get("citations"):
                # "… họp ngày nào, ai chủ trì?": a facet carrying the previous clause's subject is asked
                # of the document that answered that clause
                entry = ctx.document(previous_answer["citations"][0]["doc_id"])
                docs = [StoredDoc.of(entry)] if entry else []
            else:
                docs = previous
            # (by where they end: a bulleted item is quoted from its bullet, chosen from its first word)
            covered = frozenset((c["doc_id"], c["end"]) for a in answers for c in a["citations"])
            ans = _answer_part(ctx, part, docs, unstored, covered if part.facet else frozenset(),
                               doer_asked=_doer_asked_next(q.parts[i + 1:]))
            if ans is not None and ans.get("kind") != "none":
                answers.append(ans)
                previous_answer = ans
            if not part.facet:
                previous = docs or previous
    elif q.kind in JOINT_KINDS:
        # "Tháng 5 phải làm gì theo HD 22 và KH 31?": one list over the documents named, in one order
        from . import compose_for

        return compose_for(ctx)
    else:  # one clause naming several documents: ask it of each
        for doc in ctx.lk.named:
            sub = replace(ctx, lk=replace(ctx.lk, named=(doc,), doc_ids=(doc.doc_id,)), _passages=None, _source=None)
            from . import compose_for

            ans = compose_for(sub)
            if ans is not None and ans.get("kind") != "none":
                answers.append(ans)
    if not answers:
        return None
    return merge(answers)
