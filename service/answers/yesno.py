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
from ingest.tokenize import syllables
from ingest.places import provinces_in

from ..records import doc_label
from ..retrieval.names import TYPE_ALT, TYPE_WORDS
from ..retrieval.cues import EXCEPTION, STATUS, STOP_SYLLABLES, cue_ok
from ..retrieval.scoring import W, coverage, text_match
from .compose import Builder
from .context import Context
from .metadata import _type_code, citing_spans, field_spans, signing_organ
from .passages import best_sentences, exceptions_after
from .support import FULL_DAY, row_labelled, supported

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
    if (said := claim_of(ctx)) is not None and (at := low_q.find(fold(said[1]).lower())) > 0:
        # a modal in the subject ("Đảng viên được miễn sinh hoạt có tính … không?") claims nothing
        claims = [m for m in claims if m.start("verb") >= at]
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


# The claim of a yes/no question, after its frame: "Chi bộ [có được] họp trực tuyến … [không]?", "… [có
# còn phải] gửi kèm bản giấy … [không]?", "chi bộ [còn] in tài liệu … [ko]", "… [có] đặt ở nhà văn hóa
# thôn [không]?". `modal`: what the question asks of the act — allowed ("được"), required ("phải",
# "cần", "bắt buộc") or done at all (none).
_FRAME = re.compile(r"(?:co\s+)?(?:con\s+)?(?P<modal>duoc|phai|can|bat buoc|the)?\s*"
                    r"(?P<claim>(?!khong\b|chua\b)[a-z0-9].*?)\s*(?P<after>duoc\s+)?(?:khong|chua)\s*[?.!…]*\s*$")
_OPENER = re.compile(r"(?<![0-9a-z])(?:co|con|duoc|phai|can)(?![0-9a-z])")
# The words a frame opens with, as typed with diacritics: "có", "còn", "được", "phải", "cần".
_FRAME_WORDS = {"co": "có", "con": "còn", "duoc": "được", "phai": "phải", "can": "cần"}
# A negation in a document's sentence, and what it denies: an act ("không gửi kèm", "không cho … mượn"),
# an obligation ("không phải", "không cần", "không bắt buộc") or a permission ("không được", "nghiêm cấm").
_NEGATION = re.compile(r"(?<![0-9a-z])(?P<neg>khong(?:\s+(?P<kind>phai|can|bat buoc|duoc))?|nghiem cam|cam)(?![0-9a-z])")
# "không quá 30 ngày", "không chỉ", "không ngừng", "không để xảy ra": no denial of an act
_NOT_A_DENIAL = re.compile(r"khong\s+(?:qua|duoi|it hon|chi|ngung|de|nhung|vuot|thap hon|cao hon|dong thoi|sao)(?![0-9a-z])")
# The denying clause must match the claim at least this share of the sentence's best other clause, and
# cover this much of the claim itself: a "không" elsewhere in the sentence ("… không đăng nhập quá 90
# ngày; tài khoản được mở lại …") denies another act. Lower values let a denial of a neighbouring act
# decide; higher ones miss denials whose object the clause before names ("… một thẻ truy cập; không cho
# người khác mượn …").
NEGATED_SHARE = 0.8
NEGATED_COVER = 0.3


# A claim that something is forbidden ("Quy định 55 có cấm … không?"), as typed (folded, "cam" is also
# "cảm", "cầm"; typed without diacritics, any "cam").
_FORBIDS = re.compile(r"(?<!\w)(?:cấm|cam)(?!\w)", re.I)


# A second claim inside the first one's words: "… không, có được …", "… và có được …".
_SECOND_CLAIM = re.compile(r"(?<![0-9a-z])(?:khong|chua)\s*[,;?]|(?:,|\bva)\s+(?:co\s+)?(?:phai|duoc|can|bi|con)\b")


