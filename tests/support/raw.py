"""What every text a reader returns keeps (NFC, no control or bidi characters, not blank), and the
documented codes of a refusal."""
from __future__ import annotations

import re
import unicodedata

from ingest.readers import RawDocument


READ_CODES = {"unsupported", "unreadable", "empty", "too_large", "binary", "legacy_encoding", "front_matter",
              "corrupt", "encrypted", "no_text_layer", "unavailable", "ocr_failed"}


def check_raw(raw: RawDocument) -> None:
    assert raw.text.strip()
    assert unicodedata.is_normalized("NFC", raw.text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\r]", raw.text)
