"""The real `sotay` command in a subprocess, on a data directory of the test's own."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SOTAY_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    for k in ("SOTAY_EMBED_MODEL", "SOTAY_QDRANT_URL", "SOTAY_API_KEYS"):
        env.pop(k, None)
    env.update(extra)
    return env


def run_cli(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """`sotay ARGS` on ``data_dir``; its output captured as text."""
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=ROOT, env=child_env(data_dir, **env),
                          capture_output=True, text=True, timeout=300)