def claim_of(ctx: Context) -> tuple[str | None, str] | None:
    """(modal, claim text as typed) of a yes/no question, the frame's words left out; None when the
    question has no such frame or denies something itself ("có được không tham gia …?")."""
    text = ctx.q.expanded
    low = fold(text).lower()
    if len(low) != len(text):
        return None
    # "Đảng viên được miễn sinh hoạt có tính vào … không?": the frame opens at "có" when the question
    # has one; a "được" or "phải" before it belongs to the subject
    openers = sorted(_OPENER.finditer(low), key=lambda o: (o.group(0) != "co", o.start()))
    for at in openers:
        m = _FRAME.match(low, at.start())
        if m is None:
            continue
        opener = low[m.start():m.start("claim")].split()
        if not opener:
            continue
        typed = text[m.start():m.start("claim")].lower().split()
        # the frame's words as typed ("Bến Mới có …": "có"; "cơ quan" is no "có")
        if ctx.q.typed_without_diacritics or all(_FRAME_WORDS.get(o) in (t, None) for o, t in zip(opener, typed)):
            claim = text[m.start("claim"):m.end("claim")]
            folded = fold(claim).lower()
            if re.match(r"(?:khong|chua)\b", folded) or _FORBIDS.search(claim):
                return None  # the claim denies or forbids itself: a denial in the text would agree with it
            if _SECOND_CLAIM.search(folded):
                return None  # "có phải kiểm điểm không, có được xếp loại không?": two claims, one verdict each
            # "… có mở lại được không?": "được" after the act asks whether it is allowed
            return m.group("modal") or ("duoc" if m.group("after") else None), claim
    return None


def _affirmation_verdict(ctx: Context, quotes) -> str | None:
    """"Có" when the best quote allows or requires, in so many words, the act the question claims
    ("… có mở lại được không?" — "tài khoản tạm khóa được mở lại khi …"): the act's first two syllables
    right after "được" / "phải" / "có thể", in a clause that holds the claim and denies nothing before
    them. A claim of an obligation needs "phải" / "cần"; of a permission any of them. None otherwise —
    a fact stated without a modal decides nothing here."""
    said = claim_of(ctx)
    if said is None or not quotes or said[0] is None:
        return None
    modal, claim = said
    act = fold(claim).lower().split()[:2]
    if len(act) < 2:
        return None
    text = quotes[0].text
    low = fold(text).lower()
    terms = ctx.terms(claim)
    for m in re.finditer(_STATED.format(verb=re.escape(" ".join(act))), low):
        if m.group("neg"):
            continue
        start, end = _clause_start(text, m.start()), _scope_end(low, m.end())
        if _NEGATION.search(low[start:m.start()]) or coverage(terms, text[start:end]) < NEGATED_COVER:
            continue
        stated = m.group("modal")
        if stated == "cam" or (modal in ("phai", "can", "bat buoc") and stated not in ("phai", "can")):
            continue
        return "Có (với điều kiện văn bản nêu)" if _CONDITION_BEFORE.search(text[m.end():end]) else "Có"
    # (not "Có phải Văn phòng … chủ trì …?": opening the question, "có phải" asks whether a claim is true)
    if modal in ("phai", "can", "bat buoc") and _normative(quotes[0].passage.doc.number) \
            and not re.match(r"\W*(?:co phai|phai chang)\b", fold(ctx.q.expanded).lower()) \
            and re.search(rf"(?:phai|can|bat buoc)\s+{re.escape(' '.join(act))}(?![0-9a-z])", fold(ctx.q.expanded).lower()):
        # A rule states a duty without "phải" ("Bí thư đảng ủy xã đối thoại với Nhân dân ít nhất 02 lần
        # mỗi năm"): in a regulation, plan or directive the act said plainly is required — with the
        # count the question states, when it states one ("… 2 lần 1 năm").
        for m in re.finditer(rf"(?<![0-9a-z]){re.escape(' '.join(act))}(?![0-9a-z])", low):
            start, end = _clause_start(text, m.start()), _scope_end(low, m.end())
            if _NEGATION.search(low[start:end]) or coverage(terms, text[start:end]) < NEGATED_COVER:
                continue
            if not _same_subject(ctx, claim, low[_sentence_start(text, m.start()):end]):
                continue  # a rule for someone else ("Bí thư huyện ủy đối thoại …" asked of a chi bộ)
            asked = _times(fold(claim).lower())
            if asked and asked != _times(low[start:end]):
                return None  # another count than the one asked: the text does not say yes to it
            return "Có (với điều kiện văn bản nêu)" if _CONDITION_BEFORE.search(text[start:end]) else "Có"
    return None


