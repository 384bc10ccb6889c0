""".txt and .md: Unicode (UTF-8, or UTF-16/32 with a BOM) or a legacy Vietnamese code page (TCVN3,
VNI, VISCII, Windows-1258, decided by `encodings`), and an optional YAML front matter block whose
fields override what the structure parser infers (in either suffix: offices save the same file as
both)."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from . import encodings
from .base import RawDocument, Provenance, ReadError, binary, clean, describe_content, empty, finish, wrong_content

MAX_FRONT_MATTER_NODES = 10_000  # YAML values after alias expansion (alias bombs, cycles)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_C0_BAD = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_C0_BAD_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _decode_text(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    """The file's text (line breaks normalised, controls dropped, legacy Latin-1 runs converted) and
    the legacy encodings it was converted from."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-8":
                    break  # a UTF-8 BOM on non-UTF-8 bytes: classify below
                raise ReadError(
                    source,
                    "corrupt",
                    f"Tệp '{source}' có dấu BOM {codec.upper()[:6]} nhưng nội dung không giải mã được; "
                    "hãy lưu lại dưới dạng Unicode UTF-8.",
                ) from None
            return _clean_raw_controls(text, source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    desc = describe_content(data)
    if desc is not None:
        raise ReadError(source, "binary", wrong_content(source, desc, "tệp văn bản"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _clean_raw_controls(text, source)
    # Not UTF-8: binary junk, or an old 8-bit Vietnamese code page, decoded only when one encoding
    # explains the text with confidence.
    if b"\x00" in data:
        even, odd = data[0::2], data[1::2]
        if len(data) >= 8 and (even.count(0) > 0.3 * len(even)) != (odd.count(0) > 0.3 * len(odd)):
            raise ReadError(
                source,
                "binary",
                f"Tệp '{source}' có vẻ là văn bản UTF-16 nhưng thiếu dấu BOM; "
                "hãy lưu lại dưới dạng Unicode UTF-8.",
            )
        raise binary(source)
    if len(data) - len(data.translate(None, _C0_BAD)) > 0.1 * len(data):
        raise binary(source)
    decoded = encodings.decode_legacy(data)
    if decoded is None:
        raise ReadError(
            source,
            "legacy_encoding",
            f"Tệp '{source}' không phải Unicode UTF-8 và không xác định chắc chắn được bảng mã tiếng Việt cũ "
            "của nó (TCVN3, VNI, VISCII hay Windows-1258). Hãy chuyển sang Unicode UTF-8 (ví dụ bằng công cụ "
            "chuyển mã của Unikey) rồi nạp lại.",
        )
    text, enc = decoded
    return clean(text), (enc,)


def _clean_raw_controls(text: str, source: str) -> tuple[str, tuple[str, ...]]:
    """Valid UTF-8 may still be binary (NULs, control bytes): refuse if there are many. Lines of
    legacy text shown as Latin-1 are converted before the clean-up drops C1 characters."""
    bad = _C0_BAD_RE.subn("", text)[1]
    if bad and bad > 0.02 * len(text):
        raise binary(source)
    text, repaired = encodings.repair_surface(text)
    return clean(text), repaired


_FM_OPEN = re.compile(r"---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_FM_KEYLIKE = re.compile(r"\s*[\w\"'-][^\n:]*:(\s|$)")


def read_text(data: bytes, source: str, fmt: str) -> RawDocument:
    """.txt and .md alike: an opening YAML front matter block ("---" … "---") is metadata, whatever
    the suffix (offices save the same file as either)."""
    text, legacy = _decode_text(data, source)
    front: dict = {}
    opening = _FM_OPEN.match(text)
    if opening:
        close = _FM_CLOSE.search(text, opening.end())
        if close is None:
            if _FM_KEYLIKE.match(text, opening.end()):
                raise ReadError(
                    source,
                    "front_matter",
                    f"Phần đầu YAML (front matter) của tệp '{source}' mở bằng '---' nhưng không có "
                    "dòng '---' đóng lại.",
                )
        else:
            front = _parse_front_matter(text[opening.end():close.start()], source)
            body_start = close.end() + 1 if close.end() < len(text) else close.end()
            text = text[body_start:]
    if not text.strip():
        raise empty(source, " (chỉ có phần front matter)" if front else "")
    text, legacy = finish(source, text, legacy)
    return RawDocument(source, fmt, text, front, Provenance(legacy_encodings=legacy))


def _parse_front_matter(block: str, source: str) -> dict:
    import yaml

    def bad(detail: str) -> ReadError:
        return ReadError(
            source,
            "front_matter",
            f"Phần đầu YAML (front matter) của tệp '{source}' {detail}. Hãy sửa lại theo dạng "
            "'khóa: giá trị'.",
        )

    try:
        value = yaml.safe_load(block)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f" ở dòng {mark.line + 2}" if mark is not None else ""
        raise bad(f"bị lỗi cú pháp{where}") from None
    except Exception:
        raise bad("bị lỗi cú pháp") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad("không ở dạng các cặp khóa – giá trị")
    budget = [MAX_FRONT_MATTER_NODES]

    def norm(v: Any, depth: int = 0) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > 50:
            raise bad("quá lớn, lồng quá sâu hoặc tự tham chiếu")
        if isinstance(v, (datetime, date, time)):
            return v.isoformat()
        if isinstance(v, str):
            return clean(v)
        if isinstance(v, dict):
            return {_key(k): norm(x, depth + 1) for k, x in v.items()}
        if isinstance(v, (list, tuple, set, frozenset)):
            return [norm(x, depth + 1) for x in v]
        if v is None or isinstance(v, (bool, int, float)):
            return v
        return clean(str(v))

    def _key(k: Any) -> str:
        k = k.isoformat() if isinstance(k, (datetime, date, time)) else str(k)
        return clean(k).strip().lower()

    return norm(value)


