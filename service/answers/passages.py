"""Content, list and exception questions: the sentences of the stored text that answer them.

- content ("… là gì?", "… như thế nào?"): the best sentences of the best passages;
- list ("gồm những gì?", "những … nào?"): a section whose heading the question names, item by item,
  else the best sentences (an enumeration is usually one sentence);
- exception ("ai được miễn?", "trường hợp nào?"): sentences and footnotes that state exceptions and
  conditions ("trừ", "không áp dụng", "trường hợp", "dưới …") weigh more.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ingest.normalize import fold
from ingest.tokenize import syllables

from ..records import Passage, document_face, section_label
from ..retrieval.scoring import (W, QueryTerms, defines, first_number, heading_in_question, local_terms, text_match,
                                 without)
from ..retrieval.cues import EXCEPTION_WORDS, STOP_SYLLABLES
from .compose import Builder, Quote, is_heading, with_bullet
from .context import Context
from .support import (YEAR, asked_doer, asked_level, asked_ordinal, asks_amount, asks_event_day, asks_fact_time, counted_unit,
                      money_agrees, per_unit, row_labelled, said_level, states_count_of, states_doer, states_duration,
                      event_days, states_fact_time, states_ordinal, states_per_unit, support_needed, supported)

# How much a sentence stating an exception gains on an exception question: enough to pass a
# sentence covering a little less of the question, not one on another subject.
EXCEPTION_BONUS = 0.25
# Kinds of question whose answer a lead-in ("… gồm các nội dung:") ranks lower for, until its items are read.
LEAD_IN_KINDS = ("content", "list", "exception")
# A document's face — its header (issuer, number, place and date) and closing (recipients,
# signature) — says who issued it and when, never what must be done: only metadata answers quote it.
FACE_BLOCKS = ("header", "closing")


def sentence_candidates(ctx: Context, passages: list[Passage], *, exception: bool = False) -> list[Quote]:
    """Every non-heading sentence of the best passages, scored for the question."""
    from ingest.normalize import fold

    q = ctx.q
    terms = ctx.terms()
    named = ctx.lk.named_ids
    out: list[Quote] = []
    faces: dict[str, str] = {}
    local: dict[str, QueryTerms] = {}
    # A yes/no question's rarest words may be the very claim to check ("ở xã Xuân Lộc"): no gain for them.
    local_weight = 0.0 if q.kind == "yesno" else W.local_match
    unit = counted_unit(ctx)
    day = q.kind == "deadline" and asks_event_day(ctx)
    pool = [p for p in passages if p.kind not in FACE_BLOCKS]
    if (unit or day) and len(pool) >= W.sentence_pool:
        # The count, or the day a thing was done, may sit below passages that repeat the question's
        # other words: look deeper.
        seen = {(p.doc_id, p.start) for p in pool}
        pool += [p for p in ctx.search(replace(ctx.lk, doc_ids=tuple(sorted(named))) if named else ctx.lk,
                                       k=W.count_pool)
                 if p.kind not in FACE_BLOCKS and (p.doc_id, p.start) not in seen]
    chosen = pool[:W.sentence_pool] + [p for p in pool[W.sentence_pool:W.count_pool]
                                       if (unit and states_count_of(unit, p.text)) or (day and event_days(p.text))]
    titled = ctx.titled_ids() or ctx.sourced_ids()
    own = terms
    if titled:
        # The title's words say which document is asked about, and every sentence of it stands under
        # them; what a sentence must say itself is the rest ("… đối với Nhân dân"), wherever it stands.
        # Other documents get nothing for citing that title ("thực hiện Quy định số 144 … về chuẩn mực …").
        rest = without(terms, document_face(ctx.document(titled[0]) or {}))
        own = terms if rest.empty else rest
        # The best passages of the document the question's words title, wherever the others rank.
        have = {(p.doc_id, p.start) for p in chosen}
        for p in pool[W.sentence_pool:] + ctx.search(replace(ctx.lk, doc_ids=titled), k=W.titled_pool):
            if p.doc_id in titled and p.kind not in FACE_BLOCKS and (p.doc_id, p.start) not in have:
                chosen.append(p)
                have.add((p.doc_id, p.start))
    ranks = {id(p): i for i, p in enumerate(pool)}  # a passage's place in the ranking (titled ones may come from beyond it)
    for p in chosen:
        rank = ranks.get(id(p), len(pool))
        if p.doc_id not in faces:
            # Who issued the document and where: "… của Đảng bộ xã Tân Phước" is matched by the
            # words every sentence stands under, as its title is.
            faces[p.doc_id] = ctx.issuer_place(p.doc_id)
            entry = ctx.document(p.doc_id) or {}
            local[p.doc_id] = local_terms(own, entry.get("df") or {}, (entry.get("counts") or {}).get("chunks", 0),
                                          f"{p.doc.title or ''} {faces[p.doc_id]}")
        prior = W.rank_prior / (rank + 1)
        if p.doc_id in named or p.doc_id in ctx.sourced_ids():
            # (a document named by its number, or described as the source: "theo quy chế của UBKT
            # Tỉnh ủy …", "chỉ thị tỉnh ủy nêu …")
            prior += W.named_doc_sentence
        elif p.doc_id in ctx.placed_ids() or p.doc_id in titled:
            prior += W.placed_doc
        if q.ordinal and (not named or p.doc_id in named) and first_number(p.section) == q.ordinal:
            prior += W.ordinal_sentence
        # "the first standard of Regulation 144": the category words are the document's title.
        title = p.doc.title or "" if q.ordinal else ""
        # A table row is read with its columns' names: "Tỷ lệ (%): 56,6" answers "bao nhiêu phần trăm".
        labelled = row_labelled(ctx, p.doc_id, p.start) if p.kind == "row" else ""
        for s, e in p.sentence_spans():
            sent = p.quote(s, e)
            if is_heading(ctx, p.doc_id, s, e, sent):
                continue
            words = labelled or sent
            # The sentence's own words, and (half) with the words it stands under: the document
            # title and heading path make "chuẩn mực đạo đức cách mạng" the subject of Điều 1.2.
            score = (0.5 * text_match(own, f"{title} {p.section_title or ''} {words}")
                     + 0.5 * text_match(terms if p.doc_id in titled or not titled else own,
                                        f"{p.doc.title or ''} {faces[p.doc_id]} {p.context} {words}") + prior)
            gain = local_weight * text_match(local[p.doc_id], words)  # ranks, never supports
            # (a span asked — "bao lâu" — is no date: the sentence stating the span is the form asked)
            if (q.deadline_cue or q.kind == "deadline") and not q.duration and p.has_deadline and re.search(r"\d", sent):
                score += W.dated_sentence
            low = fold(sent).lower()
            if exception and EXCEPTION_WORDS.search(low):
                score += EXCEPTION_BONUS
            if q.defines and defines(low, q.defines):
                score += W.definition
            if q.asks_name and re.search(r"[“\"«][^”\"»]{8,}[”\"»]", sent):
                score += W.quoted_name
            if unit and states_count_of(unit, sent):
                score += W.count_sentence
            if q.kind in LEAD_IN_KINDS and sent.rstrip().endswith(":"):
                score -= W.lead_in
            out.append(Quote(score, p, s, e, score + gain))
    out.sort(key=lambda x: -x.order)
    return out


_QUOTED_NAME = re.compile(r"[“\"«][^”\"»]{8,}[”\"»]")


def names_subject(ctx: Context, text: str) -> bool:
    """The text gives, in quotation marks, the name of what the question asks the name of: the name
    stands in the clause of the question's subject ("Chuyên đề năm 2024 “Học tập …”"), no other item
    coordinated between them ("Chuyên đề năm 2025 và Cuốn “…”" names the book), of the year asked."""
    from ingest.normalize import fold
    from ingest.tokenize import syllables

    head = [w for w in syllables(ctx.q.topic) if w not in STOP_SYLLABLES][:2]
    asked = set(YEAR.findall(ctx.q.window.text)) if ctx.q.window else set()
    for m in _QUOTED_NAME.finditer(text):
        clause_start = max(text.rfind(c, 0, m.start()) for c in ";:.\n") + 1
        clause = text[clause_start:m.start()]
        low = fold(clause).lower()
        at = low.find(" ".join(head)) if head else -1
        if at < 0:
            continue
        between = clause[at:]
        if re.search(r"\svà\s+[A-ZĐ]", between):
            continue
        years = set(YEAR.findall(between))
        if asked and years and not asked & years:
            continue
        return True
    return False


# A question asking how many there are in all, and the bounds that state no such total.
_TOTAL_ASK = re.compile(r"(?<![a-z])(?:tong cong|tong so|hien co|co tat ca|tat ca co)(?![a-z])")
_BOUNDED_COUNT = re.compile(r"(?<![a-z])(?:it nhat|toi thieu|toi da|khong qua|tren|duoi|hon)\s+\d+")


def _of_form(ctx: Context, q: Quote) -> bool | None:
    """Whether a sentence has the form the question asks for (a name in quotation marks, a
    figure, a definition); None when the question asks for no particular form."""
    from ingest.normalize import fold

    from .support import asks_amount, states_amount

    if ctx.q.asks_name:
        return names_subject(ctx, q.text)
    if ctx.q.duration:  # "kéo dài bao lâu": the sentence stating a span ("từ 90 đến 120 phút")
        return states_duration(ctx.q.duration, q.text)
    each = per_unit(ctx)
    if each and (counted_unit(ctx) or asks_amount(ctx)) and not states_per_unit(each, _checked_text(ctx, q)):
        return False  # "mỗi lớp … bao nhiêu": a total, or a count of classes, is no amount per class
    unit = counted_unit(ctx)
    if unit:  # "có mấy mức": the sentence that says how many "mức"
        if _TOTAL_ASK.search(fold(ctx.q.expanded).lower()):
            # "hiện có tổng cộng bao nhiêu đảng viên?": a bound ("kiểm tra ít nhất 02 đảng viên") is no total
            return states_count_of(unit, _BOUNDED_COUNT.sub(" ", fold(q.text).lower()))
        return states_count_of(unit, q.text)
    ordinal = asked_ordinal(ctx)
    if ordinal:  # "lần thứ mấy": the sentence that says which
        return states_ordinal(ordinal, q.text)
    amount = asks_amount(ctx)
    if amount:
        text = _checked_text(ctx, q)
        return states_amount(amount, text) and (amount not in ("money", "cash") or money_agrees(ctx, text))
    if ctx.q.defines:
        return defines(fold(q.text).lower(), ctx.q.defines)
    if (verb := asked_doer(ctx)) is not None:  # "ai chủ trì?": the sentence naming who did it (a day
        return states_doer(verb, q.text)       # in the question says which meeting, it is not asked)
    if asks_fact_time(ctx):  # "họp ngày nào?": the sentence that states the meeting's day
        return states_fact_time(ctx, q.text)
    if ctx.q.kind == "deadline" and asks_event_day(ctx):  # "… nộp ngày nào?": a sentence stating a day done
        return bool(event_days(q.text))
    if ctx.q.kind == "list" and enumerates(q.text):
        return True  # "… những hệ thống nào?": the sentence listing them ("…, gồm: A; B; C")
    return None


# A list written inside one sentence: after "gồm" or a colon, items apart by ";" (or by "," after "gồm").
_LIST_OPENER = re.compile(r"(?:\b(?:bao gồm|gồm có|gồm)\b\s*:?|:)\s*(?P<rest>.+)$", re.S)
SHORT_ITEM_WORDS = 4  # words of an item listed after a colon with commas: more, and the commas are a clause's
LIST_ITEMS_MIN = 3  # items that make a list: two may be a pair ("A và B"), three are an enumeration
# An item of a list is a name ("Hệ thống quản lý văn bản và điều hành của các cơ quan đảng"), not a
# clause of prose: past this many words, the ";" parts are sentences' clauses ("…: Các cơ quan báo chí
# … tăng cường …; đấu tranh …").
LIST_ITEM_WORDS_MAX = 15


def enumerates(text: str) -> bool:
    """The sentence enumerates items itself: "…, gồm: Hệ thống A; Sổ tay B; Hệ thống C."."""
    m = _LIST_OPENER.search(text)
    if m is None:
        return False
    rest = m.group("rest")
    items = [x for x in rest.split(";") if x.strip()]
    if len(items) < LIST_ITEMS_MIN and "gồm" in text[:m.start("rest")]:
        items = [x for x in re.split(r"[;,]", rest) if x.strip()]
    if len(items) < LIST_ITEMS_MIN:
        # short names after a colon, apart by commas: "các hình thức: khiển trách, cảnh cáo, cách chức, khai trừ"
        short = [x for x in re.split(r",|\s+(?:và|hoặc)\s+", rest.rstrip(" .;")) if x.strip()]
        if len(short) >= LIST_ITEMS_MIN and max(len(x.split()) for x in short) <= SHORT_ITEM_WORDS:
            items = short
    return len(items) >= LIST_ITEMS_MIN and max(len(x.split()) for x in items) <= LIST_ITEM_WORDS_MAX


def best_sentences(ctx: Context, passages: list[Passage], limit: int, *, exception: bool = False,
                   skip: frozenset[tuple[str, int]] = frozenset()) -> list[Quote]:
    """The best sentences; `skip`: sentences (document, end) left out before any share is taken."""
    scored = [x for x in sentence_candidates(ctx, passages, exception=exception)
              if (x.passage.doc_id, x.end) not in skip]
    if not scored:
        return []
    best = scored[0].order
    # A sentence of the asked form ("có tên là gì?" → a quoted name) answers before a closer
    # match that lacks it, when it is near enough to be about the same thing.
    formed = [x for x in scored if x.order >= W.form_share * best and _of_form(ctx, x)]
    if formed and ctx.q.kind == "list":
        # a list asked and a sentence listing it: the sentences listing (the others only come near in words)
        return [x for x in formed if x.order >= W.keep_share * formed[0].order][:limit]
    if formed and not _of_form(ctx, scored[0]):
        top = formed[0].order
        return formed[:1] + [x for x in scored if x is not formed[0] and x.order >= W.keep_share * top][:limit - 1]
    return [x for x in scored if x.order >= W.keep_share * best][:limit]


def _checked_text(ctx: Context, quote: Quote) -> str:
    """What the support check reads of a sentence: a table row with its columns' names."""
    if quote.passage.kind == "row":
        return row_labelled(ctx, quote.passage.doc_id, quote.passage.start) or quote.text
    return quote.text