EXCEPTED = "Không (trường hợp được hỏi nằm trong ngoại lệ văn bản nêu)"
EXCEPTED_COVER = 0.5  # share of the excepted case's syllables the question must name to be that case


def _excepted(claim: str, after: str) -> bool:
    """The sentence leaves out ("trừ …", "ngoại trừ …") the very case the claim asks about."""
    m = _EXCEPT.search(after)
    if m is None:
        return False
    case = re.split(r"[;.)]", after[m.end():], maxsplit=1)[0]
    own = set(syllables(case)) - STOP_SYLLABLES
    asked = set(syllables(claim))
    return bool(own) and len(own & asked) >= EXCEPTED_COVER * len(own)


# Kinds of document whose plain statements of an act are rules (not a report's facts): by number code.
_NORMATIVE_CODES = frozenset({"qd", "qdi", "qc", "hd", "kh", "ct", "ctr", "nq", "kl", "tb"})
_TIMES = re.compile(r"(?<![0-9a-z])0*(\d{1,2})\s+lan(?![0-9a-z])")


SUBJECT_COVER = 0.6  # share of the asked subject's syllables the rule's sentence must name


def _same_subject(ctx: Context, claim: str, sentence: str) -> bool:
    """The words before the claim ("bí thư đảng ủy xã" of "… có phải đối thoại …") are in the sentence."""
    low = fold(ctx.q.expanded).lower()
    cut = low.find(fold(claim).lower())
    own = set(syllables(low[:cut] if cut > 0 else "")) - STOP_SYLLABLES - {"co", "phai", "can", "toi", "minh"}
    return not own or len(own & set(syllables(sentence))) >= SUBJECT_COVER * len(own)


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in ".;") + 1


def _normative(number: str | None) -> bool:
    m = re.match(r"\s*\d+\s*-\s*([^/\s]+)", fold(number or "").lower())
    return bool(m) and m.group(1) in _NORMATIVE_CODES


def _times(low: str) -> set[int]:
    """The counts of times a text states ("02 lần", "2 lần")."""
    return {int(m.group(1)) for m in _TIMES.finditer(low)}


# A negation inside a condition: "… không báo cáo … thì …", "nếu không …", "trường hợp không …".
_CONDITION = re.compile(r"\sthì\s", re.I)
_CONDITION_BEFORE = re.compile(r"(?<!\w)(?:nếu|trường hợp|khi|mà)(?!\w)", re.I)


# The rest of a group, apart from ones named before: "các xã, thị trấn còn lại", "các đơn vị khác".
_THE_OTHERS = re.compile(r"(?<!\w)(?:còn lại|con lai|khác|khac)(?!\w)", re.I)

_EXCEPT = re.compile(r"(?<!\w)(?:trừ|ngoại trừ)(?!\w)", re.I)


def _quoted(text: str, at: int) -> bool:
    """`at` stands inside quotation marks (an odd number of them before it on its line)."""
    before = text[text.rfind("\n", 0, at) + 1:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _clause_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in ";,:.") + 1


def _scope_end(low: str, at: int) -> int:
    """Where a negation's clause ends: at the next ";" or "." — or, when a colon opens a list before
    that ("Không tổ chức trực tuyến các nội dung: bầu cử …; xem xét kỷ luật …"), at the sentence's end."""
    semi = low.find(";", at)
    stop = low.find(".", at)
    end = min([j for j in (semi, stop) if j >= 0] or [len(low)])
    colon = low.find(":", at)
    if 0 <= colon < end:
        return stop if stop >= 0 else len(low)
    return end


