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

import numpy as np

from ingest.normalize import fold
from ingest.places import provinces_in

from ..records import doc_label
from ..retrieval.cues import EXCEPTION, STATUS, cue_ok
from ..retrieval.scoring import W
from .compose import Builder
from .context import Context
from .metadata import citing_spans, field_spans, signing_organ
from .passages import best_sentences, exceptions_after
from .support import row_labelled, supported

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
    pool = ctx.role_duties()
    if ctx.lk.named:
        pool = ctx.duty_index().of_docs(ctx.lk.named_ids, pool)
    scores = ctx.duty_index().text_match(terms, pool)  # of each duty's section title and quote
    best = float(scores.max(initial=0.0))
    if not len(pool) or best < W.support:
        return False
    close = np.flatnonzero(scores >= W.duty_keep_share * best)
    close = close[np.argsort(-scores[close], kind="stable")][:3]  # best first, ties in store order
    records = ctx.duty_records(pool[close])
    chosen = list(records.values())
    if not chosen:
        return False
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
_STATED = r"(?<![0-9a-z])(?P<neg>khong\s+|chua\s+|nghiem\s+)?(?P<modal>phai|can|duoc|cam|co the)\s+(?:duoc\s+)?{verb}(?![0-9a-z])"


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
        # "có thể gia hạn một lần", "được gia hạn": allowed
        allowed = stated.group("modal") in ("duoc", "co the") and not stated.group("neg")
        if allowed and claim.group("modal") == "duoc" and not claim.group("neg"):
            return "Có"
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
    re.compile(r"(?<![0-9a-z])" + _UNIT + r"\s+nao\s+cung(?![0-9a-z])"),  # "tháng nào cũng": every month
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


# A limit a question claims to pass ("có được kéo dài quá 30 ngày không?", "họp dưới 2 giờ được không")
# against the limit a sentence sets ("không quá 30 ngày", "tối đa", "ít nhất", "tối thiểu"): a claim
# past the stated bound is answered "Không". Same unit only (time units compared in days).
_PAST = re.compile(r"(?<![0-9a-z])(?P<dir>qua|hon|tren|vuot(?:\s+qua)?|duoi|it hon)\s+(?P<n>\d+)\s+(?P<unit>[a-z]+)")
_BOUND = re.compile(r"(?<![0-9a-z])(?P<dir>khong qua|toi da|khong vuot qua|khong duoc qua|it nhat|toi thieu|khong duoi"
                    r"|khong it hon)\s+(?P<n>\d+)\s+(?P<unit>[a-z]+)")
_UPPER = ("khong qua", "toi da", "khong vuot qua", "khong duoc qua")


def _amount(n: str, unit: str) -> tuple[float, str]:
    days = _UNIT_DAYS.get(unit)
    return (int(n) * days, "ngay") if days else (int(n), unit)


def _limit_verdict(ctx: Context, quotes) -> str | None:
    """"Không" when the question claims a span or count beyond the bound the deciding sentence sets
    ("quá 30 ngày" against "không quá 30 ngày"); None when either states none or the units differ."""
    claim = _PAST.search(fold(ctx.q.expanded).lower())
    if claim is None or not quotes:
        return None
    asked, unit = _amount(claim.group("n"), claim.group("unit"))
    above = claim.group("dir") not in ("duoi", "it hon")
    for bound in _BOUND.finditer(fold(quotes[0].text).lower()):
        value, bunit = _amount(bound.group("n"), bound.group("unit"))
        if bunit != unit:
            continue
        upper = bound.group("dir") in _UPPER
        if upper and above and asked >= value:
            return "Không"
        if not upper and not above and asked <= value:
            return "Không"
    return None


# A report stating that something was completed: "các chi bộ hoàn thành việc quán triệt … trước ngày
# 20/3/2026", "đã tổ chức", "đã xong". Only a report's sentences say what was done; a plan's "hoàn thành
# trước ngày …" is a requirement.
_DONE = re.compile(r"(?<![0-9a-z])(hoan thanh|da xong|xong|da to chuc|da thuc hien|da trien khai|dat)(?![0-9a-z])")
_REPORT_TYPES = ("Báo cáo", "Thông báo")


_SHARE_COLUMN = re.compile(r"(?:Tỷ lệ|tỷ lệ)[^:;]*%[^:;]*:\s*(?P<v>\d{1,3}(?:[.,]\d+)?)")


def _status_verdict(ctx: Context, quotes) -> str | None:
    """"Có" to "đã … chưa?" when the deciding sentence is a report's statement that it was done; for
    a target in a report's figures table, whether its share of the plan reached 100 %."""
    if not quotes or not STATUS.search(fold(ctx.q.expanded).lower()):
        return None
    top = quotes[0]
    if top.passage.kind == "row":
        m = _SHARE_COLUMN.search(row_labelled(ctx, top.passage.doc_id, top.passage.start) or "")
        if m:
            share = float(m.group("v").replace(",", "."))
            return (f"Có — đạt {m.group('v')}% so với kế hoạch" if share >= 100
                    else f"Chưa — mới đạt {m.group('v')}% so với kế hoạch")
    if (top.passage.doc.type or "") not in _REPORT_TYPES:
        return None
    return "Có — theo báo cáo, việc này đã được thực hiện" if _DONE.search(fold(top.text).lower()) else None


def _front(quotes: list, deciding) -> list:
    """`quotes` with the first one `deciding` accepts moved to the front (unchanged when none does)."""
    at = next((i for i, x in enumerate(quotes) if deciding(x)), None)
    return quotes if at in (None, 0) else [quotes[at]] + quotes[:at] + quotes[at + 1:]


def compose_yesno(ctx: Context) -> dict | None:
    b = Builder(ctx)
    if _issuer_verdict(ctx, b):
        return b.result("passages")
    if _role_verdict(ctx, b):
        return b.result("obligations")
    chosen = best_sentences(ctx, ctx.source_passages(), ctx.k or 3)
    if not chosen or not supported(ctx, chosen[0].score, chosen[0].text, chosen[0].passage.doc.title or "",
                                   chosen[0].passage.context):
        return None
    if EXCEPTION.search(fold(ctx.q.expanded).lower()):
        chosen = chosen + exceptions_after(chosen[0], chosen)  # "…, có trường hợp nào được miễn không?"
    low_q = fold(ctx.q.expanded).lower()
    # A claim of how often or how much is decided by the best sentence stating a frequency or a bound,
    # which may rank below one on the same subject that states neither.
    if periods(low_q):
        chosen = _front(chosen, lambda x: bool(periods(fold(x.text).lower())))
    elif _PAST.search(low_q):
        chosen = _front(chosen, lambda x: _BOUND.search(fold(x.text).lower()) is not None)
    verdict = (_modal_verdict(ctx, chosen) or _period_verdict(ctx, chosen) or _limit_verdict(ctx, chosen)
               or _status_verdict(ctx, chosen))
    if verdict:
        b.direct(f"{verdict}. Văn bản nêu:", b.span_of(chosen[0].passage, chosen[0].start, chosen[0].end))
    else:
        b.direct("Văn bản không trả lời thẳng “có” hay “không”; các quy định liên quan:")
    b.quotes(chosen, ctx.terms())
    return b.result("passages")
