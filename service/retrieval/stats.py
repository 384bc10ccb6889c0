"""What the retriever knows about the stored documents as a whole: how many chunks use each syllable
(rarity weights and "a word no document uses"), and every document's number (named-document lookup).

Both are summed from the catalog (each entry carries its document's counts) and kept per access
level: a caller who may read only public documents is weighed and told with public documents only,
so an internal document changes nothing a read key sees.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from ingest.normalize import canonical, fold
from ingest.tokenize import accented_syllables, syllables

from ..store import Store
from .cues import CHAT_FOLDED, CHAT_WORDS, CUE_VOCAB, STOP_SYLLABLES
from .names import NamedDoc
from .query import ParsedQuestion
from .scoring import QueryTerms, idf, query_terms


@dataclass(frozen=True)
class StoredDoc:
    doc_id: str
    number: str
    issued: str | None
    type: str | None
    access: str

    @classmethod
    def of(cls, entry: dict) -> "StoredDoc":
        """The stored document a catalog entry describes."""
        return cls(entry["doc_id"], entry.get("number") or "", entry.get("issued"), entry.get("type"),
                   entry.get("access", "public"))


@dataclass
class _View:
    """Counts over the documents of some access levels."""
    n: int = 0
    df: dict[str, int] = field(default_factory=dict)
    by_lead: dict[str, list[StoredDoc]] = field(default_factory=dict)
    places: set[str] = field(default_factory=set)  # provinces the documents name


@dataclass
class _Level:
    """The counts of one access level's documents (what the views add up)."""
    n: int = 0
    df: dict[str, int] = field(default_factory=dict)
    docs: list[StoredDoc] = field(default_factory=list)
    places: set[str] = field(default_factory=set)


# Kept beside the store's data (Store.keep_derived): the counts of each access level as of the live
# documents named by Store.state_key, which a restart reads instead of every catalog entry (at 50k
# chunks the scan took 4-8 s and touched most of the engine's payload pages, which stayed resident).
SIDECAR = "termstats.json"


def _levels_of(value: object) -> dict[str, _Level] | None:
    try:
        return {access: _Level(int(lv["n"]), {str(t): int(c) for t, c in lv["df"].items()},
                               [StoredDoc(d[0], d[1], d[2], d[3], access) for d in lv["docs"]], set(lv["places"]))
                for access, lv in value.items()}  # type: ignore[union-attr]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # none, or of another shape: counted again


def _levels_json(levels: dict[str, _Level]) -> dict:
    return {access: {"n": lv.n, "df": lv.df, "docs": [[d.doc_id, d.number, d.issued, d.type] for d in lv.docs],
                     "places": sorted(lv.places)} for access, lv in levels.items()}


def _summed(dfs: list[dict[str, int]]) -> dict[str, int]:
    """The counts of several access levels added up (a level alone: its own table, shared — the
    tables are only read once loaded)."""
    if len(dfs) <= 1:
        return dfs[0] if dfs else {}
    largest = max(range(len(dfs)), key=lambda i: len(dfs[i]))
    out = dict(dfs[largest])
    for i, df in enumerate(dfs):
        if i != largest:
            for t, c in df.items():
                out[t] = out.get(t, 0) + c
    return out


def _lead(number: str) -> str:
    """The leading figure of a document number without zeros: "01-KL/TW" → "1"."""
    return number.split("-", 1)[0].strip().lstrip("0") or "0"


# A concessive clause, to its end: "dù có khó khăn", "mặc dù …", "kể cả khi …".
# (never folded "dau": typed without diacritics it is as often "đầu" — "6 thang dau nam" — or "đâu")
_CONCESSION = re.compile(r"(?<!\w)(?:mặc dù|dù|dẫu|kể cả khi|mac du)\s[^,;.?!]*", re.I)


