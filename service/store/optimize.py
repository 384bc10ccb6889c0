"""Optimizing an embedded store in a child process.

``EdgeStore.optimize`` holds the interpreter lock for as long as the engine works (about a minute per
100k points on a 2-core machine), so a serving process never calls it: a store it rebuilt (a
compaction, a restore: ``backup.replace_contents``) is optimized here, in a child process, before it
is swapped in. The child is killed if this process dies (Linux), so a crash never leaves it writing a
shard that the next open removes (an unfinished restore directory: ``datadir.finish_restore``).

    python -m service.store.optimize DATA_DIR    # optimize the (closed) store in DATA_DIR
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from .types import StoreError

# A store written with at least this many points is optimized (`sotay ingest` after a batch, a
# compaction or a restore before its swap): below it, the engine's appendable segment costs little
# memory and the rebuild is not worth its time.
OPTIMIZE_FROM_POINTS = 5_000

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # not Linux
        pass


def optimize_aside(data_dir: str) -> None:
    """Run ``EdgeStore.optimize`` on the closed store in ``data_dir`` in a child process."""
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    p = subprocess.run([sys.executable, "-m", "service.store.optimize", data_dir], env=env, capture_output=True,
                       text=True, preexec_fn=_die_with_parent)
    if p.returncode != 0:
        raise StoreError("optimize_failed", f"Không tối ưu được chỉ mục của kho ở {data_dir}: "
                                            f"{(p.stderr or p.stdout).strip()[-500:]}")


def main(argv: list[str]) -> int:
    from .edge import EdgeStore

    with EdgeStore(argv[0]) as store:
        store.optimize()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
