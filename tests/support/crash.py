"""Crash safety harness: SIGKILL during ingest (CLI and HTTP upload), and the checks after each kill.

The kill loop alternates two versions of the shipped documents (the second has " và " → " cùng "
in each document's second half: same doc_id, new content hash, every point id new). Each run
ingests one version and is killed with SIGKILL, either

* at a random store write — the N-th engine write call (upsert, catalog put, delete, flush), just
  before or just after it; the child is the real `sotay` CLI (or `sotay serve`) with a hook that
  counts those calls and kills its own process (``python -m tests.support.crash child N before|after
  -- CLI ARGS``), or
* at a random moment from outside (wall clock, over the duration of a whole run).

After every run the data directory is reopened (orphan clean-up included) and checked: every
document is either exactly the version it had before the run or exactly the run's version (the
point ids, the chunk and obligation counts, the catalog's own counts), the store's totals agree
with the catalog, and a question is answered with citations that are verbatim document text.
`tests/journeys/test_crash.py` runs a bounded loop; `python -m eval.durability` a longer one that
prints figures.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cli import ROOT, child_env
from .serving import free_port, wait_healthy

CORPUS = ROOT / "corpus"
QUESTION = "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?"
WRITE_OPS = ("_upsert", "_put_catalog", "_remove_catalog", "_delete_where", "_engine_flush")
ADMIN_KEY = "durability-admin-key-0123456789"


# --------------------------------------------------------------------------------------------
# Inputs and what they must produce
# --------------------------------------------------------------------------------------------


def make_versions(root: Path, corpus: Path = CORPUS, *, limit: int | None = None) -> tuple[Path, Path]:
    """Two folders with the same documents: A as shipped, B edited in each document's second half.
    ``limit``: only the largest documents of the corpus (shorter runs)."""
    a, b = root / "A", root / "B"
    a.mkdir(parents=True, exist_ok=True)
    b.mkdir(parents=True, exist_ok=True)
    files = sorted((p for p in corpus.iterdir() if p.is_file()), key=lambda p: -p.stat().st_size)[:limit]
    for p in sorted(files):
        text = p.read_text(encoding="utf-8")
        half = len(text) // 2
        (a / p.name).write_text(text, encoding="utf-8")
        (b / p.name).write_text(text[:half] + text[half:].replace(" và ", " cùng "), encoding="utf-8")
    return a, b


@dataclass(frozen=True)
class Expect:
    version: str
    ids: frozenset
    counts: tuple  # sorted (record, n) pairs


def expected_state(folder: Path) -> dict[str, Expect]:
    """What ingesting ``folder`` must store, by the real pipeline: doc_id → version, ids, counts."""
    from ingest.pipeline import build_document
    from ingest.readers import iter_sources, read_path
    from service.index.points import build_points

    out = {}
    for path in iter_sources([folder]):
        catalog, points = build_points(build_document(read_path(path)), None)
        counts: dict[str, int] = {}
        for p in points:
            rec = p.payload.get("record", "chunk")
            counts[rec] = counts.get(rec, 0) + 1
        out[catalog["doc_id"]] = Expect(catalog["version"], frozenset(p.id for p in points), tuple(sorted(counts.items())))
    return out


class Checker:
    """Knows both versions of every document and checks a data directory against them."""

    def __init__(self, versions: dict[str, dict[str, Expect]]):
        self.versions = versions  # label ("A"/"B") → doc_id → Expect
        self.by_version: dict[tuple[str, str], Expect] = {}
        for exp in versions.values():
            for doc_id, e in exp.items():
                self.by_version[(doc_id, e.version)] = e

    def target(self, label: str) -> dict[str, str]:
        return {d: e.version for d, e in self.versions[label].items()}

    def check(self, data_dir: Path, before: dict[str, str], target: dict[str, str], *, ask: bool = True) -> tuple[dict[str, str], int]:
        """Open the store, check it, return (doc_id → version now, orphans deleted at open).
        Raises AssertionError naming what is wrong."""
        from service.answers import answer_question
        from service.config import Settings
        from service.knowledge import KnowledgeBase

        with KnowledgeBase(Settings(data_dir=data_dir)) as kb:
            store = kb.store
            orphans = int(getattr(store, "orphans_deleted", 0))
            catalog = {e["doc_id"]: e for e in store.catalog()}
            now = {d: e["version"] for d, e in catalog.items()}
            assert set(before) <= set(now), f"documents lost: {sorted(set(before) - set(now))}"
            dumps = {}
            store.export_documents(lambda dump: dumps.__setitem__(dump.catalog["doc_id"], dump))
            assert set(dumps) == set(now)
            chunks = obligations = 0
            for doc_id, version in now.items():
                allowed = {before.get(doc_id), target.get(doc_id)} - {None}
                assert version in allowed, f"{doc_id}: version {version} is neither the old one nor the new one {allowed}"
                exp = self.by_version[(doc_id, version)]
                dump = dumps[doc_id]
                got_ids = frozenset(p.id for p in dump.points)
                assert got_ids == exp.ids, (
                    f"{doc_id}@{version}: {len(got_ids & exp.ids)}/{len(exp.ids)} expected points, "
                    f"{len(got_ids - exp.ids)} foreign")
                assert {p.payload.get("version") for p in dump.points} <= {version}
                counts = dict(exp.counts)
                assert dump.counts() == counts, (doc_id, dump.counts(), counts)
                cat_counts = catalog[doc_id].get("counts") or {}
                assert cat_counts.get("chunks", 0) == counts.get("chunk", 0), (doc_id, cat_counts, counts)
                assert cat_counts.get("obligations", 0) == counts.get("obligation", 0), (doc_id, cat_counts, counts)
                chunks += counts.get("chunk", 0)
                obligations += counts.get("obligation", 0)
            st = store.stats()
            assert (st["documents"], st["chunks"], st["obligations"], st["points"]) == (
                len(now), chunks, obligations, chunks + obligations), st
            if ask and now:
                check_answer(kb, answer_question(kb, QUESTION))
        return now, orphans


def check_answer(kb, ans: dict) -> None:
    """A real answer whose every citation is verbatim text of a stored document."""
    assert ans["kind"] in ("obligations", "passages"), ans["kind"]
    assert ans["citations"], "an answer without citations"
    for c in ans["citations"]:
        text = kb.document(c["doc_id"])["text"]
        assert text[c["start"]:c["end"]] == c["quote"], c


# --------------------------------------------------------------------------------------------
# Children: the real CLI, optionally with a hook that SIGKILLs it at its N-th store write
# --------------------------------------------------------------------------------------------


def install_kill_hook(n: int, when: str) -> None:
    """Kill this process with SIGKILL at the ``n``-th engine write call of the store (``when``:
    "before" or "after" the call). Prints "OPS k" at a normal exit (how many calls there were)."""
    import atexit

    from service.store import EdgeStore

    calls = [0]

    def wrap(name: str):
        real = getattr(EdgeStore, name)

        def hooked(self, *a, **k):
            calls[0] += 1
            if calls[0] == n and when == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            out = real(self, *a, **k)
            if calls[0] == n and when == "after":
                os.kill(os.getpid(), signal.SIGKILL)
            return out

        return hooked

    for name in WRITE_OPS:
        setattr(EdgeStore, name, wrap(name))
    atexit.register(lambda: print(f"OPS {calls[0]}", file=sys.stderr, flush=True))


def child_cmd(cli_args: list[str], kill_at: int | None = None, when: str = "before") -> list[str]:
    if kill_at is None:
        return [sys.executable, "-m", "service.cli", *cli_args]
    return [sys.executable, "-m", "tests.support.crash", "child", str(kill_at), when, "--", *cli_args]


def _ops(stderr: str) -> int | None:
    for line in stderr.splitlines():
        if line.startswith("OPS "):
            return int(line.split()[1])
    return None


# --------------------------------------------------------------------------------------------
# The loops
# --------------------------------------------------------------------------------------------


@dataclass
class LoopStats:
    runs: int = 0
    kills: int = 0
    kills_by_op: int = 0
    kills_by_clock: int = 0
    mid_write: int = 0  # kills after which the reopened store had orphans to delete
    mixed_after_kill: int = 0  # kills after which some documents were old and some new
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d.pop("log")
        return d


def _note(stats: LoopStats, before: dict, now: dict, target: dict, killed: bool, orphans: int, how: str) -> None:
    new = sum(1 for d, v in now.items() if v == target.get(d) and before.get(d) != v)
    stats.log.append(f"{how}: {'killed' if killed else 'finished'}, {new} documents switched, {orphans} orphans")
    if killed:
        stats.kills += 1
        stats.mid_write += orphans > 0
        kept = sum(1 for d, v in now.items() if v == before.get(d) and v != target.get(d))
        stats.mixed_after_kill += bool(new and kept)


def cli_kill_loop(data_dir: Path, folders: dict[str, Path], checker: Checker, *, kills: int, rng: random.Random,
                  state: dict[str, str] | None = None, max_runs: int | None = None) -> tuple[LoopStats, dict[str, str]]:
    """Kill `sotay ingest` ``kills`` times, alternating the versions and the two ways of killing.
    Returns the figures and the documents' versions at the end."""
    stats = LoopStats()
    started = time.monotonic()
    labels = sorted(folders)
    if state is None:  # the starting state: version A whole (timed, and the write calls counted)
        t0 = time.monotonic()
        r = subprocess.run(child_cmd(["ingest", str(folders[labels[0]])], kill_at=10**9), cwd=ROOT,
                           env=child_env(data_dir), capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        full_run, ops = time.monotonic() - t0, _ops(r.stderr) or 40
        state, _ = checker.check(data_dir, {}, checker.target(labels[0]))
    else:
        full_run, ops = 6.0, 40
    max_runs = max_runs or kills * 3
    i = 0
    while stats.kills < kills and stats.runs < max_runs:
        label = labels[(i + 1) % len(labels)]
        i += 1
        target = checker.target(label)
        cmd_args = ["ingest", str(folders[label])]
        if stats.runs % 2 == 0:
            # a write call of this run: 6 per document that changes (upsert, flush, catalog, flush, delete, flush)
            changing = sum(1 for d, v in target.items() if state.get(d) != v)
            n, when = rng.randint(1, max(1, min(ops, 6 * changing))), rng.choice(("before", "after"))
            r = subprocess.run(child_cmd(cmd_args, n, when), cwd=ROOT, env=child_env(data_dir), capture_output=True,
                               text=True, timeout=600)
            killed = r.returncode == -signal.SIGKILL
            assert killed or r.returncode == 0, r.stderr
            stats.kills_by_op += killed
            how = f"op {n} {when}"
        else:
            delay = rng.uniform(0.4, 1.0) * full_run
            p = subprocess.Popen(child_cmd(cmd_args), cwd=ROOT, env=child_env(data_dir), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
            try:
                _, err = p.communicate(timeout=delay)
                killed = False
                assert p.returncode == 0, err
            except subprocess.TimeoutExpired:
                p.kill()  # SIGKILL
                p.communicate()
                killed = True
            stats.kills_by_clock += killed
            how = f"clock {delay:.2f}s"
        stats.runs += 1
        before = state
        state, orphans = checker.check(data_dir, before, target)
        _note(stats, before, state, target, killed, orphans, how)
        stats.log[-1] += f" (whole run {full_run:.1f}s)" if stats.runs == 1 else ""
    stats.seconds = time.monotonic() - started
    return stats, state


class Server:
    """`sotay serve` in a child process (optionally with the kill hook), admin key configured."""

    def __init__(self, data_dir: Path, *, kill_at: int | None = None, when: str = "before", env: dict | None = None,
                 admin_key: str | None = ADMIN_KEY):
        self.key = admin_key
        keys = {"SOTAY_API_KEYS": f"{admin_key}:admin"} if admin_key else {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            child_cmd(args, kill_at, when), cwd=ROOT,
            env=child_env(data_dir, **{**keys, "SOTAY_RATE_LIMIT": "off", **(env or {})}),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self._wait_up()

    def _wait_up(self, timeout: float = 180) -> None:
        try:
            wait_healthy(self.url, self.proc, timeout, log_tail=lambda: self.proc.stderr.read()[-2000:], poll=0.2)
        except RuntimeError as e:
            if self.proc.poll() is None:
                self.stop()
            raise AssertionError(str(e)) from None

    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key} if self.key else {}

    def ask(self, question: str = QUESTION) -> dict:
        import httpx

        r = httpx.post(self.url + "/api/ask", json={"question": question}, headers=self.headers(), timeout=60)
        assert r.status_code == 200, r.text
        return r.json()

    def upload(self, path: Path):
        import httpx

        with open(path, "rb") as f:
            return httpx.post(self.url + "/api/documents", files={"file": (path.name, f.read())},
                              headers=self.headers(), timeout=120)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


def upload_kill_loop(data_dir: Path, folders: dict[str, Path], checker: Checker, state: dict[str, str], *,
                     kills: int, rng: random.Random, max_runs: int | None = None) -> tuple[LoopStats, dict[str, str]]:
    """Kill `sotay serve` ``kills`` times while documents are uploaded to it over HTTP; after each
    kill the service is started again and must answer before the next uploads."""
    import httpx

    stats = LoopStats()
    started = time.monotonic()
    labels = sorted(folders)
    max_runs = max_runs or kills * 3
    i = 0
    while stats.kills < kills and stats.runs < max_runs:
        label = labels[i % len(labels)]
        i += 1
        target = checker.target(label)
        by_op = stats.runs % 2 == 0
        changing = sum(1 for d, v in target.items() if state.get(d) != v)
        n, when = rng.randint(1, max(1, 6 * changing)), rng.choice(("before", "after"))
        server = Server(data_dir, kill_at=n if by_op else 10**9, when=when)
        killed = False
        try:
            check_answer_json(server.ask(), checker, state)  # the restarted service answers
            timer = None
            if not by_op:
                delay = rng.uniform(0.0, 0.25 * len(list(folders[label].iterdir())))
                timer = threading.Timer(delay, server.proc.send_signal, args=(signal.SIGKILL,))
                timer.start()
            for path in sorted(folders[label].iterdir()):
                try:
                    r = server.upload(path)
                except httpx.HTTPError:
                    break
                assert r.status_code == 200, r.text
            if timer is not None:
                timer.cancel()
            time.sleep(0.05)
            if server.proc.poll() is None:
                server.stop()
            else:
                server.proc.wait()
            killed = server.proc.returncode == -signal.SIGKILL
        finally:
            server.stop()
        if by_op:
            stats.kills_by_op += killed
        else:
            stats.kills_by_clock += killed
        stats.runs += 1
        before = state
        state, orphans = checker.check(data_dir, before, target, ask=False)
        _note(stats, before, state, target, killed, orphans, f"upload {'op %d %s' % (n, when) if by_op else 'clock'}")
    stats.seconds = time.monotonic() - started
    return stats, state


def check_answer_json(ans: dict, checker: Checker, state: dict[str, str]) -> None:
    assert ans["kind"] in ("obligations", "passages"), ans["kind"]
    assert ans["citations"]
    assert {c["doc_id"] for c in ans["citations"]} <= set(state)


def main(argv: list[str] | None = None) -> int:
    """``child N before|after -- CLI ARGS``: the real CLI with the kill hook installed."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] != ["child"] or len(argv) < 4 or argv[3] != "--":
        print("usage: python -m tests.support.crash child N before|after -- CLI ARGS", file=sys.stderr)
        return 2
    install_kill_hook(int(argv[1]), argv[2])
    from service.cli import main as cli_main

    return cli_main(argv[4:])


if __name__ == "__main__":
    sys.exit(main())
