"""Who a Party document binds, and who the user is.

Two data files (ingest/data):
- `actors.yaml`: the gazetteer — bodies, categories of people and posts, with the surface forms
  documents use and the broader categories that contain them ("chi bộ" ⊂ "cấp ủy" ⊂ "tổ chức đảng").
- `roles.yaml`: what users call themselves ("bí thư đảng ủy xã", "giáo viên") → the actors that bind
  them, plus flags that exceptions test ("đảng viên chi bộ thôn" holds no bí thư post).

Matching runs on an accent-folded, lower-cased copy of the text with one character per input
character, so match offsets are offsets into the input and "chi bo", "Chi Bộ", "chi bộ" are one.

Public API:
    find_actors(text) -> list[str]                 canonical actor names, in text order
    find_actor_spans(text) -> list[ActorMention]    the same with spans
    match_role(user_text) -> Role | None
    binds(obligation_actors, role) -> bool
    exemptions(exceptions, role) -> list[str]       exceptions that certainly apply to the role
    role_names() -> list[str]
    actor(name) -> Actor | None, ancestors(name) -> set[str], roles() -> list[Role]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

from .normalize import canonical, fold

__all__ = [
    "Actor", "ActorMention", "Role", "actor", "actors", "ancestors", "binds", "exemptions",
    "find_actor_spans", "find_actors", "match_role", "role", "role_names", "roles", "folded",
]


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # body | person | position
    aliases: tuple[str, ...]
    parents: tuple[str, ...]


@dataclass(frozen=True)
class ActorMention:
    start: int  # span in the text given to find_actor_spans
    end: int
    actors: tuple[str, ...]  # canonical names (a compound such as "chi, đảng bộ cơ sở" names two)
    kind: str  # kind of the first actor: body | person | position


@dataclass
class Role:
    name: str
    actors: set[str]  # the categories that bind the person, expanded up the hierarchy
    flags: dict[str, bool] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    declared: tuple[str, ...] = ()  # the actors as listed in roles.yaml, before expansion
    works_for: tuple[str, ...] = ()  # bodies a staff member acts for, as named (also in `actors`)
    note: str = ""


# ---------------------------------------------------------------------------------------------
# Folding: one character in, one out


def _simple(c: str) -> str:
    if c.isspace():
        return " "
    if unicodedata.category(c) == "Pd":  # any dash → "-"
        return "-"
    low = c.lower()
    return low if len(low) == 1 else c


def folded(text: str) -> str:
    """Accent-folded, lower case, dashes as "-", spaces as " "; same length as `text`."""
    out = "".join(map(_simple, fold(text)))
    assert len(out) == len(text)
    return out


def _tokens(text: str) -> list[str]:
    return re.findall(r"[0-9a-z&]+", folded(text))


def _pattern(alias: str) -> str:
    """Regex over folded text for one alias: any run of spaces, optional spaces around - , / &."""
    out = []
    for part in re.split(r"(\s*[-,/&]\s*|\s+)", folded(alias).strip()):
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif part.strip() in ("-", ",", "/", "&"):
            out.append(r"\s*" + re.escape(part.strip()) + r"\s*")
        else:
            out.append(re.escape(part))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Loading


def _read(name: str) -> dict:
    return yaml.safe_load(resources.files("ingest").joinpath(f"data/{name}").read_text("utf-8"))


@dataclass(frozen=True)
class _Gazetteer:
    actors: dict[str, Actor]
    regex: re.Pattern[str]
    surfaces: dict[str, tuple[str, ...]]  # folded surface (spaces collapsed) → actors
    written: dict[str, str]  # folded surface → the surface as written in the data file
    one_by_one: tuple[tuple[str, re.Pattern[str]], ...]  # (folded surface, pattern), longest first


def _squash(folded_text: str) -> str:
    return re.sub(r"\s*([-,/&])\s*", r"\1", re.sub(r"\s+", " ", folded_text)).strip()


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    data = _read("actors.yaml")
    table: dict[str, Actor] = {}
    for item in data["actors"]:
        name = item["name"]
        if name in table:
            raise ValueError(f"actors.yaml: {name!r} twice")
        aliases = tuple(dict.fromkeys([name, *item.get("aliases", [])]))
        table[name] = Actor(name, item.get("kind", "body"), aliases, tuple(item.get("parents", [])))
    for a in table.values():
        for p in a.parents:
            if p not in table:
                raise ValueError(f"actors.yaml: parent {p!r} of {a.name!r} is not an actor")
    surfaces: dict[str, tuple[str, ...]] = {}
    written: dict[str, str] = {}
    for a in table.values():
        for alias in a.aliases:
            key = _squash(folded(alias))
            if key in surfaces and surfaces[key] != (a.name,):
                raise ValueError(f"actors.yaml: alias {alias!r} names {surfaces[key]} and {a.name!r}")
            surfaces[key] = (a.name,)
            written.setdefault(key, alias)
    for comp in data.get("compounds", []):
        names = tuple(comp["actors"])
        for n in names:
            if n not in table:
                raise ValueError(f"actors.yaml: compound actor {n!r} is not an actor")
        key = _squash(folded(comp["surface"]))
        surfaces[key] = names
        written[key] = comp["surface"]
    # Longest surface first: at one position the regex takes the first alternative that matches.
    ordered = sorted(surfaces, key=len, reverse=True)
    alts = "|".join(f"(?:{_pattern(s)})" for s in ordered)
    regex = re.compile(rf"(?<![0-9a-z])(?:{alts})(?![0-9a-z])")
    one_by_one = tuple((s, re.compile(rf"(?:{_pattern(s)})(?![0-9a-z])")) for s in ordered)
    return _Gazetteer(table, regex, surfaces, written, one_by_one)


_WORDS = re.compile(r"[^\W_]+")


def _compatible(original: str, alias: str) -> bool:
    """Folding makes "đồng chí ủy viên" contain "chi uy" (chi ủy). A word written with diacritics
    must carry the alias's diacritics; a word typed without any passes."""
    ow = _WORDS.findall(canonical(original).lower())
    aw = _WORDS.findall(canonical(alias).lower())
    if len(ow) != len(aw):
        return True  # spacing differs ("Mác-Lênin"); the folded match already agreed
    return all(o == a or fold(o) == o for o, a in zip(ow, aw))