def _negation_verdict(ctx: Context, quotes) -> tuple[int, int] | None:
    """The index of the first quote that denies the question's claim ("có được cho đồng nghiệp mượn tài
    khoản không?" — "… không cho người khác mượn, sử dụng tài khoản của mình"): a clause opening with
    a negation holds what the sentence says of the claim. A claim of permission is not denied by "không
    phải" (not required); with where in it the denial starts; None when no quote denies it."""
    said = claim_of(ctx)
    if said is None:
        return None
    modal, claim = said
    terms = ctx.terms(claim)
    if terms.empty:
        return None
    claimed = set(terms.weights)
    above: set[str] = set()  # the claim's syllables the quotes ranked higher hold
    for i, quote in enumerate(quotes):
        text = quote.text
        low = fold(text).lower()
        for m in _NEGATION.finditer(low):
            if _NOT_A_DENIAL.match(low, m.start()) or _quoted(text, m.start()):
                continue  # a bound ("không quá"), or a name ("xếp loại “Không hoàn thành nhiệm vụ”")
            if modal == "duoc" and m.group("kind") in ("phai", "can", "bat buoc"):
                continue  # not required is not forbidden
            end = _scope_end(low, m.end())
            clause = text[m.start():end]
            if _CONDITION.search(clause) or _CONDITION_BEFORE.search(text[_clause_start(text, m.start()):m.start()]):
                continue  # "Đảng viên không báo cáo … thì …": a condition, not a denial
            subject = text[max(text.rfind(";", 0, m.start()), text.rfind(".", 0, m.start())) + 1:m.start()]
            if _THE_OTHERS.search(subject) and not _THE_OTHERS.search(ctx.q.expanded):
                # "Xã Hương Cần được chọn …; các xã còn lại không tổ chức …": denied of the others, not
                # of the one the sentence names before them
                continue
            # the other clauses of the sentence, the text before the denial and after its scope
            others = [c for c in re.split(r";", text[:_clause_start(text, m.start())] + ";" + text[end:]) if c.strip()]
            rival = max((text_match(terms, c) for c in others), default=0.0)
            if coverage(terms, clause) < NEGATED_COVER or text_match(terms, clause) < NEGATED_SHARE * rival:
                continue
            # below a higher-ranked quote, the denial must hold an act of the claim the ones above lack
            # ("không cho người khác mượn" under sentences about the same accounts)
            if i and not (claimed & set(syllables(fold(clause).lower())) - above):
                continue
            return i, m.start()
        above |= claimed & set(syllables(low))
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


# "X ban hành nghị quyết chuyên đề có đúng hạn mà CTr 21 yêu cầu không?": whether a document was issued
# within the time another sets. The act ("ban hành", "xây dựng" a kind of document) and the words of time.
_TIMELY = re.compile(r"(?<![0-9a-z])(?:dung han|kip han|dung thoi han|dung tien do|cham|tre han|qua han)(?![0-9a-z])")
_ISSUE_ACT = re.compile(r"(?<![0-9a-z])(?:ban hanh|xay dung)\s+(?P<kind>" + TYPE_ALT + r")(?![0-9a-z])")