class TermStats:
    """Writes through this process invalidate the tables; `ttl` bounds how stale they may get when
    other processes write (server replicas). A stale table is refreshed in the background while
    queries go on with the old one: at 200k chunks a reload takes seconds."""

    LEVELS = (("public",), ("public", "internal"))

    def __init__(self, store: Store, ttl: float | None = 30.0):
        self.store, self.ttl = store, ttl
        self._views: dict[tuple[str, ...], _View] = {}
        self._loaded_at: float | None = None
        self._valid = False
        self._lock = threading.Lock()
        self._refreshing = False

    # -- freshness ----------------------------------------------------------------------------

    def invalidate(self) -> None:
        """After a write here: the next query reloads before it reads (its own write must show)."""
        self._valid = False

    def _stale(self) -> bool:
        if not self._valid or self._loaded_at is None:
            return True
        return self.ttl is not None and time.monotonic() - self._loaded_at >= self.ttl

    def _ensure(self) -> None:
        if not self._stale():
            return
        if self._valid and self._loaded_at is not None:
            # Only old (ttl): serve the old table and refresh it in the background, once.
            with self._lock:
                if self._refreshing:
                    return
                self._refreshing = True
            threading.Thread(target=self._background_reload, name="sotay-termstats", daemon=True).start()
            return
        with self._lock:
            if self._stale():
                self._reload()

    def _background_reload(self) -> None:
        try:
            with self._lock:
                self._reload()
        except Exception:  # the next query retries; the old table stays in use meanwhile
            pass
        finally:
            self._refreshing = False

    def _reload(self) -> None:
        self._valid = True  # set first: a write during the read invalidates again
        key = self.store.state_key()
        kept = self.store.derived(SIDECAR, key)
        per_access = _levels_of(kept) if kept is not None else None
        if per_access is None:
            per_access = self._scan()
            # Kept only when no write landed during the scan (the key would no longer say what it counts).
            if key is not None and key == self.store.state_key():
                self.store.keep_derived(SIDECAR, key, _levels_json(per_access))
        views = {levels: _View() for levels in self.LEVELS}
        for levels, view in views.items():
            parts = [per_access[a] for a in sorted(per_access) if a in levels]
            view.n = sum(p.n for p in parts)
            view.df = _summed([p.df for p in parts])
            for p in parts:
                for doc in p.docs:
                    if doc.number:
                        view.by_lead.setdefault(_lead(doc.number), []).append(doc)
                view.places.update(p.places)
            for docs in view.by_lead.values():
                docs.sort(key=lambda d: d.doc_id)  # the catalog's order (pages come in the engine's)
        self._views = views
        self._loaded_at = time.monotonic()

    def _scan(self) -> dict[str, "_Level"]:
        """The counts of each access level, summed from every catalog entry."""
        out: dict[str, _Level] = {}
        # Syllable counts summed once per access level, then combined per view: summing every
        # document's counts into each view that sees it was most of a reload (the catalog's "df"
        # holds ~1,000 syllables per document; 6.8 s at 200k chunks).
        # The catalog is read a page at a time: every entry's counts at once held ~300 MB at 50k
        # chunks, which the process kept after the sums were made.
        fields = ["df", "counts", "number", "issued", "type", "access", "places"]
        for page in self.store.catalog_pages(with_fields=fields):
            for e in page:
                access = e.get("access") or "public"
                level = out.get(access)
                if level is None:
                    level = out[access] = _Level()
                level.docs.append(StoredDoc(e["doc_id"], e.get("number") or "", e.get("issued"), e.get("type"), access))
                df = level.df
                for t, c in (e.get("df") or {}).items():
                    df[t] = df.get(t, 0) + c
                level.n += (e.get("counts") or {}).get("chunks", 0)
                level.places.update(e.get("places") or [])
        return out

    def _view(self, levels: list[str] | tuple[str, ...]) -> _View:
        self._ensure()
        return self._views.get(tuple(levels)) or self._views.get(("public",)) or _View()

    # -- documents ----------------------------------------------------------------------------

    def named(self, named: list[NamedDoc], levels: list[str]) -> list[StoredDoc]:
        """The stored documents (visible at `levels`) that the question's names point at."""
        view = self._view(levels)
        out: list[StoredDoc] = []
        for nd in named:
            for doc in view.by_lead.get(nd.number, []):
                if nd.matches(doc.number, doc.issued) and doc not in out:
                    out.append(doc)
        return out

    def places(self, levels: list[str]) -> set[str]:
        return self._view(levels).places

    # -- terms --------------------------------------------------------------------------------

    def df(self, term: str, levels: list[str]) -> int:
        return self._view(levels).df.get(term, 0)

    def idf(self, term: str, levels: list[str]) -> float:
        view = self._view(levels)
        return idf(view.n, view.df.get(term, 0))

    def terms(self, text: str, levels: list[str]) -> QueryTerms:
        view = self._view(levels)
        return query_terms(syllables(text), lambda s: idf(view.n, view.df.get(s, 0)))

    def unseen(self, q: ParsedQuestion, levels: list[str]) -> list[str]:
        """Topic words (with their diacritics when the user typed them) that no stored passage uses."""
        view = self._view(levels)
        # a concession ("… dù có khó khăn?") grants a case, it asks nothing the text must hold
        topic = _CONCESSION.sub(" ", q.topic)
        if q.typed_without_diacritics:
            return [w for w in syllables(topic)
                    if not w.isdigit() and w not in STOP_SYLLABLES | CHAT_FOLDED and view.df.get(w, 0) == 0]
        # (a word of asking typed as one — "nêu", "gì", "nào" — names nothing the documents must hold)
        return [w for w in accented_syllables(topic)
                if fold(w) not in STOP_SYLLABLES | CHAT_FOLDED and w.lower() not in CHAT_WORDS
                and canonical(w).lower() not in CUE_VOCAB and view.df.get("a:" + w, 0) == 0]

    def bigram_seen(self, a: str, b: str, levels: list[str]) -> bool:
        """Whether some stored chunk holds both syllables (an upper bound for the phrase "a b")."""
        view = self._view(levels)
        return view.df.get(a, 0) > 0 and view.df.get(b, 0) > 0
