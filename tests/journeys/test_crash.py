"""Crash safety (issue 8): SIGKILL at random points of ingest — `sotay ingest` and HTTP upload to
`sotay serve` — and a full disk during ingest.

The loop and the checks live in tests/support/crash.py (`python -m eval.durability` runs a longer
loop and prints figures). After every kill the data directory is reopened and every document must be
exactly its old version or exactly its new one (point ids, counts, the catalog's counts), the totals
must agree with the catalog, and a question must be answered with verbatim citations. The seed is
random and printed on failure; SOTAY_CRASH_SEED=N replays a run.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from support.cli import run_cli
from support.crash import (Checker, Server, check_answer_json, cli_kill_loop, expected_state, make_versions,
                           upload_kill_loop)

CLI_KILLS = 14
UPLOAD_KILLS = 6
TOTAL_KILLS = 20


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    a, b = make_versions(root, limit=4)  # the 4 largest documents: shorter runs, same code paths
    return {"A": a, "B": b}, Checker({"A": expected_state(a), "B": expected_state(b)})


def _seed() -> int:
    return int(os.environ.get("SOTAY_CRASH_SEED") or time.time_ns() % 1_000_000)


def test_sigkill_loop_during_ingest_cli_and_upload(versions, tmp_path):
    folders, checker = versions
    seed = _seed()
    rng = random.Random(seed)
    data = tmp_path / "data"
    cli, state = cli_kill_loop(data, folders, checker, kills=CLI_KILLS, rng=rng)
    where = f"seed {seed}; " + " | ".join(cli.log)
    assert cli.kills >= CLI_KILLS, where
    assert cli.kills_by_op and cli.kills_by_clock, where  # both ways of killing were exercised
    up, state = upload_kill_loop(data, folders, checker, state, kills=UPLOAD_KILLS, rng=rng)
    where += " || upload: " + " | ".join(up.log)
    assert up.kills >= UPLOAD_KILLS, where
    assert cli.kills + up.kills >= TOTAL_KILLS
    # After the last kill the real service starts on the data and answers over HTTP.
    server = Server(data)
    try:
        ans = server.ask()
        check_answer_json(ans, checker, state)
        for c in ans["citations"]:
            doc = httpx.get(f"{server.url}/api/documents/{c['doc_id']}", headers=server.headers(), timeout=30).json()
            assert doc["text"][c["start"]:c["end"]] == c["quote"]
    finally:
        server.stop()
    print(f"\ncrash loop (seed {seed}): cli {cli.to_json()}; upload {up.to_json()}")


# --------------------------------------------------------------------------------------------
# A full disk
# --------------------------------------------------------------------------------------------


def _mount_tmpfs(path: Path, size_mb: int) -> bool:
    """A small tmpfs at ``path`` when we may mount (root with CAP_SYS_ADMIN); else False."""
    path.mkdir(parents=True, exist_ok=True)
    if os.environ.get("SOTAY_TEST_TMPFS") == "0":  # exercise the fallback
        return False
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(path)], capture_output=True)
    return r.returncode == 0


def _fill(path: Path, leave_bytes: int) -> Path:
    """Take the disk's free space down to ``leave_bytes`` with one file (0 = full)."""
    filler = path / f"filler-{time.monotonic_ns()}"
    free = shutil.disk_usage(path).free
    with open(filler, "wb", buffering=0) as f:  # unbuffered: no pending bytes to fail at close
        want = max(0, free - leave_bytes)
        try:
            os.posix_fallocate(f.fileno(), 0, want)
        except OSError:
            pass
        chunk = b"\0" * 65536
        try:
            while shutil.disk_usage(path).free > leave_bytes + len(chunk):
                f.write(chunk)
            if leave_bytes == 0:
                while f.write(chunk):
                    pass
        except OSError:
            pass
    return filler


def test_disk_full_during_ingest_keeps_previous_state(versions, tmp_path):
    """On a real small tmpfs when we may mount one (root): the store refuses a write the disk
    cannot hold — before the engine's memory-mapped files meet a full disk, which would kill the
    process with SIGBUS — with a Vietnamese message, over the CLI and over HTTP upload; a store on
    a disk that is completely full does not open, with a Vietnamese message; after space is freed
    everything is as before and the ingest goes through. Without tmpfs the same refusals are
    produced by a reserve larger than the real free space (SOTAY_MIN_FREE_MB)."""
    folders, checker = versions
    disk = tmp_path / "disk"
    real = _mount_tmpfs(disk, 100)
    print(f"\ndisk full: {'a real 100 MB tmpfs' if real else 'no tmpfs: a reserve above the free space'}")
    data = disk / "data"
    try:
        reserve = 8 if real else int(shutil.disk_usage(tmp_path).free / 2**20) + 10_000
        r = run_cli(["ingest", str(folders["A"])], data, SOTAY_MIN_FREE_MB="8")
        assert r.returncode == 0, r.stderr
        state, _ = checker.check(data, {}, checker.target("A"))
        fillers = []
        if real:
            # on tmpfs the engine's index files take their full size at the first reopen: do it now
            assert run_cli(["documents"], data).returncode == 0
            fillers.append(_fill(disk, int(reserve * 2**20 + 0.5 * 2**20)))

        r = run_cli(["ingest", str(folders["B"])], data, SOTAY_MIN_FREE_MB=str(reserve))
        assert r.returncode == 1, (r.returncode, r.stderr)  # an error, not a crash (SIGBUS would be -7)
        assert "sotay: Ổ đĩa chứa kho dữ liệu" in r.stderr and "không đủ" in r.stderr, r.stderr
        assert "Dữ liệu đã có được giữ nguyên" in r.stderr and "Traceback" not in r.stderr
        assert checker.check(data, state, state)[0] == state  # nothing changed

        # the same over HTTP: a clear 4xx/5xx error, and the service goes on answering
        server = Server(data, env={"SOTAY_MIN_FREE_MB": str(reserve)})
        try:
            path = sorted(folders["B"].iterdir())[0]
            resp = server.upload(path)
            assert resp.status_code in (503, 507), resp.text
            err = resp.json()["error"]
            assert err["code"] == "disk_full" and "Ổ đĩa" in err["message"], err
            check_answer_json(server.ask(), checker, state)
        finally:
            server.stop()
        assert checker.check(data, state, state)[0] == state

        if real:  # completely full: the store does not open, and says why
            fillers.append(_fill(disk, 0))
            r = run_cli(["documents"], data, SOTAY_MIN_FREE_MB="0")
            assert r.returncode == 1, (r.returncode, r.stderr)
            assert "đã đầy" in r.stderr and "Traceback" not in r.stderr, r.stderr
            for f in fillers:
                f.unlink()

        r = run_cli(["ingest", str(folders["B"])], data, SOTAY_MIN_FREE_MB="8")
        assert r.returncode == 0, r.stderr
        now, _ = checker.check(data, state, checker.target("B"))
        assert now == checker.target("B")
    finally:
        if real:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)