def exceptions_after(top: Quote, chosen: list[Quote]) -> list[Quote]:
    """The sentences right after the rule that state its exception ("Không áp dụng đối với …",
    "trừ …"): an exception qualifies the rule before it, whatever words it shares with the question."""
    from ingest.normalize import fold

    have = {(q.passage.doc_id, q.start) for q in chosen}
    out: list[Quote] = []
    for s, e in top.passage.sentence_spans():
        if s <= top.start or (top.passage.doc_id, s) in have:
            continue
        if not EXCEPTION_WORDS.search(fold(top.passage.quote(s, e)).lower()):
            break  # the rule's exceptions follow it; another rule begins
        out.append(Quote(top.score, top.passage, s, e))
    return out


# A section heading that names what a document leaves out or exempts ("Điều 3. Đối tượng không thuộc
# phạm vi điều chỉnh", "Các trường hợp ngoại lệ", "Miễn sinh hoạt đảng"), folded.
_EXCLUSION_HEADING = re.compile(r"(?<![0-9a-z])(?:khong\s+(?:thuoc|ap\s+dung|bat\s+buoc|phai)|ngoai\s+(?:le|tru)"
                                r"|loai\s+tru|mien|truong\s+hop\s+dac\s+biet)(?![0-9a-z])")


# Words by which a sentence leaves someone or something out, as the documents write them (folded, "trừ"
# would be the "trú" of "cư trú"): "trừ đảng viên được miễn …", "không bắt buộc", "không áp dụng". (Not
# EXCEPTION_WORDS' conditions and limits: "nếu", "tối đa", "ít nhất".)
_LEAVES_OUT_RX = re.compile(r"(?<!\w)(?:trừ|không áp dụng|không tính|không bắt buộc|không thuộc|được miễn|không phải)(?!\w)")


