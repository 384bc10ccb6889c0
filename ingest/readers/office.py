""".doc (Word 97–2003), .odt and .rtf: converted to .docx by LibreOffice headless (Debian:
libreoffice-writer-nogui), offline, then read like any .docx (same structure, numbering, footnotes
and legacy-font handling: LibreOffice keeps the .VnTime / VNI-Times font names).

Chosen over antiword/catdoc by measured fidelity (eval/office_fidelity.py): they print plain text,
losing Word's list numbers and the link between a footnote and its marker, and neither reads .odt.

Each process converts through its own LibreOffice profile directory (two instances sharing one
profile block or fail), one conversion at a time per process, with a timeout after which the whole
LibreOffice process group is killed.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from .archive import SafeZip
from .base import DOC, DOCX, ENCRYPTED_OFFICE, ODT, OLE2_MAGIC, RTF, ReadError, describe_content, is_zip, wrong_content

TIMEOUT_S = 180  # one conversion (a first start with a fresh profile takes ~5 s here; a 300-page .doc ~30 s)
PACKAGE = "libreoffice-writer-nogui"

_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the OLE2 directory entry of a Word document
_lock = threading.Lock()
_profile: Path | None = None


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_tools() -> list[str]:
    return [] if soffice() else [PACKAGE]


def _profile_dir() -> Path:
    """This process's LibreOffice profile (created on first use, reused: a fresh profile costs seconds)."""
    global _profile
    if _profile is None or not _profile.exists():
        _profile = Path(tempfile.mkdtemp(prefix=f"sotay-lo-{os.getpid()}-"))
        atexit.register(shutil.rmtree, _profile, True)  # removed when the process ends normally
    return _profile


def check_content(data: bytes, source: str, fmt: str) -> str:
    """The format the bytes really are ("doc", "rtf", "odt" or "docx"), or a ReadError. A .doc is
    often really RTF or .docx renamed; that is fine."""
    desc = describe_content(data)
    if desc == ENCRYPTED_OFFICE:
        raise ReadError(source, "encrypted", f"Tệp '{source}' được đặt mật khẩu; hãy gỡ mật khẩu rồi nạp lại.")
    if data.startswith(OLE2_MAGIC) and fmt in ("doc", "rtf"):
        if _WORD_STREAM not in data:  # every Word 97–2003 file has this stream; anything else is not one
            raise ReadError(source, "corrupt", f"Tệp '{source}' là tệp Office đời cũ nhưng không có nội dung Word "
                                               "(có thể là Excel/PowerPoint .xls/.ppt hoặc tệp hỏng).")
        return "doc"
    if desc == RTF and fmt in ("doc", "rtf"):
        return "rtf"
    if desc == DOCX and fmt in ("doc", "rtf"):
        return "docx"
    if desc == ODT and fmt == "odt":
        return "odt"
    expected = {"doc": "tệp Word .doc", "rtf": "tệp RTF", "odt": "tệp OpenDocument .odt"}[fmt]
    if desc is not None:
        raise ReadError(source, "corrupt", wrong_content(source, desc, expected))
    raise ReadError(source, "corrupt", f"Tệp '{source}' bị hỏng hoặc không phải {expected} hợp lệ.")


def to_docx(data: bytes, source: str, real: str) -> bytes:
    """Convert .doc / .rtf / .odt bytes to .docx bytes with LibreOffice."""
    exe = soffice()
    if exe is None:
        raise ReadError(source, "unavailable",
                        f"Không đọc được tệp '{source}': máy chủ chưa cài LibreOffice (gói {PACKAGE}) để chuyển "
                        f".{real} sang .docx. Hãy cài gói đó, hoặc mở tệp bằng Word và lưu lại dưới dạng .docx.")
    if real == "odt":  # a zip: its members must inflate within our limits before LibreOffice inflates them
        zf = SafeZip(data, source, what="tệp OpenDocument .odt")
        for name in zf.names():
            zf.read(name)
    with _lock, tempfile.TemporaryDirectory(prefix="sotay-convert-") as tmp:
        src = Path(tmp, f"in.{real}")
        src.write_bytes(data)
        out = Path(tmp, "out")
        cmd = [exe, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--invisible", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(out), str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                env={**os.environ, "HOME": tmp})
        try:
            _, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ReadError(source, "corrupt", f"Không chuyển được tệp '{source}' sang .docx: LibreOffice chạy quá "
                                               f"{TIMEOUT_S} giây.") from None
        result = out / "in.docx"
        if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            raise ReadError(source, "corrupt", f"Tệp '{source}' bị hỏng: LibreOffice không chuyển được sang .docx.")
        return result.read_bytes()


def is_zip_docx(data: bytes) -> bool:
    return is_zip(data) and describe_content(data) == DOCX


__all__ = ["check_content", "to_docx", "missing_tools", "soffice", "DOC", "ODT", "RTF"]