def _timely_verdict(ctx: Context, b: Builder) -> bool:
    """"Có" / "Không" to whether a body issued a kind of document within the deadline a named document
    sets for it: the deadline from the named document's duty to issue that kind, the date from the
    header of the one stored document of that kind that the body issued and that cites the named one.
    False (no verdict) when any of the three is missing or not one."""
    from datetime import date

    from .compose import deadline_phrase

    low = fold(ctx.q.expanded).lower()
    act = _ISSUE_ACT.search(low)
    if not (ctx.q.yesno and act and _TIMELY.search(low)):
        return False
    code, kind_words = TYPE_WORDS[act.group("kind")], act.group("kind")
    required = list(ctx.lk.named) + [d for d in ctx.lk.mentioned if d not in ctx.lk.named]
    if len(required) != 1:
        return False
    req = required[0]
    of_req = ctx.duty_records(ctx.duty_index().of_docs([req.doc_id], ctx.visible_duties())).values()
    duties = [d for d in of_req if d.due_end
              and re.search(rf"(?<![0-9a-z])ban hanh\s+(?:[a-z]+\s+){{0,3}}?{kind_words}(?![0-9a-z])", fold(d.quote).lower())]
    if not duties:
        return False
    terms = ctx.terms()
    duty = max(duties, key=lambda d: text_match(terms, d.quote))
    placed = ctx.placed_ids()
    issued = [e for e in ctx.kb.meta(ctx.levels)
              if e["doc_id"] in placed and e["doc_id"] in ctx.kb.citing_docs(req.number, ctx.levels)
              and _type_code(e) == code and e.get("issued")]
    if len(issued) != 1:
        return False
    entry = ctx.document(issued[0]["doc_id"]) or issued[0]  # the whole entry: its header lines
    on = date.fromisoformat(entry["issued"])
    due = date.fromisoformat(duty.due_end)
    in_time = on < due if (duty.deadline or {}).get("exclusive_end") else on <= due
    label = doc_label(entry.get("type"), entry.get("number"))
    when = deadline_phrase(duty.deadline, duty.recurrence)
    dated = field_spans(entry, "date")
    verdict = "Có" if in_time else "Không"
    from .metadata import _date_as_written

    b.direct(f"{verdict}. {label} ban hành ngày {_date_as_written(entry)}, {'trong' if in_time else 'sau'} hạn "
             f"{when} ({duty.doc.label}).", duty.span, *dated[:1])
    b.duty(duty, None)
    b.quote_spans(dated[:1])
    return True


# "Hạn … trong TB 45 có sớm hơn hạn trong KH 31 không?": one deadline against another.
_EARLIER = re.compile(r"(?<![0-9a-z])(?:som hon|truoc han|truoc)(?![0-9a-z])")
_LATER = re.compile(r"(?<![0-9a-z])(?:muon hon|tre hon|cham hon|sau)(?![0-9a-z])")
_COMPARES = re.compile(r"(?<![0-9a-z])(?:som hon|muon hon|tre hon|cham hon)(?![0-9a-z])")


def _compare_verdict(ctx: Context, b: Builder) -> bool:
    """"Có" / "Không" to whether the deadline one named document sets is earlier (or later) than the one
    another sets for the same work: each document's deadline as the deadline composer picks it from that
    document alone, compared by their last days. False (no verdict) unless both give a date."""
    from dataclasses import replace
    from datetime import date, timedelta

    from .compose import deadline_phrase
    from .duties import compose_deadline

    low = fold(ctx.q.expanded).lower()
    m = _COMPARES.search(low)
    if not (ctx.q.yesno and m and len(ctx.lk.named) == 2):
        return False
    picked = []
    for nd in ctx.lk.named:
        sub = replace(ctx, lk=replace(ctx.lk, named=(nd,), doc_ids=(nd.doc_id,)), _passages=None, _source=None)
        ans = compose_deadline(sub)
        obs = (ans or {}).get("obligations") or []
        dl = (obs[0].get("deadline") or {}) if obs else {}
        if not dl.get("end"):
            return False
        last = date.fromisoformat(dl["end"]) - timedelta(days=1 if dl.get("exclusive_end") else 0)
        # a duty's id starts with its document's: among the cited document's duties
        cited = sub.duty_index().of_docs([obs[0]["citation"]["doc_id"]], sub.visible_duties())
        duty = next((d for d in sub.duty_records(cited).values() if d.id == obs[0].get("id")), None)
        if duty is None:
            return False
        picked.append((last, duty))
    (first, d1), (second, d2) = picked
    earlier = m.group(0) == "som hon"
    holds = first < second if earlier else first > second
    word = "sớm hơn" if first < second else ("muộn hơn" if first > second else "trùng với")
    b.direct(f"{'Có' if holds else 'Không'}. Hạn của {d1.doc.label} ({deadline_phrase(d1.deadline, d1.recurrence)}) "
             f"{word} hạn của {d2.doc.label} ({deadline_phrase(d2.deadline, d2.recurrence)}).", d1.span, d2.span)
    b.duty(d1, None)
    b.duty(d2, None)
    return True