def leaves_out_heading(title: str) -> bool:
    """A heading naming what a document leaves out or exempts ("Đối tượng không áp dụng", "Miễn …")."""
    from ingest.normalize import fold

    return _EXCLUSION_HEADING.search(fold(title).lower()) is not None


def _leaves_out(text: str) -> bool:
    from ingest.normalize import canonical

    return bool(_LEAVES_OUT_RX.search(canonical(text).lower()))
# At most this many sentences beside the best one are added for leaving someone out.
BESIDE_MAX = 3


def exclusions_beside(ctx: Context, top: Quote) -> list[Quote]:
    """The other sentences of the best sentence's own item that leave someone out ("2. Đối tượng: toàn
    thể đảng viên …, trừ đảng viên được miễn sinh hoạt đảng …" before "Đảng viên cao tuổi … không bắt
    buộc tham gia …"): who is not bound is said across the item, before the best sentence as after it."""
    sec = ctx.section_at(top.passage.doc_id, top.start)
    if sec is None:
        return []
    out: list[Quote] = []
    for p in ctx.doc_passages(top.passage.doc_id):
        if p.end <= sec["start"] or p.start >= sec["end"]:
            continue
        for s, e in p.sentence_spans():
            if not (sec["start"] <= s < sec["end"]) or s == top.start:
                continue
            inner = ctx.section_at(p.doc_id, s)
            if inner is None or inner["path"] != sec["path"]:
                continue  # a sub-item's sentence is its own item's
            if _leaves_out(p.quote(s, e)) and not is_heading(ctx, p.doc_id, s, e, p.quote(s, e)):
                out.append(Quote(top.score, p, s, e))
                if len(out) >= BESIDE_MAX:
                    return out
    return out


