"""Assertions shared by the reader tests."""
from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.readers import RawDocument, ReadError

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]")


def assert_clean(doc: RawDocument) -> None:
    """The invariants every RawDocument.text keeps."""
    assert isinstance(doc, RawDocument)
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text
    assert not FORBIDDEN.search(doc.text)
    lines = doc.text.split("\n")
    assert doc.text.splitlines() == (lines[:-1] if doc.text.endswith("\n") else lines)
    assert doc.text.strip()
    assert "/" not in doc.source and "\\" not in doc.source


def error(fn, *args, **kw) -> ReadError:
    with pytest.raises(ReadError) as info:
        fn(*args, **kw)
    e = info.value
    assert e.message and e.source in e.message and str(e) == e.message
    return e
