"""Yes/no questions: "Có." / "Không." only when a quoted sentence decides it; otherwise the sentences
that bear on it, without a verdict (a "Có" the text does not back is as bad as a wrong deadline).

Decided here:
- who issued a document ("Kết luận 14 có phải do Ban Bí thư ban hành không?"): the issuer the
  documents state, quoted from a sentence naming it;
- whether a duty binds the asker's role ("tôi là hiệu trưởng, tôi có phải đăng ký nêu gương
  không?"): the role's duties on that subject, as `sotay obligations --role` lists them.
"""
from __future__ import annotations

import re

from ingest.normalize import fold
from ingest.places import provinces_in

from ..records import doc_label
from ..retrieval.cues import cue_ok
from ..retrieval.scoring import W, text_match
from .compose import Builder
from .context import Context
from .metadata import citing_spans, field_spans, signing_organ
from .passages import best_sentences
from .support import supported

_ISSUER_CLAIM = re.compile(r"(?<![0-9a-z])(?:do|cua|la cua)\s+(?P<body>(?:[a-z]+\s+){1,8}?)(?:ban hanh\s+|ky\s+)?(?:khong|phai khong)\b")
_BODIES = ("bo chinh tri", "ban bi thu", "ban chap hanh trung uong", "trung uong", "tinh uy", "ban thuong vu",
           "huyen uy", "thanh uy", "dang uy", "uy ban kiem tra", "ban tuyen giao", "ban to chuc", "chinh phu",
           "quoc hoi", "mat tran to quoc", "hoi dong nhan dan", "uy ban nhan dan")


def _issuer_verdict(ctx: Context, b: Builder) -> bool:
    low = fold(ctx.q.expanded).lower()
    m = _ISSUER_CLAIM.search(low)
    if not m or not ctx.q.named:
        return False
    claimed = next((body for body in _BODIES if body in m.group("body")), None)
    if claimed is None:
        return False
    nd = ctx.q.named[0]
    stored = next(iter(ctx.lk.named), None)
    entry = ctx.document(stored.doc_id) if stored else None
    body = entry.get("issuer") if entry else None
    organ = signing_organ(entry) if entry else None
    actual = organ or body
    spans = citing_spans(ctx, nd, limit=6)
    if entry:
        spans = field_spans(entry, "issuer") + field_spans(entry, "signer") + spans
    if not actual:
        ref = next((r for r in ctx.kb.missing_references(ctx.levels) if nd.matches(r["number"], r.get("issued"))), None)
        actual = (ref or {}).get("issuer")
    if not actual:
        return False
    actual_f = fold(actual).lower()
    body_f = _core(fold(body or actual).lower())
    proof = [s for s in spans if fold(re.sub(r"\s+", " ", s.quote)).lower().find(body_f) >= 0]
    if not proof:
        return False
    if organ:  # the "T/M BAN THƯỜNG VỤ" line proves the organ
        proof = proof[:1] + field_spans(entry, "signer_position")[:1]
    label = doc_label(entry.get("type") if entry else None, entry.get("number") if entry else None) if entry else \
        f"Văn bản số {nd.number}"
    # A place in the claim must be the issuer's own: "do Tỉnh ủy Điện Biên ban hành" is not "Tỉnh ủy Lai Châu".
    claim_text = ctx.q.expanded[m.start("body"):m.end("body")]
    places_agree = all(fold(p).lower() in actual_f for p in provinces_in(claim_text))
    same = (claimed in actual_f or _core(actual_f) in claimed) and places_agree
    verdict = "Có" if same else "Không"
    b.direct(f"{verdict}. {label} do {actual} ban hành.", proof[0])
    b.quote_spans(proof[:2])
    return True


def _core(issuer_folded: str) -> str:
    """"tỉnh ủy lai châu (ban thường vụ)" → "tỉnh ủy lai châu": the body without the signing organ."""
    return re.sub(r"\s*\(.*\)\s*$", "", issuer_folded).strip()


def _role_verdict(ctx: Context, b: Builder) -> bool:
    """The asker's role and the duties binding it on the subject asked: "Có" when one clearly is
    that subject and no stated exception applies to the role; else the duties, undecided."""
    if ctx.role is None:
        return False
    terms = ctx.terms(ctx.q.topic)
    duties = [d for d in ctx.duties() if ctx.binds(d)]
    if ctx.lk.named:
        duties = [d for d in duties if d.doc.doc_id in ctx.lk.named_ids]
    scored = sorted(((text_match(terms, f"{d.section_title or ''} {d.quote}"), d) for d in duties), key=lambda x: -x[0])
    if not scored or scored[0][0] < W.support:
        return False
    best = scored[0][0]
    chosen = [d for s, d in scored if s >= W.duty_keep_share * best][:3]
    exempt = ctx.kb.exemptions(chosen[0], ctx.role)
    if best >= W.verdict and not exempt:
        b.direct(f"Có. Văn bản giao việc này cho cả vai trò “{ctx.role.name}”:")
    else:  # an exception may apply, or the duty is not plainly the one asked about: show, do not decide
        b.direct(f"Những việc văn bản giao cho vai trò “{ctx.role.name}” liên quan đến câu hỏi (đọc kỹ các ngoại lệ):")
    for d in chosen:
        b.duty(d, ctx.as_of)
    return True