# Sections whose "title" is the opening text of a khoản, point or row, not a heading.
_TEXT_KINDS = ("clause", "point", "row", "footnote")


def _titled(sec: dict) -> bool:
    """The section has a heading of its own ("Điều 3. Đối tượng không thuộc …"), not a sentence as title."""
    title = (sec.get("title") or "").strip()
    return bool(title) and sec.get("kind") not in _TEXT_KINDS and not re.search(r"[.;:!?…]\s*$", title)


def exclusion_section(ctx: Context, top: Quote) -> list[Quote]:
    """Every sentence of the section the exception's sentence stands in, when that section's heading
    names exclusions ("Đối tượng không thuộc phạm vi điều chỉnh"): the question "… không áp dụng đối
    với những trường hợp nào?" is answered by all its khoản, however they are worded (one says "không
    áp dụng", another "không thuộc đối tượng bắt buộc", another "thực hiện theo hướng dẫn … trong ngành")."""
    from ingest.normalize import fold

    tree = ctx.section_tree(top.passage.doc_id)
    by_path = {sec["path"]: sec for sec in tree}
    sec = ctx.section_at(top.passage.doc_id, top.start)
    while sec is not None and not (_titled(sec) and _EXCLUSION_HEADING.search(fold(sec.get("title") or "").lower())):
        sec = by_path.get(sec.get("parent") or "")
    if sec is None:
        return []
    path = sec["path"]
    out: list[Quote] = []
    for p in ctx.doc_passages(top.passage.doc_id):
        if not (p.section == path or (p.section or "").startswith(path + ".")):
            continue
        for s, e in p.sentence_spans():
            if not is_heading(ctx, p.doc_id, s, e, p.quote(s, e)) and not (sec["start"] <= s < sec.get("heading_end", s)):
                out.append(Quote(top.score, p, s, e))
            if len(out) >= W.max_list_quotes:
                return out
    return out


_ITEM_MARK = re.compile(r"\s*(?:[-+•–]\s|[a-zđ]\)\s|\d{1,2}[.)]\s)")


# Paths of a document's titled parts: "I", "II.1", "Chương II", "Điều 3", "Phần I".
_PART_PATH = re.compile(r"^(?:[IVXLC]+(?:\.|$)|Chương|Điều|Phần)")


