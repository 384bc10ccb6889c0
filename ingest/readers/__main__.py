"""`python -m ingest.readers`: say which formats can be read here and what is missing (exit 0 even
then: the other formats still work)."""
from __future__ import annotations

import sys

from . import SUPPORTED_SUFFIXES, missing_tools


def main() -> int:
    missing = missing_tools()
    print(f"Định dạng đọc được: {', '.join(SUPPORTED_SUFFIXES)}")
    for formats, packages in missing.items():
        print(f"Thiếu công cụ cho {formats}: cài gói Debian {' '.join(packages)} "
              f"(sudo apt-get install {' '.join(packages)}); các tệp này sẽ bị từ chối kèm lý do.", file=sys.stderr)
    if not missing:
        print("Đủ công cụ cho mọi định dạng (LibreOffice, Tesseract tiếng Việt, poppler).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