def compose_timely(ctx: Context) -> dict | None:
    """The timeliness verdict as an answer of its own (a yes/no question whose words also read as a
    deadline question: "… có đúng hạn mà CTr 21 yêu cầu không?"); None when it decides nothing."""
    b = Builder(ctx)
    return b.result("obligations") if (_timely_verdict(ctx, b) or _compare_verdict(ctx, b)) else None


# Words that leave people or bodies out of a rule: "không áp dụng đối với …", "trừ …", "không bao gồm …".
_LEAVES_OUT = re.compile(r"(?<![0-9a-z])(?:khong ap dung (?:doi )?voi|khong ap dung cho|khong bao gom|khong thuoc doi tuong"
                         r"|ngoai tru|tru)(?![0-9a-z])\s*")
_MEMBER_SPLIT = re.compile(r"\s*(?:,|;|\bva\b|\bhoac\b)\s*")
MEMBER_MIN_SYLLABLES = 2  # a left-out member this short ("xã") says too little to be the one asked about


def _left_out_verdict(ctx: Context, quotes) -> tuple[int, int] | None:
    """(quote index, where its exception starts) when a quote leaves out exactly who the question asks
    about ("Chi bộ công an xã có phải lấy ý kiến … không?" — "Việc lấy ý kiến không áp dụng đối với chi
    bộ quân sự và chi bộ công an xã"): every syllable of one left-out member is in the words before the
    question's frame, and the quote speaks of the claimed act. A member naming more than the asker
    ("trừ đảng viên được miễn sinh hoạt" for "Đảng viên có phải …") decides nothing."""
    said = claim_of(ctx)
    if said is None or said[0] == "duoc":
        return None  # a permission is not denied by being left out of a duty
    modal, claim = said
    low_q = fold(ctx.q.expanded).lower()
    at = low_q.find(fold(claim).lower())
    subject = set(syllables(low_q[:at])) - STOP_ASKER if at > 0 else set()
    terms = ctx.terms(claim)
    if len(subject) < MEMBER_MIN_SYLLABLES or terms.empty:
        return None
    for i, quote in enumerate(quotes[:3]):
        low = fold(quote.text).lower()
        if coverage(terms, quote.text) < NEGATED_COVER:
            continue
        for m in _LEAVES_OUT.finditer(low):
            end = _scope_end(low, m.end())
            for member in _MEMBER_SPLIT.split(low[m.end():end]):
                words = syllables(member)
                if len(words) >= MEMBER_MIN_SYLLABLES and set(words) <= subject:
                    return i, m.start()
    return None


# The asker's words before a claim that name no one: "tôi", "là", "thì", "có".
STOP_ASKER = frozenset("toi em minh la thi co con cac nhung".split())


# A claim about who signed ("do đồng chí X ký", "có phải trưởng ban ký"), what a document replaces ("có
# thay thế quyết định 97 không") or when it takes effect or was issued ("có hiệu lực từ 1/4/2030 phải không").
# ("ký", not the "kỳ" of "định kỳ", "nhiệm kỳ", "học kỳ", …: folded alike)
_SIGN_CLAIM = re.compile(r"(?<![a-z])(?:do\s+)?(?P<who>[a-z][a-z ]{2,60}?)(?<!dinh)(?<!thoi)(?<!nhiem)(?<!hoc)(?<!chu)"
                         r"(?<!thuong)(?<!moi)\s+(?P<ky>ky)(?:\s+ban hanh)?(?![a-z])")
