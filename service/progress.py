"""What `sotay ingest` shows while it works and when it is done: a one-line progress bar on stderr
(files, characters per second, time left) and a table of what was added, updated, unchanged and
refused, each refusal with its reason."""
from __future__ import annotations

import sys
import time
from typing import TextIO

from .records import IngestProgress, IngestReport

BAR_WIDTH = 24
REDRAW_S = 0.1  # at most ten redraws a second on a terminal
LABELS = {"added": "thêm mới", "updated": "cập nhật", "unchanged": "không đổi", "error": "từ chối"}


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _rate(chars_per_s: float) -> str:
    return f"{chars_per_s / 1000:.1f}k" if chars_per_s >= 1000 else f"{chars_per_s:.0f}"


def line(p: IngestProgress) -> str:
    """"[#######.......] 120/500 tệp · 45.2k ký tự/s · còn 1:23" — the time left from the bytes
    still to read at the rate bytes were read so far."""
    share = p.done / p.total if p.total else 1.0
    filled = round(BAR_WIDTH * share)
    left = ""
    if p.bytes_done and p.done < p.total:
        left = f" · còn {_clock(p.seconds * (p.bytes_total - p.bytes_done) / p.bytes_done)}"
    rate = p.chars / p.seconds if p.seconds > 0 else 0.0
    return (f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {p.done}/{p.total} tệp · "
            f"{_rate(rate)} ký tự/s{left}")


class ProgressBar:
    """Redraws one line in place on a terminal; elsewhere (a log, a pipe) writes a line per file."""

    def __init__(self, stream: TextIO = sys.stderr, in_place: bool | None = None):
        self.stream = stream
        self.in_place = stream.isatty() if in_place is None else in_place
        self._last = 0.0
        self._width = 0

    def __call__(self, p: IngestProgress) -> None:
        now = time.monotonic()
        final = p.done >= p.total
        if self.in_place:
            if not final and now - self._last < REDRAW_S:
                return
            text = line(p)
            self.stream.write("\r" + text.ljust(self._width) + ("\n" if final else ""))
            self._width = len(text)
        else:
            self.stream.write(f"{line(p)} · {p.item.source}: {LABELS.get(p.item.status, p.item.status)}\n")
        self.stream.flush()
        self._last = now


def summary(report: IngestReport) -> str:
    """The table printed at the end (stdout): counts by outcome."""
    counts = report.to_json()["counts"]
    rows = [f"Đã xử lý {len(report.items)} tệp:"]
    for status in ("added", "updated", "unchanged", "error"):
        rows.append(f"  {LABELS[status]:<10} {counts.get(status, 0):>6}")
    return "\n".join(rows)


def refusals(report: IngestReport) -> list[str]:
    """One Vietnamese line per refused file, with its reason (stderr, like every CLI error)."""
    return [f"từ chối {i.source}: {i.error}" for i in report.errors]