def lead_in_items(ctx: Context, lead: Quote, limit: int) -> list[Quote]:
    """What a sentence ending with a colon introduces ("Giao Ban Thường vụ Thành ủy …:", "Đồng chí
    phụ trách các khu phố:"): the sentences after it in its passage, then the passages that follow in
    its section, up to `limit` — the lead-in says who, its items say what."""
    if not lead.text.rstrip().endswith(":"):
        return []
    out: list[Quote] = []
    section = lead.passage.section
    started = False
    text = (ctx.document(lead.passage.doc_id) or {}).get("text") or ""
    bulleted: bool | None = None  # items marked "- …", "+ …", "a) …": the list ends at the first unmarked line
    for p in ctx.doc_passages(lead.passage.doc_id):
        if not started:
            started = p.start == lead.passage.start
            if not started:
                continue
        elif section is not None and not (p.section == section or (p.section or "").startswith(section + ".")):
            break
        elif section is None and p.section is not None and _PART_PATH.match(p.section):
            break  # a preamble's "… như sau:" opens the document's parts ("I. MỤC ĐÍCH …"), not a list
        for s, e in p.sentence_spans():
            if s < lead.end or is_heading(ctx, p.doc_id, s, e, p.quote(s, e)):
                continue
            line = text[text.rfind("\n", 0, s) + 1:s + 3]
            marked = bool(_ITEM_MARK.match(line))
            if bulleted is None:
                bulleted = marked
            elif bulleted and not marked and line.strip()[:1] and text.rfind("\n", 0, s) + 1 == s:
                return out  # a new paragraph after the marked items
            out.append(Quote(lead.score, p, with_bullet(p, s), e))
            if len(out) >= limit:
                return out
    return out


def compose_content(ctx: Context, *, exception: bool = False, limit: int | None = None,
                    covered: frozenset[tuple[str, int]] = frozenset(), day: bool = False) -> dict | None:
    """The best sentences, when they support an answer; None lets the caller abstain. A question
    naming its source ("theo Quy định 55 …") is answered from that document only. `covered`: sentences
    (document, end) already quoted for another facet of the question — none when the best of them
    already says what this facet asks ("… với 436 đảng viên" answers "bao nhiêu đảng viên"), else the
    best sentences beside them ("Hội nghị do đồng chí … chủ trì" after the sentence dating the meeting).
    `day`: the reply is the one day the best sentence states an act was done on (None when it states
    none, or several)."""
    limit = limit or ctx.k or W.max_quotes
    chosen = best_sentences(ctx, ctx.source_passages(), limit, exception=exception)
    if chosen and not covered and (items := asked_items(ctx.q.expanded)):
        chosen = _each_item(ctx, chosen, items)
    if covered and chosen:
        if (chosen[0].passage.doc_id, chosen[0].end) in covered and _says(ctx.q.facet_topic, chosen[0].text):
            return None
        chosen = best_sentences(ctx, ctx.source_passages(), limit, exception=exception, skip=covered)
    top = chosen[0] if chosen else None
    if top is not None and ctx.q.asks_name and not names_subject(ctx, top.text):
        return None  # "có tên là gì?": no sentence gives the name of what is asked
    if top is not None and _of_form(ctx, top) is False and not any(_of_form(ctx, x) for x in chosen) \
            and (counted_unit(ctx) or asks_amount(ctx) or asked_ordinal(ctx)):
        return None  # "có bao nhiêu đảng viên?", "bao nhiêu tỷ đồng?", "lần thứ mấy?": no sentence states it
    if top is not None and (level := asked_level(ctx)) and (counted_unit(ctx) or asks_amount(ctx)) \
            and said_level(ctx, top.passage.doc_id, top.text, level) not in (None, level):
        return None  # "toàn huyện có bao nhiêu đảng viên?" is not answered with a commune's figure
    if top is None:
        return None
    days = {d for *_, d in event_days(top.text)} if day else set()
    if day and len(days) != 1:
        return None
    score, checked = top.score, _checked_text(ctx, top)
    items = lead_in_items(ctx, top, W.max_list_quotes) if ctx.q.kind in LEAD_IN_KINDS else []
    if items:
        # a lead-in ranks below sentences that say something (W.lead_in); quoted with its items, it
        # says what they say ("Việc tuyên truyền tập trung vào các nội dung:" and its three items): the
        # penalty is given back by the share of the list's match with the question its items add
        whole = " ".join([checked] + [x.text for x in items])
        terms = ctx.terms()
        full, alone = text_match(terms, whole), text_match(terms, checked)
        score += W.lead_in * (max(0.0, full - alone) / full if full > 0 else 0.0)
        checked = whole
    # (a preamble reviews the years before the one its title plans for: its title's year is not the
    # year its sentences speak of)
    title = (top.passage.doc.title or "") if top.passage.section else ""
    if not supported(ctx, score, checked, title, top.passage.context):
        return None
    if exception:
        chosen = chosen + exceptions_after(top, chosen)
        have = {(q.passage.doc_id, q.start) for q in chosen}
        beside = exclusion_section(ctx, top) or [x for q in chosen if _leaves_out(q.text)
                                                 for x in exclusions_beside(ctx, q)]
        for x in beside:
            if (x.passage.doc_id, x.start) not in have:
                have.add((x.passage.doc_id, x.start))
                chosen.append(x)
    if (verb := asked_doer(ctx)) is not None and not any(states_doer(verb, q.text) for q in chosen):
        # "Ai chủ trì hội nghị ngày …?": the sentence naming who stands right after the one the question's
        # words reach ("Ngày …, Thường trực Đảng ủy họp …. Đồng chí …, Bí thư Đảng ủy chủ trì hội nghị.")
        if (named := doer_beside(top, verb)) is not None:
            chosen = [top, named] + [q for q in chosen[1:] if (q.passage.doc_id, q.start) != (named.passage.doc_id, named.start)]
    have = {(q.passage.doc_id, q.start) for q in chosen}
    chosen = chosen + [x for q in chosen for x in lead_in_items(ctx, q, W.max_list_quotes)
                       if (x.passage.doc_id, x.start) not in have]
    # an item quoted from its bullet ("- Xây dựng …") is the sentence chosen on its own: quoted once
    first: dict[tuple[str, int], Quote] = {}
    for q in chosen:
        key = (q.passage.doc_id, q.end)
        if key not in first or q.start < first[key].start:
            first[key] = q
    chosen = [q for q in chosen if first[(q.passage.doc_id, q.end)] is q]
    b = Builder(ctx)
    if days:  # "… nộp ngày nào?": the day it was done, then the sentence saying so
        b.direct(f"Ngày {days.pop()}", b.span_of(top.passage, top.start, top.end))
    elif top.passage.kind == "row" and (labelled := row_labelled(ctx, top.passage.doc_id, top.passage.start)):
        # A row read out with its columns' names says which figure is which.
        b.direct(labelled, b.span_of(top.passage, top.start, top.end))
    elif ctx.q.kind == "list" and items and len(items) < W.max_list_quotes and all(re.match(r"[-+•–]\s", x.text) for x in items):
        # a list asked, its lead-in first with its bulleted items (all of them): counted
        b.direct(f"{top.passage.doc.label} nêu {len(items)} {asked_plural(ctx)}:")
    # A list's items are the clauses of its sentence: quoted whole, not cut to the ones the question's words reach.
    b.quotes(chosen, None if ctx.q.kind == "list" else ctx.terms())
    return b.result("passages")