def actors() -> dict[str, Actor]:
    return _gazetteer().actors


def actor(name: str) -> Actor | None:
    return _gazetteer().actors.get(name)


@lru_cache(maxsize=512)
def ancestors(name: str) -> frozenset[str]:
    """The actor and every broader category that contains it."""
    table = _gazetteer().actors
    seen: set[str] = set()
    todo = [name]
    while todo:
        n = todo.pop()
        if n in seen or n not in table:
            continue
        seen.add(n)
        todo.extend(table[n].parents)
    return frozenset(seen)


# ---------------------------------------------------------------------------------------------
# Finding actors in text


def find_actor_spans(text: str) -> list[ActorMention]:
    """Actor mentions, leftmost and longest first, not overlapping. Case and diacritics ignored
    (but a word written with other diacritics than the alias's is not that alias)."""
    g = _gazetteer()
    f = folded(text)
    out = []
    pos = 0
    while True:
        m = g.regex.search(f, pos)
        if m is None:
            break
        key = _squash(m.group(0))
        start, end = m.start(), m.end()
        if not _compatible(text[start:end], g.written.get(key, key)):
            # try the shorter surfaces at the same place, then move on by one character
            key = None
            for surf, rx in g.one_by_one:
                mm = rx.match(f, start)
                if mm and mm.end() < end and _compatible(text[start:mm.end()], g.written[surf]):
                    key, end = surf, mm.end()
                    break
            if key is None:
                pos = start + 1
                continue
        names = g.surfaces.get(key)
        if names:
            out.append(ActorMention(start, end, names, g.actors[names[0]].kind))
        pos = end
    return out


def find_actors(text: str) -> list[str]:
    """Canonical names of the actors mentioned in `text`, in text order, each once."""
    names: list[str] = []
    for m in find_actor_spans(text):
        names.extend(m.actors)
    return list(dict.fromkeys(names))


def canonical_actors(names: Iterable[str]) -> set[str]:
    """Canonical names for a mix of canonical names and surface forms."""
    table = _gazetteer().actors
    out: set[str] = set()
    for n in names:
        if n in table:
            out.add(n)
        else:
            out.update(find_actors(n))
    return out


# ---------------------------------------------------------------------------------------------
# Roles


