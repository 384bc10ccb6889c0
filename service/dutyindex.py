"""The stored duties as an index kept with the store: who each one binds, which document it is of,
when it falls due and the words of its text. A question about a role, a time window or a document
touches only the duties it can concern, and makes records of the few it quotes, instead of making a
record of every duty of the store and testing each one (measured at 200k chunks: 276k duties, 52 s
to make them all records, then ~5 s per role question to test each against the role).

- **Who**: duties are grouped by what `ingest.actors.binds` reads of them (their actors and actor
  references but for the references' positions): whether a role binds a duty is decided once per
  group, exactly as for the duty itself.
- **Which document, when**: a document ordinal per duty; its due dates (ISO strings, as stored) as
  ranks in the sorted table of the dates that occur, so comparing ranks is comparing the strings.
- **Words**: postings of the folded syllables of each duty's section title and quote (the text a
  role's topic is matched against), and of their adjacent pairs: `text_match` of a question with
  every duty is then summed from the postings of the question's own words, exactly as
  `retrieval.scoring.text_match` sums it from each text, with no text read.

Built from one scroll of the obligations' small fields, in the store's order (the order
`KnowledgeBase.duties` lists them in, which breaks the composers' ties), kept in memory until the
next write, and kept beside the embedded store for the live documents it was built from
(`Store.keep_derived_arrays`): `sotay ingest` ends by building it, so a server starts with it.
"""
from __future__ import annotations

import bisect
import json
import threading
import uuid
from array import array
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from ingest.tokenize import syllables

from .retrieval.cues import STOP_SYLLABLES
from .retrieval.scoring import QueryTerms
from .store import Store, StoreFilter

# What the index reads of each obligation.
FIELDS = ["doc_id", "doc_title", "issued", "access", "actors", "actor_refs", "due_start", "due_end", "deadline",
          "recurrence", "start", "section_title", "quote"]
# Bumped when what the index holds changes: an index kept by an older version is rebuilt.
FORMAT = 3
SIDECAR = "duties.npz"
# Points read per page while building (the engine's lock is taken per page: queries go on between).
PAGE = 2000
# The reference fields that only say where a reference stands (every mention differs there): the
# rest decides whom a duty binds, and is what the role picker lists.
_POSITION = ("start", "end")


def _derivation() -> str:
    """What the kept index was derived with besides the documents: the stop syllables its postings
    leave out."""
    import hashlib

    return hashlib.sha256(" ".join(sorted(STOP_SYLLABLES)).encode()).hexdigest()[:12]


def duty_text(section_title: str | None, quote: str) -> str:
    """The text a role's topic is matched against (answers.duties and answers.yesno use the same)."""
    return f"{section_title or ''} {quote}"


class Stopped(Exception):
    """A build was asked to stop (the server is shutting down while its warm-up builds the index)."""


def _until(pages: Iterable, stop: "threading.Event | None") -> Iterable:
    for page in pages:
        if stop is not None and stop.is_set():
            raise Stopped()
        yield page


@dataclass(frozen=True)
class Group:
    """Duties whose actors and actor references (positions aside) are the same: a role binds all
    of them or none."""
    actors: list[str]
    refs: list[dict]  # actor_refs without their positions
    categories: frozenset  # {ref.get("category")} — what a role answer ranks by, besides the actors


class _Postings:
    """Ordinals by key (a folded syllable, or two joined by a space), sorted keys as one byte string
    with offsets, looked up by bisection: no object per key, and every array can be memory-mapped."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, ptr: np.ndarray, ids: np.ndarray):
        self.blob, self.offsets, self.ptr, self.ids = blob, offsets, ptr, ids
        self._keys = _Keys(blob, offsets)

    @classmethod
    def of(cls, buckets: dict[str, array]) -> "_Postings":
        """From key → ordinals (ascending); the buckets are emptied as they are copied."""
        keys = sorted(buckets)
        raw = [k.encode("ascii") for k in keys]
        offsets = np.zeros(len(raw) + 1, dtype=np.int64)
        np.cumsum([len(k) for k in raw], out=offsets[1:])
        ptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([len(buckets[k]) for k in keys], out=ptr[1:])
        ids = np.empty(int(ptr[-1]), dtype=np.int32)
        for i, k in enumerate(keys):
            ids[ptr[i]:ptr[i + 1]] = np.frombuffer(buckets.pop(k), dtype=np.int32)
        return cls(np.frombuffer(b"".join(raw), dtype=np.uint8), offsets, ptr, ids)

    def get(self, key: str) -> np.ndarray | None:
        try:
            k = key.encode("ascii")
        except UnicodeEncodeError:  # folded syllables are ASCII: a key that is not has no postings
            return None
        i = bisect.bisect_left(self._keys, k)
        if i < len(self._keys) and self._keys[i] == k:
            return self.ids[self.ptr[i]:self.ptr[i + 1]]
        return None

    def __len__(self) -> int:
        return len(self._keys)


class _Keys:
    """The sorted keys of a _Postings as a sequence of bytes (for bisect)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        self.blob, self.offsets = blob, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.offsets[i]:self.offsets[i + 1]].tobytes()