# The cases a question lists in brackets ("đảng viên không hưởng lương (nông dân, sinh viên, chủ hộ kinh
# doanh) đóng bao nhiêu"): two to five short names apart by commas or "và".
_BRACKETED = re.compile(r"\(([^()]{3,120})\)")
ITEM_WORDS_MAX = 5


def asked_items(question: str) -> list[str]:
    """The cases a question lists in brackets, each asked of; [] when it lists none."""
    for m in _BRACKETED.finditer(question):
        items = [x.strip() for x in re.split(r",|\s+(?:và|hoặc|va|hoac)\s+", m.group(1)) if x.strip()]
        if 2 <= len(items) <= 5 and all(len(x.split()) <= ITEM_WORDS_MAX for x in items):
            return items
    return []


def _each_item(ctx: Context, chosen: list[Quote], items: list[str]) -> list[Quote]:
    """The best sentences, and for each case the question lists that none of them names, the best
    sentence naming it (all its syllables): each case asked is answered."""
    from ingest.tokenize import syllables as sylls

    def names(text: str, item: str, share: float = 1.0) -> bool:
        own = set(sylls(item)) - STOP_SYLLABLES
        return bool(own) and len(own & set(sylls(text))) >= share * len(own)

    pool = sentence_candidates(ctx, ctx.source_passages())
    # the sentences near the best in score, or beside the ones chosen (the cases of one list stand together
    # whatever words each shares with the question)
    beside = {(q.passage.doc_id, q.passage.section) for q in chosen}
    near = [x for x in pool if x.order >= W.form_share * pool[0].order
            or (x.passage.doc_id, x.passage.section) in beside] if pool else []
    out = list(chosen)
    for item in items:
        if any(names(q.text, item) for q in out):
            continue
        # (all its syllables, else half: "nông dân" is written "làm nông nghiệp")
        best = next((x for x in near if names(x.text, item)), None) or next(
            (x for x in near if names(x.text, item, 0.5) and not any(names(x.text, o) for o in items if o != item)), None)
        if best is not None and all((best.passage.doc_id, best.start) != (q.passage.doc_id, q.start) for q in out):
            out.append(best)
    return out


DOER_REACH = 2  # sentences after the best one searched for the one naming who did it


def doer_beside(top: Quote, verb: str) -> Quote | None:
    """The first of the DOER_REACH sentences after `top` that names a person doing `verb`."""
    after = [(s, e) for s, e in top.passage.sentence_spans() if s >= top.end][:DOER_REACH]
    for s, e in after:
        if states_doer(verb, top.passage.quote(s, e)):
            return Quote(top.score, top.passage, s, e)
    return None


def _says(words: str, text: str) -> bool:
    """Every content syllable of `words` is in the text."""
    from ingest.tokenize import syllables

    own = set(syllables(words)) - STOP_SYLLABLES
    return bool(own) and own <= set(syllables(text))


_HEADING_TIME = re.compile(r"\s+(?:đến|tới|trong|giai đoạn|năm)(?:\s+(?:năm|hết năm|giai đoạn))?\s+\d{4}(?:\s*[-–]\s*\d{4})?.*$",
                           re.I)


