"""Compaction on a schedule: `sotay serve` purges deleted and replaced documents from the embedded
store's files (``KnowledgeBase.compact``) ``SOTAY_COMPACT_AFTER`` seconds after the first deletion or
replacement since the last compaction. Until then their text is still in the engine's write-ahead
log and segments (readable by whoever may read the data directory: its user, given the 0700
directory). On demand: `sotay compact`, or ``POST /api/admin/compact``."""
from __future__ import annotations

import logging
import threading
import time

from .knowledge import KnowledgeBase

log = logging.getLogger("sotay.compaction")

POLL_MAX = 60.0  # seconds between checks at most; a shorter delay is checked a few times within it


class CompactionSchedule:
    def __init__(self, kb: KnowledgeBase, after: float):
        self.kb, self.after = kb, after
        self.poll = min(POLL_MAX, max(0.5, after / 4))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self) -> bool:
        since = self.kb.garbage_since
        return since is not None and time.monotonic() - since >= self.after

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sotay-compaction", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            if not self.due():
                continue
            try:
                s = self.kb.compact()
                if s is not None:
                    log.info("compacted the store: %d documents, %d points, %.1f MB freed, %.1f s",
                             s.documents, s.points, s.freed / 1048576, s.seconds)
            except Exception:  # the store is whole either way; try again after another delay
                log.exception("scheduled compaction failed")
                self.kb.garbage_since = time.monotonic()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(600)


__all__ = ["CompactionSchedule"]
