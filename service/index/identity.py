"""Which stored document an ingested file is, and what storing it would replace.

- Ids: ``ingest.pipeline.make_doc_id`` keeps numbers and files apart ("777 KH.TU" is not "777-KH/TU",
  "evil.pdf" is not "evil.docx"). Stores written before it hold documents under the older id
  (``legacy_doc_id``), which met for both pairs. Compatibility, not migration: a stored document
  keeps its id — when a file's older id names a stored document of the same number as written (of
  the same file name, for a document without a number) the file is that document again — and every
  other file gets the new id. So links to stored documents stay valid and nothing is rewritten.
- Access: a file that does not say (no ``access`` in its front matter, none in the upload form)
  keeps the stored document's access; re-uploading an internal document never makes it public.
- Replacing: storing a file over a document that came from another file, or with another access,
  is refused unless the caller says ``replace`` (the API's ``replace=true``, the CLI's
  ``--replace``); what was replaced is reported (and audited) as before and after.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Callable, Iterator, Mapping

from ingest.pipeline import legacy_doc_id, make_doc_id

if TYPE_CHECKING:
    from ..store import Store

# Catalog fields these decisions read.
FIELDS = ["doc_id", "number", "source", "access", "version"]
ACCESS_LABEL = {"public": "công khai", "internal": "nội bộ"}


@dataclass(frozen=True)
class Stored:
    """What the catalog says of a stored document."""
    doc_id: str
    number: str | None
    source: str | None
    access: str
    version: str | None

    @classmethod
    def of(cls, entry: Mapping) -> "Stored":
        return cls(str(entry["doc_id"]), entry.get("number") or None, entry.get("source") or None,
                   str(entry.get("access") or "public"), entry.get("version"))

    def to_json(self) -> dict:
        return {"source": self.source, "access": self.access}


class StoredLookup(Mapping[str, Stored]):
    """The catalog's identities read one id at a time, as ``id_chooser`` and ``prepare`` ask."""

    def __init__(self, store: "Store"):
        self.store = store
        self._seen: dict[str, Stored | None] = {}

    def __getitem__(self, doc_id: str) -> Stored:
        if doc_id not in self._seen:
            entry = self.store.catalog_entry(doc_id, with_fields=FIELDS)
            self._seen[doc_id] = Stored.of({**entry, "doc_id": doc_id}) if entry else None
        found = self._seen[doc_id]
        if found is None:
            raise KeyError(doc_id)
        return found

    def __iter__(self) -> Iterator[str]:  # not needed by the lookups; a Mapping must have it
        return iter([d for d, s in self._seen.items() if s is not None])

    def __len__(self) -> int:
        return sum(1 for s in self._seen.values() if s is not None)


def id_chooser(stored: Mapping[str, Stored]) -> Callable[[str | None, date | None, str], str]:
    """The ``choose_id`` for ``build_document``: the new id, or the older one of a stored document
    this file is (see the module docstring)."""
    def choose(number: str | None, issued: date | None, source: str) -> str:
        new, old = make_doc_id(number, issued, source), legacy_doc_id(number, issued, source)
        held = stored.get(old)
        if old == new or held is None or new in stored:
            return new
        same = held.number == number if number else (held.number is None and held.source == source)
        return old if same else new

    return choose


@dataclass(frozen=True)
class Change:
    """What storing a file does to the document it is: ``before`` is None for a new document."""
    doc_id: str
    before: Stored | None
    source: str
    access: str

    def reasons(self) -> list[str]:
        """Why this write needs an explicit replace (Vietnamese clauses), or nothing."""
        b = self.before
        if b is None:
            return []
        out = []
        if b.source and b.source != self.source:
            out.append(f"thay văn bản đang có (từ tệp '{b.source}') bằng tệp '{self.source}'")
        if b.access != self.access:
            out.append(f"đổi quyền truy cập từ {ACCESS_LABEL.get(b.access, b.access)} "
                       f"thành {ACCESS_LABEL.get(self.access, self.access)}")
        return out

    def refusal(self, how: str) -> str:
        """The message of a refused write; ``how`` says how to confirm ("replace=true", "--replace")."""
        return (f"Văn bản '{self.doc_id}' đã có trong kho; tệp '{self.source}' sẽ " + " và ".join(self.reasons())
                + f". Nếu đúng ý, hãy gửi lại với {how}. Kho chưa thay đổi.")

    def to_json(self) -> dict | None:
        """Before and after, for the ingest summary and the audit line (None for a new document)."""
        if self.before is None:
            return None
        return {"before": self.before.to_json(), "after": {"source": self.source, "access": self.access}}


__all__ = ["FIELDS", "Stored", "StoredLookup", "Change", "id_chooser"]
