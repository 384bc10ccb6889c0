"""A folder of many mixed files, as an office's archive looks: Unicode .txt and .md, .docx, TCVN3
and VNI .txt, a few .rtf, and files that are not documents. Every document is short and has its own
number, so each is one stored document."""
from __future__ import annotations

from pathlib import Path

from .docx_files import make_docx
from .legacy import to_tcvn3, to_vni


def plan(n: int) -> str:
    month = n % 12 + 1
    return (f"ĐẢNG BỘ TỈNH BÌNH SƠN\nĐẢNG ỦY XÃ SỐ {n}\n\nSố {n}-KH/ĐU\n\nBình Sơn, ngày 5 tháng {month} năm 2025\n\n"
            f"KẾ HOẠCH\n\nthực hiện chuyên đề học tập số {n} năm 2025\n\nI- MỤC ĐÍCH, YÊU CẦU\n\n"
            f"1. Các chi bộ phải quán triệt chuyên đề số {n} đến toàn thể đảng viên.\n\n"
            f"II- NHIỆM VỤ\n\n1. Các chi bộ hoàn thành việc học tập trước ngày 20/{month}/2025.\n\n"
            f"2. Đảng ủy xã báo cáo kết quả về Ban Thường vụ Huyện ủy trong quý IV/2025.\n")


def _rtf(text: str) -> bytes:
    body = "".join(f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" if ord(c) > 127 else
                   ("\\par\n" if c == "\n" else ("\\" + c if c in "\\{}" else c)) for c in text)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0 " + body + "}").encode("ascii")


def mixed_folder(folder: Path, n: int, *, rtf: int = 2) -> dict[str, str]:
    """Write `n` files into `folder`; returns file name → what it is ("txt", "md", "docx", "tcvn3",
    "vni", "rtf", "refused")."""
    kinds: dict[str, str] = {}
    for i in range(1, n + 1):
        text = plan(i)
        slot = i % 20
        if slot == 0:
            name, data, kind = f"{i:04d}-anh.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "refused"
        elif slot in (1, 2):
            name, data, kind = f"{i:04d}.docx", make_docx(text.split("\n")), "docx"
        elif slot == 3:
            name, data, kind = f"{i:04d}-tcvn3.txt", to_tcvn3(text), "tcvn3"
        elif slot == 4:
            name, data, kind = f"{i:04d}-vni.txt", to_vni(text), "vni"
        elif slot == 5 and rtf > 0:
            rtf -= 1
            name, data, kind = f"{i:04d}.rtf", _rtf(text), "rtf"
        elif slot % 2:
            name, data, kind = f"{i:04d}.md", f"---\nnumber: {i}-KH/ĐU\n---\n{text}".encode(), "md"
        else:
            name, data, kind = f"{i:04d}.txt", text.encode(), "txt"
        (folder / name).write_bytes(data)
        kinds[name] = kind
    return kinds