def listed_section(ctx: Context) -> tuple[str, str, list[Passage]] | None:
    """A section whose heading the question names ("nội dung kiểm tra, giám sát … gồm những gì" →
    "2. Nội dung"), among the sections of the best passages: (doc_id, path, its passages)."""
    from ingest.tokenize import syllables

    q_sylls = set(syllables(ctx.lk.search_text)) - STOP_SYLLABLES
    best: tuple[float, str, str] | None = None
    for p in ctx.source_passages()[:W.sentence_pool]:
        tree = ctx.section_tree(p.doc_id)
        by_path = {sec["path"]: sec for sec in tree}
        for sec in tree:
            if not (sec["start"] <= p.start < sec["end"]):
                continue
            parent = by_path.get(sec.get("parent") or "")
            # The heading alone ("1. Đối tượng"), or with its parent's ("ĐỐI TƯỢNG VÀ NỘI DUNG KIỂM TRA");
            # its time qualifier says when, not what ("MỤC TIÊU ĐẾN NĂM 2030" lists mục tiêu).
            title = _HEADING_TIME.sub("", sec["title"])
            own = heading_in_question(q_sylls, title)
            # with the parent's heading only when its own words are asked too: an item under "MỤC TIÊU"
            # is no list of mục tiêu
            share = max(own, heading_in_question(q_sylls, f"{_HEADING_TIME.sub('', parent['title']) if parent else ''} {title}")
                        if own > 0 else 0.0)
            if share >= W.list_heading_share and (best is None or share > best[0]):
                best = (share, p.doc_id, sec["path"])
    if best is None:
        return None
    _, doc_id, path = best
    rows = [p for p in ctx.doc_passages(doc_id) if p.section and (p.section == path or p.section.startswith(path + "."))]
    return (doc_id, path, rows) if len(rows) >= 2 else None


def _typed_unit(ctx: Context, unit: str) -> str:
    """The counted unit as the question writes it ("mục tiêu" for folded "muc"), its next word kept
    when it goes on the noun ("mấy mục tiêu, là …")."""
    from ingest.normalize import fold

    text = ctx.q.expanded
    low = fold(text).lower()
    # the unit and the words naming it up to a comma or a word of the sentence ("nhóm nhiệm vụ, giải pháp")
    m = re.search(rf"(?:may|bao nhieu)\s+({re.escape(unit)}(?:\s+(?!(?:la|nao|va|thi|gi|de|duoc|phai|can|cua|trong|o|tai"
                  rf"|theo|co|da|se)\b)[a-z]+){{0,3}})\b", low)
    return text[m.start(1):m.end(1)] if m and len(low) == len(text) else unit


# Content syllables a section's heading needs to name a list by itself ("nhiệm vụ giải pháp": 4); fewer
# ("nội dung") name a part of the document too generic to stand for the list asked.
HEADING_NAMED_MIN = 3

# "mỗi chi bộ mấy người", "từng xã được giao bao nhiêu": a count asked of each item of the list
_PER_ITEM = re.compile(r"\b(?:moi|tung)\s+[a-z]+(?:\s+[a-z]+){0,3}?\s+(?:(?:co|duoc giao|phai|dat)\s+)?(?:may|bao nhieu)\b")


# "các chỉ tiêu gì", "những hệ thống thông tin nào": the plural noun a list question asks for.
_PLURAL_ASKED = re.compile(r"(?<![a-z])(?:nhung|cac)\s+((?:[a-z]+\s+){0,6}?[a-z]+)\s+(?:nao|gi)(?![a-z])")


def asked_plural(ctx: Context, default: str = "mục") -> str:
    """The noun the list question asks for, as typed ("chỉ tiêu"); `default` when it names none."""
    from ingest.normalize import fold

    text = ctx.q.expanded
    low = fold(text).lower()
    m = _PLURAL_ASKED.search(low)
    if m is None or len(low) != len(text):
        return default
    return text[m.start(1):m.end(1)]


_CLASS_NOUN = re.compile(r"^\s*(?:(?:cac|nhung)\s+)?(?:dien|truong hop|doi tuong|loai)\s+")


# "không được miễn", "không phải viết": the verb a question or a lead-in negates.
_NEGATED = re.compile(r"(?<![0-9a-z])khong\s+(?:duoc\s+|phai\s+|bi\s+)?(?P<verb>[a-z]+)")


def _negation_block(ctx: Context, quotes: list[Quote]) -> list[Quote]:
    """Of a section holding several lists, each after its lead-in ("Những trường hợp được miễn …:" then
    "Những trường hợp không được miễn:"), the one whose lead-in negates the verb the question negates
    ("các trường hợp không được miễn là những ai"): the other list says the opposite. All of them when
    the question negates nothing or no lead-in matches it."""
    asked = {m.group("verb") for m in _NEGATED.finditer(fold(ctx.q.expanded).lower())} - {"duoc", "phai", "co"}
    heads = [i for i, q in enumerate(quotes) if q.text.rstrip().endswith(":")]
    if not asked or len(heads) < 2:
        return quotes
    for n, i in enumerate(heads):
        said = {m.group("verb") for m in _NEGATED.finditer(fold(quotes[i].text).lower())}
        if asked & said:
            end = heads[n + 1] if n + 1 < len(heads) else len(quotes)
            return quotes[i:end]
    return quotes