# The claim of a yes/no question about what must be done: "không cần thông qua tập thể",
# "có phải xây dựng kế hoạch không", "có được tổ chức … không". `neg` marks a claim that
# something is not required / not allowed; `verb` is the two syllables that follow.
_CLAIM = re.compile(r"(?<![0-9a-z])(?P<neg>khong\s+)?(?P<modal>can|phai|bat buoc|duoc)\s+(?P<verb>[a-z]+\s+[a-z]+)")
_STATED = r"(?<![0-9a-z])(?P<neg>khong\s+|chua\s+|nghiem\s+)?(?P<modal>phai|can|duoc|cam)\s+(?:duoc\s+)?{verb}(?![0-9a-z])"


def _modal_verdict(ctx: Context, quotes) -> str | None:
    """"Có" / "Không" when the deciding sentence states the very requirement the question asks
    about, with or against its polarity ("không cần thông qua tập thể?" — "Kế hoạch phải được thông
    qua trước tập thể" → Không). None when the sentence does not state it in those words."""
    low_q = fold(ctx.q.expanded).lower()
    # The modal must be one as written: folded, "cán bộ" reads as "can bo" (cần …).
    claims = [m for m in _CLAIM.finditer(low_q) if m.group("verb").split()[0] not in ("la", "co", "khong")
              and cue_ok(ctx.q.expanded, m.span("modal"))]
    if not claims or not quotes:
        return None
    text = fold(quotes[0].text).lower()
    for claim in claims:
        stated = re.search(_STATED.format(verb=re.escape(claim.group("verb"))), text)
        if not stated:
            continue
        required = stated.group("modal") in ("phai", "can") and not stated.group("neg")
        forbidden = stated.group("modal") == "cam" or (stated.group("neg") or "").strip() in ("khong", "nghiem")
        if not (required or forbidden):
            return None
        claimed_required = not claim.group("neg") and claim.group("modal") in ("can", "phai", "bat buoc")
        claimed_not_required = bool(claim.group("neg")) and claim.group("modal") in ("can", "phai", "bat buoc")
        claimed_allowed = claim.group("modal") == "duoc" and not claim.group("neg")
        if required and claimed_not_required:
            return "Không"
        if required and claimed_required:
            return "Có"
        if forbidden and claimed_allowed:
            return "Không"
        return None
    return None


# How often ("mỗi quý một lần", "hằng tháng", "6 tháng một lần", "định kỳ 6 tháng"), in days: a
# question claiming one frequency is answered "Không" by a sentence stating another.
_UNIT_DAYS = {"ngay": 1, "tuan": 7, "thang": 30, "quy": 91, "nam": 365}
_COUNT = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6, "muoi hai": 12}
_UNIT = r"(?P<unit>ngay|tuan|thang|quy|nam)"
_PERIODS = (
    re.compile(r"(?<![0-9a-z])(?:moi|hang|hàng)\s+" + _UNIT + r"(?![0-9a-z])"),
    re.compile(r"(?<![0-9a-z])(?:moi\s+|dinh ky\s+)?(?P<n>\d{1,2}|mot|hai|ba|bon|sau|muoi hai)\s+" + _UNIT
               + r"\s+(?:mot|1)\s+lan(?![0-9a-z])"),
    re.compile(r"(?<![0-9a-z])(?:dinh ky|moi)\s+(?P<n>\d{1,2}|hai|ba|bon|sau)\s+" + _UNIT + r"(?![0-9a-z])"),
)


def periods(folded: str) -> set[int]:
    out: set[int] = set()
    for rx in _PERIODS:
        for m in rx.finditer(folded):
            n = m.groupdict().get("n")
            count = int(n) if n and n.isdigit() else _COUNT.get(n or "mot", 1)
            out.add(count * _UNIT_DAYS[m.group("unit")])
    return out


def _period_verdict(ctx: Context, quotes) -> str | None:
    """"Có" / "Không" for a question claiming how often something is done, from the deciding
    sentence's own frequency; None when either states none."""
    asked = periods(fold(ctx.q.expanded).lower())
    stated = periods(fold(quotes[0].text).lower()) if quotes else set()
    if len(asked) != 1 or not stated:
        return None
    return "Có" if asked <= stated else "Không"


def compose_yesno(ctx: Context) -> dict | None:
    b = Builder(ctx)
    if _issuer_verdict(ctx, b):
        return b.result("passages")
    if _role_verdict(ctx, b):
        return b.result("obligations")
    chosen = best_sentences(ctx, ctx.source_passages(), ctx.k or 3)
    if not chosen or not supported(ctx, chosen[0].score, chosen[0].text, chosen[0].passage.doc.title or ""):
        return None
    verdict = _modal_verdict(ctx, chosen) or _period_verdict(ctx, chosen)
    if verdict:
        b.direct(f"{verdict}. Văn bản nêu:", b.span_of(chosen[0].passage, chosen[0].start, chosen[0].end))
    else:
        b.direct("Văn bản không trả lời thẳng “có” hay “không”; các quy định liên quan:")
    b.quotes(chosen, ctx.terms())
    return b.result("passages")