@dataclass(frozen=True)
class _Flag:
    name: str
    means: str
    patterns: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _roles() -> tuple[list[Role], dict[str, _Flag]]:
    data = _read("roles.yaml")
    table = _gazetteer().actors
    flags = {
        name: _Flag(name, spec.get("means", ""),
                    tuple(re.compile(rf"(?<![0-9a-z]){_pattern(p)}(?![0-9a-z])") for p in spec.get("phrases", [])))
        for name, spec in (data.get("flags") or {}).items()
    }
    out: list[Role] = []
    seen: set[str] = set()
    for item in data["roles"]:
        name = item["name"]
        if name in seen:
            raise ValueError(f"roles.yaml: {name!r} twice")
        seen.add(name)
        declared = tuple(item.get("actors", []))
        expanded: set[str] = set()
        for a in declared:
            if a not in table:
                raise ValueError(f"roles.yaml: actor {a!r} of role {name!r} is not in actors.yaml")
            expanded |= ancestors(a)
        works_for = tuple(item.get("works_for", []))
        for a in works_for:
            if a not in table:
                raise ValueError(f"roles.yaml: body {a!r} of role {name!r} is not in actors.yaml")
        # Staff act for their body's own duties only: not expanded up the hierarchy.
        expanded |= set(works_for)
        role_flags = dict(item.get("flags") or {})
        for f in role_flags:
            if f not in flags:
                raise ValueError(f"roles.yaml: flag {f!r} of role {name!r} is not declared")
        aliases = tuple(dict.fromkeys([name, *item.get("aliases", [])]))
        out.append(Role(name, expanded, role_flags, aliases, declared, works_for, str(item.get("note", "")).strip()))
    return out, flags


def roles() -> list[Role]:
    return list(_roles()[0])


def role_names() -> list[str]:
    """Role names for a UI picker, in the order of roles.yaml."""
    return [r.name for r in _roles()[0]]


def role(name: str) -> Role | None:
    """A role by its exact name (or, failing that, by match_role)."""
    for r in _roles()[0]:
        if r.name == name:
            return r
    return match_role(name)


@lru_cache(maxsize=1)
def _alias_index() -> list[tuple[Role, str, tuple[str, ...], int]]:
    index = []
    for order, r in enumerate(_roles()[0]):
        for alias in r.aliases:
            index.append((r, _squash(folded(alias)), tuple(_tokens(alias)), order))
    return index


def match_role(user_text: str) -> Role | None:
    """The role a user describes: "Tôi là bí thư đảng ủy xã", "toi la bi thu chi bo", "chi bộ, bí thư".

    Every syllable of a role alias must occur in the text (order and extra words do not matter);
    the alias with the most syllables wins, then one written as a contiguous phrase, then the
    earlier role. Without a full match, an alias of ≥ 4 syllables missing one still counts
    ("bi thu dang uy" → bí thư đảng ủy xã), below any full match.
    """
    if not user_text or not user_text.strip():
        return None
    words = _tokens(user_text)
    have = set(words)
    phrase = " ".join(words)
    best: tuple | None = None
    best_role: Role | None = None
    for r, alias_key, toks, order in _alias_index():
        if not toks:
            continue
        hit = sum(1 for t in set(toks) if t in have)
        need = len(set(toks))
        full = hit == need
        if not full and not (need >= 4 and hit == need - 1):
            continue
        contiguous = f" {' '.join(toks)} " in f" {phrase} "
        score = (full, hit, contiguous, -order)
        if best is None or score > best:
            best, best_role = score, r
    return best_role


def binds(obligation_actors: Iterable[str], role: Role | None) -> bool:
    """True when one of the obligation's actors is a category the role belongs to.

    Direction matters: an obligation of "các cấp ủy" binds a bí thư chi bộ (chi bộ ⊂ cấp ủy), an
    obligation of "Sở Giáo dục và Đào tạo" does not bind a bí thư đảng ủy xã.
    """
    if role is None:
        return False
    return bool(canonical_actors(obligation_actors) & role.actors)


_NEGATION = re.compile(r"(?:^|[^0-9a-z])(?:khong|chua)(?:\s+\S+){0,2}\s+$")


def _conditions(clause_folded: str) -> list[tuple[str, bool]]:
    """(flag, required value) for each flag an exception clause names; "không giữ chức vụ bí thư"
    requires bi_thu_chi_bo = False."""
    found = []
    for f in _roles()[1].values():
        first = None
        for rx in f.patterns:
            m = rx.search(clause_folded)
            if m and (first is None or m.start() < first.start()):
                first = m
        if first is not None:
            negated = bool(_NEGATION.search(clause_folded[: first.start()][-40:]))
            found.append((f.name, not negated))
    return found


def exemptions(exceptions: Iterable[str], role: Role | None) -> list[str]:
    """The exceptions (footnotes "Trừ …", inline "(trừ …)") that certainly apply to `role`.

    An exception is split into clauses at ";"; a clause applies when it names at least one flag
    and the role is known to satisfy every flag it names. Unknown flags never apply: the caller
    still shows every exception of the obligation, this only says which are the user's own.
    """
    if role is None:
        return []
    out = []
    for exc in exceptions:
        for clause in re.split(r";", exc):
            conds = _conditions(folded(clause))
            if conds and all(role.flags.get(f) is want for f, want in conds):
                out.append(exc)
                break
    return out