def _blob(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _unblob(arr: np.ndarray) -> Any:
    return json.loads(arr.tobytes().decode("utf-8"))


class DutyIndex:
    """See the module's docstring. Ordinals number the duties in store order; every selection is a
    sorted array of ordinals."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.ids: np.ndarray = arrays["ids"]  # (n, 16) uint8: the point ids' bytes
        self.doc: np.ndarray = arrays["doc"]  # int32 → docs
        self.access: np.ndarray = arrays["access"]  # int8 → levels (-1: none)
        self.group: np.ndarray = arrays["group"]  # int32 → groups
        self.due_start: np.ndarray = arrays["due_start"]  # int32 → dates (0: "", none)
        self.due_end: np.ndarray = arrays["due_end"]
        self.rule: np.ndarray = arrays["rule"]  # int32 → rules: a recurrence with a stated day (-1: none)
        # int32 → rules: a rhythm naming its months but no day, of a duty with no due date (due in
        # those months: retrieval.timewindow.due_days) (-1: none)
        self.month_rule: np.ndarray = arrays["month_rule"]
        self.recurs: np.ndarray = arrays["recurs"]  # bool: Duty.recurrence is stated
        self.title: np.ndarray = arrays["title"]  # int32 → titles (the document's title as the duty carries it)
        self.dated: np.ndarray = arrays["dated"]  # bool: Duty.dated
        self.start: np.ndarray = arrays["start"]  # int32: the duty's offset in its document
        # the words of each duty's text (stop syllables aside) and its adjacent pairs (not both stop)
        self.words = _Postings(arrays["w_blob"], arrays["w_offsets"], arrays["w_ptr"], arrays["w_ids"])
        self.pairs = _Postings(arrays["p_blob"], arrays["p_offsets"], arrays["p_ptr"], arrays["p_ids"])
        tables = _unblob(arrays["tables"])
        self.docs: list[str] = tables["docs"]
        self.issued: list[str | None] = tables["issued"]  # each document's issue date (DocRef.issued)
        self.levels: list[str] = tables["levels"]
        self.dates: list[str] = tables["dates"]  # sorted; dates[0] == ""
        self.rules: list[str] = tables["rules"]
        self.titles: list[str] = tables["titles"]
        self.groups: list[Group] = [Group(g["actors"], g["refs"], frozenset(g["categories"])) for g in tables["groups"]]
        self.n = len(self.doc)
        self._doc_of = {d: i for i, d in enumerate(self.docs)}
        order = np.argsort(self.doc, kind="stable")
        self._by_doc = order.astype(np.int32)
        self._doc_ptr = np.searchsorted(self.doc[order], np.arange(len(self.docs) + 1)).astype(np.int64)
        self._first = np.where(self.due_end > 0, self.due_end, self.due_start)  # due_end or due_start
        self._doc_rank: np.ndarray | None = None

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, rows: Iterable[list[tuple[str, dict]]]) -> "DutyIndex":
        """From (point id, payload with FIELDS) pages, in store order."""
        ids = bytearray()
        doc, access, group, ds, de, rule, month_rule, recurs, title, dated, start = ([] for _ in range(11))
        docs: dict[str, int] = {}
        issued: list[str | None] = []
        levels: dict[str, int] = {}
        groups: dict[str, int] = {}
        group_rows: list[dict] = []
        dates: dict[str, int] = {"": 0}
        rules: dict[str, int] = {}
        titles: dict[str, int] = {}
        words: dict[str, array] = {}
        pairs: dict[str, array] = {}
        n = 0
        for page in rows:
            for pid, p in page:
                ids += uuid.UUID(pid).bytes
                d = str(p.get("doc_id"))
                if d not in docs:
                    docs[d] = len(docs)
                    issued.append(p.get("issued"))
                doc.append(docs[d])
                lv = p.get("access")
                access.append(levels.setdefault(lv, len(levels)) if isinstance(lv, str) else -1)
                refs = list(p.get("actor_refs") or [])
                actors = list(p.get("actors") or [])
                kept = [{k: v for k, v in r.items() if k not in _POSITION} if isinstance(r, dict) else r for r in refs]
                key = json.dumps([actors, kept], ensure_ascii=False, sort_keys=True)
                if key not in groups:
                    groups[key] = len(groups)
                    group_rows.append({"actors": actors, "refs": kept,
                                       "categories": sorted({r.get("category") if isinstance(r, dict) else None
                                                             for r in refs}, key=lambda c: (c is None, c or ""))})
                group.append(groups[key])
                s, e = p.get("due_start") or "", p.get("due_end") or ""
                ds.append(dates.setdefault(s, len(dates)))
                de.append(dates.setdefault(e, len(dates)))
                deadline = p.get("deadline") or {}
                r = deadline.get("rrule")
                rule.append(rules.setdefault(r, len(rules)) if r and (e or s) and "BYMONTHDAY" in r else -1)
                month_rule.append(rules.setdefault(r, len(rules))
                                  if r and not (e or s) and "BYMONTH=" in r and "BYMONTHDAY" not in r else -1)
                recurs.append(bool(p.get("recurrence")))
                title.append(titles.setdefault(p.get("doc_title") or "", len(titles)))
                dated.append(bool(e or s or deadline.get("relative") or deadline.get("event") or r
                                  or p.get("recurrence")))
                start.append(int(p.get("start") or 0))
                sylls = syllables(duty_text(p.get("section_title"), p.get("quote") or ""))
                for w in set(sylls) - STOP_SYLLABLES:
                    words.setdefault(w, array("i")).append(n)
                for a, b in set(zip(sylls, sylls[1:])):
                    if not (a in STOP_SYLLABLES and b in STOP_SYLLABLES):
                        pairs.setdefault(f"{a} {b}", array("i")).append(n)
                n += 1
        # Date ranks: the table sorted, every rank remapped (rank order = string order).
        table = sorted(dates)
        rank = {s: i for i, s in enumerate(table)}
        remap = np.zeros(len(dates), dtype=np.int32)
        for s, i in dates.items():
            remap[i] = rank[s]
        w, pr = _Postings.of(words), _Postings.of(pairs)
        arrays = {
            "ids": np.frombuffer(bytes(ids), dtype=np.uint8).reshape(n, 16),
            "doc": np.array(doc, dtype=np.int32), "access": np.array(access, dtype=np.int8),
            "group": np.array(group, dtype=np.int32),
            "due_start": remap[np.array(ds, dtype=np.int64)] if n else np.zeros(0, np.int32),
            "due_end": remap[np.array(de, dtype=np.int64)] if n else np.zeros(0, np.int32),
            "rule": np.array(rule, dtype=np.int32), "month_rule": np.array(month_rule, dtype=np.int32),
            "recurs": np.array(recurs, dtype=bool), "title": np.array(title, dtype=np.int32),
            "dated": np.array(dated, dtype=bool), "start": np.array(start, dtype=np.int32),
            "w_blob": w.blob, "w_offsets": w.offsets, "w_ptr": w.ptr, "w_ids": w.ids,
            "p_blob": pr.blob, "p_offsets": pr.offsets, "p_ptr": pr.ptr, "p_ids": pr.ids,
            "tables": _blob({"docs": list(docs), "issued": issued, "levels": list(levels), "dates": table, "rules": list(rules),
                             "titles": list(titles), "groups": group_rows}),
        }
        return cls(arrays)

    @classmethod
    def of_store(cls, store: Store, stop: "threading.Event | None" = None) -> "DutyIndex":
        """The index of the store's live obligations: kept beside it when it was built for these
        documents, else built (and kept). A build raises Stopped between pages once `stop` is set."""
        state = store.state_key()
        # the words the postings leave out are part of what the index is: kept under other stop
        # syllables, it would not sum what text_match sums
        key = None if state is None else f"{state}/{_derivation()}"
        name = f"{SIDECAR[:-4]}-{FORMAT}.npz"
        kept = store.derived_arrays(name, key)
        if kept is not None:
            try:
                return cls(kept)
            except (KeyError, ValueError, TypeError):
                pass
        index = cls.build(_until(store.records(StoreFilter(records=["obligation"], access=None), fields=FIELDS,
                                                   page=PAGE), stop))
        if key is not None and state == store.state_key():  # no write landed while it was read
            store.keep_derived_arrays(name, key, index.arrays(), replaces=f"{SIDECAR[:-4]}-*")
        return index

    def arrays(self) -> dict[str, np.ndarray]:
        tables = {"docs": self.docs, "issued": self.issued, "levels": self.levels, "dates": self.dates, "rules": self.rules,
                  "titles": self.titles,
                  "groups": [{"actors": g.actors, "refs": g.refs,
                              "categories": sorted(g.categories, key=lambda c: (c is None, c or ""))}
                             for g in self.groups]}
        w, pr = self.words, self.pairs
        return {"ids": self.ids, "doc": self.doc, "access": self.access, "group": self.group,
                "due_start": self.due_start, "due_end": self.due_end, "rule": self.rule,
                "month_rule": self.month_rule, "recurs": self.recurs, "title": self.title, "dated": self.dated, "start": self.start,
                "w_blob": w.blob, "w_offsets": w.offsets, "w_ptr": w.ptr, "w_ids": w.ids,
                "p_blob": pr.blob, "p_offsets": pr.offsets, "p_ptr": pr.ptr, "p_ids": pr.ids,
                "tables": _blob(tables)}

    # -- selections (sorted ordinals) --------------------------------------------------------------

    def visible(self, levels: Iterable[str]) -> np.ndarray:
        codes = [i for i, lv in enumerate(self.levels) if lv in set(levels)]
        return np.flatnonzero(np.isin(self.access, codes)).astype(np.int32)

    def of_docs(self, doc_ids: Iterable[str], within: np.ndarray) -> np.ndarray:
        parts = [self._by_doc[self._doc_ptr[i]:self._doc_ptr[i + 1]]
                 for i in (self._doc_of.get(d) for d in set(doc_ids)) if i is not None]
        mine = np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int32)
        return np.intersect1d(within, mine, assume_unique=True)

    def bound(self, within: np.ndarray, binds: Callable[[Group], bool]) -> np.ndarray:
        """The duties of `within` whose group `binds` (called once per group present)."""
        present = np.unique(self.group[within])
        yes = np.zeros(len(self.groups), dtype=bool)
        for g in present:
            yes[g] = binds(self.groups[int(g)])
        return within[yes[self.group[within]]]

    def containing(self, words: Iterable[str], within: np.ndarray) -> np.ndarray:
        """The duties of `within` whose text (`duty_text`) holds at least one of `words` (folded
        syllables; stop syllables are not indexed and never match)."""
        hit = np.zeros(self.n, dtype=bool)
        for w in set(words):
            ids = self.words.get(w)
            if ids is not None:
                hit[ids] = True
        return within[hit[within]]

    def starting(self, prefix: str, within: np.ndarray) -> np.ndarray:
        """The duties of `within` whose text holds a word starting with `prefix` (a folded syllable's
        start; stop syllables are not indexed and never match)."""
        try:
            k = prefix.encode("ascii")
        except UnicodeEncodeError:
            return within[:0]
        keys = self.words._keys
        lo, hi = bisect.bisect_left(keys, k), bisect.bisect_left(keys, k + b"\xff")
        hit = np.zeros(self.n, dtype=bool)
        for i in range(lo, hi):
            hit[self.words.ids[self.words.ptr[i]:self.words.ptr[i + 1]]] = True
        return within[hit[within]]

    def text_match(self, terms: QueryTerms, within: np.ndarray) -> np.ndarray:
        """`retrieval.scoring.text_match(terms, duty_text(…))` of every duty of `within`, in its order:
        the same sums, term by term in the same order, so the same floats."""
        if terms.empty:
            return np.zeros(len(within))
        cov = np.zeros(self.n)
        for t, w in terms.weights.items():  # t is never a stop syllable (query_terms)
            ids = self.words.get(t)
            if ids is not None:
                cov[ids] += w
        out = cov[within] / terms.weight_total
        btotal = terms.bigram_total
        if btotal:
            bi = np.zeros(self.n)
            for (a, b), w in terms.bigrams.items():  # never two stop syllables (query_terms)
                ids = self.pairs.get(f"{a} {b}")
                if ids is not None:
                    bi[ids] += w
            out = out + bi[within] / btotal
        return out

    def first_due_in(self, within: np.ndarray, lo: str | None, hi: str | None, *, ruled: bool = False) -> np.ndarray:
        """The duties of `within` without a monthly rule (``ruled``: with one) whose first due date
        (due_end or due_start) is inside [lo, hi] (ISO, either open)."""
        first = self._first[within]
        ok = (first > 0) & ((self.rule[within] >= 0) if ruled else (self.rule[within] < 0))
        if lo is not None:
            ok &= first >= bisect.bisect_left(self.dates, lo)
        if hi is not None:
            ok &= first < bisect.bisect_right(self.dates, hi)
        return within[ok]

    def due_overlapping(self, within: np.ndarray, lo: str | None, hi: str | None) -> np.ndarray:
        """The duties of `within` with a due_end whose span [due_start or due_end, due_end] meets
        [lo, hi] (ISO, either open): the obligations list's date filter."""
        end = self.due_end[within]
        start = np.where(self.due_start[within] > 0, self.due_start[within], end)
        ok = end > 0
        if lo is not None:
            ok &= end >= bisect.bisect_left(self.dates, lo)
        if hi is not None:
            ok &= start < bisect.bisect_right(self.dates, hi)
        return within[ok]

    def undated(self, within: np.ndarray) -> np.ndarray:
        """The duties of `within` with neither due_end nor due_start."""
        return within[self._first[within] == 0]

    def ruled(self, within: np.ndarray) -> np.ndarray:
        """The duties of `within` with a recurrence of a stated day (their due days are the rule's)."""
        return within[self.rule[within] >= 0]

    def month_ruled(self, within: np.ndarray) -> np.ndarray:
        """The duties of `within` with no due date and a rhythm naming its months but no day (due in
        those months)."""
        return within[self.month_rule[within] >= 0]

    # -- what a selected duty is -----------------------------------------------------------------

    def point_id(self, o: int) -> str:
        h = self.ids[o].tobytes().hex()  # the canonical form str(uuid.UUID(bytes=…)) gives, 10x faster
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def doc_id(self, o: int) -> str:
        return self.docs[self.doc[o]]

    def due_start_of(self, o: int) -> str | None:
        return self.dates[self.due_start[o]] or None

    def due_end_of(self, o: int) -> str | None:
        return self.dates[self.due_end[o]] or None

    def due(self, o: int) -> str | None:
        """due_end or due_start (answers.duties._due)."""
        return self.dates[self._first[o]] or None

    def rrule(self, o: int) -> str | None:
        """The rule of a duty of `ruled` or `month_ruled` (None for any other)."""
        if self.rule[o] >= 0:
            return self.rules[self.rule[o]]
        return self.rules[self.month_rule[o]] if self.month_rule[o] >= 0 else None

    def doc_title(self, o: int) -> str:
        return self.titles[self.title[o]]

    def due_rank(self, within: np.ndarray, *, none_last: bool = False) -> np.ndarray:
        """The due date (due_end or due_start) of each duty of `within` as its rank among the dates:
        ordered as the ISO strings are; no date is 0, or (``none_last``) where Duty.sort_key puts it
        ("9999", after every date)."""
        first = self._first[within].astype(np.float64)
        if none_last:
            first[first == 0] = bisect.bisect_left(self.dates, "9999") - 0.5
        return first

    def doc_rank(self, within: np.ndarray) -> np.ndarray:
        """Each duty's doc_id as its rank among the doc_ids (ordered as the strings are)."""
        if self._doc_rank is None:
            rank = np.zeros(len(self.docs), dtype=np.int32)
            rank[sorted(range(len(self.docs)), key=self.docs.__getitem__)] = np.arange(len(self.docs), dtype=np.int32)
            self._doc_rank = rank
        return self._doc_rank[self.doc[within]]

    def sort_key(self, o: int) -> tuple:
        """Duty.sort_key."""
        return (self.due(o) or "9999", self.doc_id(o), int(self.start[o]))

    def group_of(self, o: int) -> Group:
        return self.groups[self.group[o]]

    def known_refs(self, levels: Iterable[str]) -> list[dict]:
        """Every actor reference the visible duties hold (positions aside), each once, in the order
        of the first duty holding it: what the role picker offers and matches."""
        firsts: dict[int, int] = {}
        sel = self.visible(levels)
        groups = self.group[sel]
        uniq, at = np.unique(groups, return_index=True)
        for g, i in zip(uniq.tolist(), at.tolist()):
            firsts[g] = int(sel[i])
        out: list[dict] = []
        seen: set[str] = set()
        for g in sorted(firsts, key=firsts.__getitem__):
            for r in self.groups[g].refs:
                k = json.dumps(r, ensure_ascii=False, sort_keys=True)
                if k not in seen:
                    seen.add(k)
                    out.append(r)
        return out
