"""What a composer may know while it answers one question: the question (parsed once), who asks
(access levels, stated role, today's date), and the knowledge base's records — through the
`KnowledgeBase` facade, never the store."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ingest.normalize import fold

from ..records import Duty, Passage
from ..retrieval.names import TYPE_ALT
from ..retrieval.query import ParsedQuestion
from ..retrieval.retriever import Lookup
from ..retrieval.scoring import QueryTerms

if TYPE_CHECKING:
    import numpy as np

    from ..dutyindex import DutyIndex
    from ..knowledge import KnowledgeBase


# A local unit and its name as an issuer writes it: "Đảng ủy xã Tân Phước" → "xa tan phuoc". Provinces
# are left to the province check (support.other_province): a province names too many documents.
# "huyện ủy Hà Xuân" is the committee of "huyện Hà Xuân". Names of one or two syllables.
_LOCALITY = re.compile(r"(?<![a-z])(?P<unit>xa|phuong|thi tran|huyen|quan|thi xa)(?:\s+uy)?\s+(?P<name>[a-z]+\s+[a-z]+|[a-z]+)(?![a-z])")


@dataclass
class Context:
    kb: "KnowledgeBase"
    lk: Lookup
    as_of: date
    role: Any = None  # ingest.actors.Role, when the question or the caller states one
    k: int | None = None  # how many items the caller wants at most
    # The doer a later clause of the question asks for ("… trước ngày nào, ai chủ trì?": "chu tri"), so
    # that this clause's answer names who does what it quotes.
    doer_asked: str | None = None
    _passages: list[Passage] | None = field(default=None, repr=False)
    _source: list[Passage] | None = field(default=None, repr=False)
    _placed: frozenset[str] | None = field(default=None, repr=False)
    _sourced: tuple[str, ...] | None = field(default=None, repr=False)
    _titled: tuple[str, ...] | None = field(default=None, repr=False)
    _bound: Any = field(default=None, repr=False)

    @property
    def q(self) -> ParsedQuestion:
        return self.lk.q

    @property
    def levels(self) -> list[str]:
        return list(self.lk.levels)

    # -- retrieval --------------------------------------------------------------------------------

    def passages(self) -> list[Passage]:
        """The question's ten best passages (searched once per question)."""
        if self._passages is None:
            self._passages = self.kb.retriever.search(self.lk, k=10)
        return self._passages

    def source_passages(self) -> list[Passage]:
        """The best passages of the documents the question names as its source ("theo Quy định 55"),
        else of all: what such a question asks is what that document says."""
        if not self.lk.named and not self.sourced_ids():
            return self.passages()
        if self._source is None:
            # (named by number, or described as the source: "theo quy chế của UBKT Tỉnh ủy", "chỉ thị
            # tỉnh ủy nêu …")
            ids = self.lk.named_ids if self.lk.named else set(self.sourced_ids())
            only = replace(self.lk, doc_ids=tuple(sorted(ids)))
            self._source = self.kb.retriever.search(only, k=10)
        return self._source

    def search(self, lk: Lookup, k: int = 10) -> list[Passage]:
        return self.kb.retriever.search(lk, k=k)

    def terms(self, text: str | None = None) -> QueryTerms:
        return self.kb.retriever.stats.terms(self.lk.search_text if text is None else text, self.levels)

    def unseen(self) -> list[str]:
        return self.kb.retriever.stats.unseen(self.q, self.levels)

    def unseen_in_named(self) -> list[str]:
        """Topic words none of the named source documents uses (their own term counts)."""
        from ingest.normalize import fold
        from ingest.tokenize import accented_syllables, syllables

        dfs = [(self.document(d.doc_id) or {}).get("df") or {} for d in self.lk.named]
        if not dfs:
            return []
        if self.q.typed_without_diacritics:
            words = [w for w in syllables(self.q.topic) if not w.isdigit()]
            key = lambda w: w  # noqa: E731
        else:
            words = accented_syllables(self.q.topic)
            key = lambda w: "a:" + w  # noqa: E731
        from ..retrieval.cues import STOP_SYLLABLES

        return [w for w in words if fold(w) not in STOP_SYLLABLES and not any(df.get(key(w)) for df in dfs)]

    def places(self) -> set[str]:
        return self.kb.retriever.stats.places(self.levels)

    # -- records ----------------------------------------------------------------------------------

    def duty_index(self) -> "DutyIndex":
        return self.kb.duty_index()

    def visible_duties(self) -> "np.ndarray":
        """The duties the caller may see (DutyIndex ordinals, in store order)."""
        return self.kb.duty_index().visible(self.levels)

    def role_duties(self) -> "np.ndarray":
        """The visible duties binding the question's role (DutyIndex ordinals, in store order)."""
        if self.role is None:
            import numpy as np

            return np.zeros(0, dtype=np.int32)
        if self._bound is None:
            self._bound = self.kb.bound_duties(self.role, self.levels)
        return self._bound

    def duty_records(self, ordinals) -> dict[int, Duty]:
        return self.kb.duty_records(ordinals)

    def section_tree(self, doc_id: str) -> list[dict]:
        return self.kb.section_tree(doc_id)

    def section_at(self, doc_id: str, pos: int) -> dict | None:
        """The innermost section holding `pos`."""
        inside = [sec for sec in self.section_tree(doc_id) if sec["start"] <= pos < sec["end"]]
        return min(inside, key=lambda sec: sec["end"] - sec["start"]) if inside else None

    def placed_ids(self) -> frozenset[str]:
        """Documents of the local body the question names: "ở xã Tân Phước", "huyện ủy Hà Xuân" name
        the commune or district whose committee issued them (a unit word and its name, in the issuer)."""
        if self._placed is None:
            from ingest.normalize import fold

            low = fold(self.q.expanded).lower()
            said = {f"{m.group('unit')} {name}" for m in _LOCALITY.finditer(low)
                    for name in (m.group("name"), m.group("name").split()[0])}
            units = self.kb.kept(("issuer_units", *self.levels), self._issuer_units)
            self._placed = frozenset(d for unit in said for d in units.get(unit, ()))
        return self._placed

    def _issuer_units(self) -> dict[str, set[str]]:
        """Each local unit an issuer names ("xa tan phuoc") → the visible documents it issued: read
        once per store version, not per question (8,924 issuers at 200k chunks)."""
        from ingest.normalize import fold

        out: dict[str, set[str]] = {}
        for e in self.kb.meta(self.levels):
            for m in _LOCALITY.finditer(fold(e.get("issuer") or "").lower()):
                out.setdefault(f"{m.group('unit')} {m.group('name')}", set()).add(e["doc_id"])
        return out

    def issuer_place(self, doc_id: str) -> str:
        """Who issued a document and where ("Đảng ủy xã Tân Phước Tân Phước"): words every sentence and
        duty of it stands under (from the documents' kept metadata: no whole entry is read)."""
        return self.kb.issuer_places(self.levels).get(doc_id, " ")

    def titled_ids(self) -> tuple[str, ...]:
        """The document whose title the question's words are, when it names none: "chuẩn mực đạo đức
        cách mạng … đối với Nhân dân" is asked of the Quy định titled so, not of the plans that cite
        that title (answers.metadata.described_document's thresholds)."""
        if self._titled is None:
            self._titled = ()
            if not self.lk.named:
                from .metadata import described_document

                from ..retrieval.scoring import W, text_match

                found = described_document(self)
                # The title itself, not its issuer or year, must carry the question: "Chuyên đề năm
                # 2024 của Tỉnh ủy Lai Châu" describes a plan by who and when, and asks about a thing in it.
                title = ((self.document(found.doc_id) or {}).get("title") or "") if found else ""
                if found and text_match(self.terms(self.q.topic), title) >= W.titled_share:
                    self._titled = (found.doc_id,)
        return self._titled

    def sourced_ids(self) -> tuple[str, ...]:
        """The document the question's source phrase describes ("theo quy chế của UBKT Tỉnh ủy"): the
        one whose face — kind, title, issuer — covers the phrase clearly best (W.described_doc,
        W.described_margin); () when none stands out."""
        if self._sourced is None:
            self._sourced = self.faced_ids(self.q.source) if self.q.source else ()
        return self._sourced

    def faced_ids(self, phrase: str) -> tuple[str, ...]:
        """The document whose face — kind, title, issuer — covers `phrase` ("KH của ĐU") clearly best;
        () when none stands out."""
        from ..records import document_face
        from ..retrieval.scoring import W, text_match

        terms = self.terms(phrase)
        entries = self.kb.meta(self.levels)
        # a phrase saying the kind ("chỉ thị tỉnh ủy") describes a document of that kind, not one whose
        # title cites such a document ("Kế hoạch thực hiện Chỉ thị số 21-CT/TU … của … Tỉnh ủy")
        kind = re.match(rf"\W*(?:theo\s+)?({TYPE_ALT})(?![0-9a-z])", fold(phrase).lower())
        if kind and (same := [e for e in entries if fold(e.get("type") or "").lower() == kind.group(1)]):
            entries = same
        scored = sorted(((text_match(terms, document_face(e)), e["doc_id"]) for e in entries), reverse=True)
        if scored and scored[0][0] >= W.described_doc and (
                len(scored) == 1 or scored[0][0] >= W.described_margin * scored[1][0]):
            return (scored[0][1],)
        return ()

    def document(self, doc_id: str) -> dict | None:
        """The catalog entry (text, fields, sections, footnotes, references) of a visible document."""
        return self.kb.entry(doc_id, self.levels)

    def doc_passages(self, doc_id: str) -> list[Passage]:
        """Every passage of a visible document, in reading order."""
        return self.kb.doc_passages(doc_id, self.levels)

    def binds(self, duty: Duty) -> bool:
        return self.role is not None and self.kb.binds(duty, self.role)