def compose_list(ctx: Context) -> dict | None:
    """The rows of a table the question picks by a column, else items of the section the question
    names, else the best sentences."""
    from .rows import compose_rows

    rows = compose_rows(ctx)
    if rows is not None:
        return rows
    listed = listed_section(ctx)
    if listed is not None:
        doc_id, path, rows = listed
        terms = ctx.terms()
        sec = next((x for x in ctx.section_tree(doc_id) if x.get("path") == path), None)
        lo, hi = (sec["start"], sec["end"]) if sec else (0, 1 << 62)
        # (a passage may run on past the section into the next one: only the section's own sentences)
        quotes = [Quote(text_match(terms, p.quote(s, e)), p, s, e) for p in rows for s, e in p.sentence_spans()
                  if lo <= s < hi and not is_heading(ctx, doc_id, s, e, p.quote(s, e))]
        block = _negation_block(ctx, quotes)
        limit = ctx.k or W.max_list_quotes
        # (one of the section's lists: its items are that list's, not the section's points)
        children = [sec for sec in ctx.section_tree(doc_id) if sec.get("parent") == path] if block == quotes else []
        quotes = block
        # the question names this section by every word of a heading that says what it holds ("NHIỆM VỤ,
        # GIẢI PHÁP"), not by a generic one ("NỘI DUNG" over a whole plan) whose sub-sections it may mean
        own = (next((sec for sec in ctx.section_tree(doc_id) if sec.get("path") == path), {}).get("title") or "")
        # (the class noun a heading opens with — "Diện được miễn …", "Trường hợp …" — is the question's
        # "những trường hợp nào" in other words)
        own = _CLASS_NOUN.sub("", fold(own).lower())
        named_whole = (len(set(syllables(own)) - STOP_SYLLABLES) >= HEADING_NAMED_MIN
                       and heading_in_question(set(syllables(ctx.lk.search_text)), own) >= 1.0)
        if len(quotes) > limit and 2 <= len(children) <= limit and named_whole:
            # Items too long to read whole ("1. Nâng cao nhận thức … . <what it means> …"): each item
            # by its first sentence, which names it — the list asked for is of the items
            firsts = [next((q for q in quotes if sec["start"] <= q.start < sec["end"]), None) for sec in children]
            if all(firsts):
                quotes = firsts
        if len(quotes) > limit:
            # A section longer than a list ("II. NỘI DUNG" over a whole plan) is no list to read
            # out from its start: its best sentences answer.
            return compose_content(ctx)
        title = rows[0].doc.title or ""
        items = " ".join(q.text for q in quotes)
        # The question asks for the whole list: it is matched by the list with the words it stands
        # under (the document's title, the section's headings), as a sentence is.
        face = document_face(ctx.document(doc_id) or {})
        score = (0.5 * max((q.score for q in quotes), default=0.0)
                 + 0.5 * text_match(terms, f"{face} {rows[0].context} {items}") + W.named_doc_sentence)
        if doc_id in ctx.lk.named_ids and named_whole:
            # the question names the document and the section's heading ("NQ 09 … nhiệm vụ, giải pháp
            # là những gì"): that section is what is asked, whatever words its items share with it
            score = max(score, support_needed(ctx))
        unit = counted_unit(ctx)
        # its items: numbered sub-sections, else bulleted lines (all but a lead-in)
        bulleted = [q for q in quotes if with_bullet(q.passage, q.start) < q.start]
        count = len(children) if len(children) >= 2 else (
            len(bulleted) if len(bulleted) >= 2 and all(q in bulleted or q.text.rstrip().endswith(":")
                                                        for q in quotes) else 0)
        # never "mỗi chi bộ mấy người" — a figure of each item, which no count of items answers
        per_item = bool(_PER_ITEM.search(fold(ctx.q.expanded).lower()))
        counting = bool(unit) and bool(count) and not per_item
        rival = best_sentences(ctx, ctx.source_passages(), 1)
        if rival and not (doc_id in ctx.lk.named_ids and named_whole) and rival[0].score > score \
                and enumerates(rival[0].text) and not (rows[0].start <= rival[0].start < rows[-1].end):
            # a sentence elsewhere listing what is asked ("bị xử lý bằng một trong các hình thức: khiển
            # trách, …") matches the question better than the section its heading words reach (a report's
            # "Thi hành kỷ luật" figures): the sentence answers
            return compose_content(ctx)
        if quotes and supported(ctx, score, items, title, rows[0].context, counted=counting):
            b = Builder(ctx)
            if counting:
                # "có mấy mục tiêu, là những mục tiêu nào?": the section's items, counted
                b.direct(f"Có {count} {_typed_unit(ctx, unit)}:")
            elif count and not per_item:
                label = rows[0].doc.label
                b.direct(f"{label}, {section_label(path)} nêu {count} {asked_plural(ctx)}:")
            b.quotes(quotes)
            return b.result("passages")
    return compose_content(ctx)