# A replacement of part of a document only: "thay thế các nội dung của Chỉ thị … trái với Kết luận này".
_PARTIAL = re.compile(r"(?<!\w)(?:các|những)\s+(?:nội dung|phần|điểm|quy định)|trái với|một phần", re.I)
_REPLACE_CLAIM = re.compile(r"(?<![a-z])thay the(?:\s+cho)?\s+(?P<what>[a-z][^?]{0,60}?\d+)")
_DAY_CLAIM = re.compile(r"(?<![a-z])(?P<field>hieu luc|ban hanh|ky)\s+(?:tu\s+|vao\s+|ke tu\s+)?(?:ngay\s+)?"
                        r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?")
_BODY_WORDS = re.compile(r"(?<![a-z])(?:ban|uy|van phong|so|phong|hoi dong|dang bo|chi bo)(?![a-z])")
_POSTS = ("pho bi thu thuong truc", "pho bi thu", "bi thu", "pho truong ban", "truong ban", "pho chanh van phong",
          "chanh van phong", "pho chu nhiem", "chu nhiem", "pho chu tich", "chu tich")


def _meta_claim_verdict(ctx: Context, b: Builder) -> bool:
    """"Có" / "Không" to a claim about a named document's signer, what it replaces, or the day it was
    issued or takes effect — read off its own header, signature and articles, each cited."""
    from .metadata import _DOCNO, _dated_number, _signer_title, _value, described_document, field_spans as spans_of

    low = fold(ctx.q.expanded).lower()
    signed = (m := _SIGN_CLAIM.search(low)) is not None and cue_ok(ctx.q.expanded, m.span("ky"))
    if not (_DAY_CLAIM.search(low) or _REPLACE_CLAIM.search(low) or signed):
        return False
    # the document named, or described by its kind and words ("Quy chế đối thoại … có hiệu lực từ …")
    doc = ctx.lk.named[0] if ctx.lk.named else described_document(ctx, any_year=True)
    if doc is None:
        return False
    entry = ctx.document(doc.doc_id)
    if entry is None:
        return False
    label = doc_label(entry.get("type"), entry.get("number"))
    if (m := _DAY_CLAIM.search(low)) is not None:
        name = "effective" if m.group("field") == "hieu luc" else "date"
        spans = spans_of(entry, name)
        day = FULL_DAY.search(spans[0].quote) if spans else None
        if not day:
            return False
        d, mo, y = (g for g in day.groups() if g is not None)
        stated = (int(d), int(mo), y)
        claimed = (int(m.group("d")), int(m.group("m")), m.group("y") or y)
        verdict = "Có" if claimed == stated else "Không"
        what = "có hiệu lực từ" if name == "effective" else "ban hành"
        b.direct(f"{verdict}. {label} {what} ngày {stated[0]:02d}/{stated[1]:02d}/{y}.", spans[0])
        b.quote_spans(spans[:1])
        return True
    if (m := _REPLACE_CLAIM.search(low)) is not None:
        spans = spans_of(entry, "replaces")
        from .cross import as_named
        from ..retrieval.names import named_docs

        claimed = named_docs(m.group("what"))
        if not spans or not claimed:
            return False
        if _PARTIAL.search(spans[0].quote):
            if not re.search(r"(?<![a-z])(?:toan bo|het|hoan toan)(?![a-z])", low):
                return False  # replaced in part: the sentence, not a yes or a no, answers
            b.direct(f"Không. {label} chỉ thay thế một phần — văn bản nêu:", spans[0])
            b.quote_spans(spans[:1])
            return True
        said = [n for sp in spans for x in _DOCNO.finditer(sp.quote) if (n := as_named(x.group(0))) is not None]
        same = any(c.number == n.number and (c.code in (None, n.code)) for c in claimed for n in said)
        numbers = ", ".join(dict.fromkeys(_dated_number(sp.quote, x) for sp in spans for x in _DOCNO.finditer(sp.quote)))
        b.direct(f"{'Có' if same else 'Không'}. {label} thay thế {numbers}.", spans[0])
        b.quote_spans(spans[:1])
        return True
    if (m := _SIGN_CLAIM.search(low)) is not None and cue_ok(ctx.q.expanded, m.span("ky")) \
            and (signer := _value(entry, "signer")):
        who = m.group("who")
        post = next((p for p in _POSTS if re.search(rf"(?<![a-z]){p}(?![a-z])", who)), None)
        title = _signer_title(entry) or ""
        named = [w for w in re.findall(r"[A-ZĐ][^\W\d_]+", ctx.q.expanded[m.start("who"):m.end("who")])]
        if post is not None:
            # (the signer's most specific post: a "Phó Bí thư Thường trực" is a phó bí thư, not a bí thư)
            held = next((p for p in _POSTS if p in fold(title).lower()), "")
            same = held.startswith(post)
        elif _BODY_WORDS.search(who):
            return False  # "do Ban Tuyên giáo ký": a body issues, a person signs — the issuer claim's to answer
        elif len(named) >= 2:
            same = all(fold(w).lower() in fold(signer).lower() for w in named[-2:])
        else:
            return False
        spans = spans_of(entry, "signer_position")[:1] + spans_of(entry, "signer")[:1]
        if not spans:
            return False
        b.direct(f"{'Có' if same else 'Không'}. {label} do {signer}{f' ({title})' if title else ''} ký.", spans[0])
        b.quote_spans(spans)
        return True
    return False


def compose_claim(ctx: Context) -> dict | None:
    """A yes/no claim about a document's signer, replacement or day ("QĐ 318 có hiệu lực từ 1/4/2030 phải
    không?"), however the question is otherwise read (such a question also asks a metadata field)."""
    if not ctx.q.yesno:
        return None
    b = Builder(ctx)
    return b.result("passages") if _meta_claim_verdict(ctx, b) else None


def compose_yesno(ctx: Context) -> dict | None:
    b = Builder(ctx)
    if _meta_claim_verdict(ctx, b):
        return b.result("passages")
    if _issuer_verdict(ctx, b):
        return b.result("passages")
    if _timely_verdict(ctx, b) or _compare_verdict(ctx, b):
        return b.result("obligations")
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
    verdict = verdict or _affirmation_verdict(ctx, chosen)
    if verdict and verdict.startswith("Có") and (said := claim_of(ctx)) is not None and _excepted(said[1], chosen[0].text):
        verdict = EXCEPTED  # "… được ủy quyền …, trừ buổi đối thoại lần thứ nhất": the case asked is left out
    elif verdict == "Có" and _EXCEPT.search(chosen[0].text):
        verdict = "Có (trừ trường hợp văn bản nêu)"  # the yes holds but for the case the sentence leaves out
    if verdict is None and (left := _left_out_verdict(ctx, chosen)) is not None:
        i, _ = left
        chosen = [chosen[i]] + chosen[:i] + chosen[i + 1:]
        verdict = "Không (văn bản loại trừ trường hợp này)"
    if verdict is None and (denied := _negation_verdict(ctx, chosen)) is not None:
        i, at = denied
        chosen = [chosen[i]] + chosen[:i] + chosen[i + 1:]
        # "… không bị kiểm tra quá 01 lần …, trừ trường hợp …": the answer says the text makes exceptions
        verdict = "Không (trừ trường hợp văn bản nêu)" if _EXCEPT.search(chosen[0].text, at) else "Không"
    if verdict:
        b.direct(f"{verdict}. Văn bản nêu:", b.span_of(chosen[0].passage, chosen[0].start, chosen[0].end))
    else:
        b.direct("Văn bản không trả lời thẳng “có” hay “không”; các quy định liên quan:")
    b.quotes(chosen, ctx.terms())
    return b.result("passages")
