"""Who a Party document binds, and who the user is.

Two data files (ingest/data):
- `actors.yaml`: the gazetteer — bodies, categories of people and posts, with the surface forms
  documents use, the broader categories that contain them ("chi bộ" ⊂ "cấp ủy" ⊂ "tổ chức đảng"),
  their level (tỉnh, huyện, xã, thôn) and, for a post, the body it heads ("hiệu trưởng" → trường học).
- `roles.yaml`: what users call themselves ("bí thư đảng ủy xã", "giáo viên") → the actors that bind
  them, plus flags that exceptions test ("đảng viên chi bộ thôn" holds no bí thư post).

Text → actors happens in two steps, both over an accent-folded, lower-cased copy of the text with one
character per input character (so offsets are offsets into the input and "chi bo", "Chi Bộ", "chi bộ"
are one):
1. mentions: gazetteer surfaces, plus the terms a document defines ("“Chủ thể kiểm tra” là ủy ban
   kiểm tra các cấp và cấp ủy, tổ chức đảng có thẩm quyền …");
2. phrases: a mention with the body it belongs to ("Ban Tuyên giáo Đảng ủy Khối", "chủ nhiệm ủy ban
   kiểm tra huyện ủy"), its level words ("cấp xã", "từ cấp huyện trở lên", "tỉnh"), lists ("A, B và
   C"), a level said once for a whole list ("bí thư đảng ủy, …, chủ tịch UBND cấp xã"), a post over a
   list of bodies ("đứng đầu các đơn vị trường học, trạm y tế, công an … cấp xã"), and what brackets
   add: "(bao gồm: …)" enumerates, "(trừ chi bộ thôn, bản, tổ dân phố)" excludes, "(từ cấp huyện trở
   lên)" qualifies. Each actor of a phrase becomes an `ActorRef`.

A role is a set of capacities (ActorRefs: "bí thư chi bộ thôn" heads a chi bộ thôn, acts for it, is a
đảng viên); a duty binds a role when one of its actors is a category one capacity belongs to, of the
same body, at a compatible level, and not carved out (`binds`). Roles come from roles.yaml and from
any actor a stored document names (`match_role(text, known_actors=…)`, `role_list(known_actors)`).

Public API:
    find_actors(text) -> list[str]                   canonical actor names, in text order
    find_actor_spans(text, terms=None) -> list[ActorMention]
    defined_terms(text) -> Terms                     actors a document defines ("“đối tượng kiểm tra” là …")
    issuer_posts(issuer, terms=None) -> Terms        + the issuing body's posts named alone ("Chủ nhiệm")
    actor_phrase(text, pos, terms=None) -> Phrase    the actor phrase starting at `pos`
    phrase_refs(text, terms=None) -> list[ActorRef]  every actor phrase of a text
    match_role(user_text, known_actors=()) -> Role | None
    role_list(known_actors=()) -> list[str]          names a role picker offers
    binds(obligation_actors, role, refs=None) -> bool
    exemptions(exceptions, role) -> list[str]        exceptions that certainly apply to the role
    role_names() -> list[str], role(name), roles(), actor(name), actors(), ancestors(name), levels_of(name)
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .models import ActorRef
from .normalize import canonical, fold

__all__ = [
    "Actor", "ActorMention", "Phrase", "Role", "Terms", "LEVELS", "actor", "actor_phrase", "actors",
    "ancestors", "binds", "defined_terms", "exemptions", "issuer_posts", "find_actor_spans", "find_actors", "folded",
    "levels_of", "match_role", "own_post", "phrase_refs", "role", "role_list", "role_names", "roles",
]

# The levels of the political system, low to high. "xã" is also the grassroots tier (cơ sở).
LEVELS = ("thôn", "xã", "huyện", "tỉnh", "trung ương")


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # body | person | position
    aliases: tuple[str, ...]
    parents: tuple[str, ...]
    levels: tuple[str, ...] = ()
    of: str | None = None  # for a post: the body its holder heads or belongs to


@dataclass(frozen=True)
class ActorMention:
    start: int  # span in the text given to find_actor_spans
    end: int
    actors: tuple[str, ...]  # canonical names (a compound such as "chi, đảng bộ cơ sở" names two)
    kind: str  # kind of the first actor: body | person | position
    term: str | None = None  # a term the document defines ("Chủ thể kiểm tra"), as written there
    proper: str | None = None  # the proper name after a proper alias ("Bình Sơn" in "Báo Bình Sơn")
    unit: bool = False  # matched by a unit alias: it needs the body it belongs to after it


@dataclass
class Role:
    name: str
    actors: set[str]  # the categories that bind the person, expanded up the hierarchy
    flags: dict[str, bool] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    declared: tuple[str, ...] = ()  # the actors as listed in roles.yaml, before expansion
    works_for: tuple[str, ...] = ()  # bodies a staff member acts for, as named (also in `actors`)
    note: str = ""
    # What the person is, as actor references: the post and the body it heads, the body they act for,
    # the categories of people they belong to. `binds` compares a duty's ActorRefs with these.
    capacities: tuple[ActorRef, ...] = ()
    levels: tuple[str, ...] = ()  # the level the person works at, when known


# ---------------------------------------------------------------------------------------------
# Folding: one character in, one out


_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"


def _simple(c: str) -> str:
    if c.isspace():
        return " "
    if unicodedata.category(c) == "Pd":  # any dash → "-"
        return "-"
    low = c.lower()
    return low if len(low) == 1 else c


_SPACES_DASHES = {cp: (" " if chr(cp).isspace() else "-") for cp in range(0x2100)
                  if chr(cp).isspace() or unicodedata.category(chr(cp)) == "Pd"}
_SPACES_DASHES.update({0x3000: " ", 0x2E3A: "-", 0x2E3B: "-", 0x301C: "-", 0xFE58: "-", 0xFE63: "-", 0xFF0D: "-"})


def folded(text: str) -> str:
    """Accent-folded, lower case, dashes as "-", spaces as " "; same length as `text`."""
    out = fold(text).lower()
    if len(out) != len(text):  # a character whose lower case is longer ("İ"): one at a time
        out = "".join(map(_simple, fold(text)))
    else:
        out = out.translate(_SPACES_DASHES)
    assert len(out) == len(text)
    return out


# Footnote markers: superscripts, "[^1]", and "(1)" glued to a word ("Hội đồng(1) nhân dân").
_MARKER = re.compile(rf"[{_SUPERSCRIPTS}]+|\[\^?\d{{1,3}}\]|(?<=[^\W\d_])\(\d{{1,2}}\)")


def _scan_text(text: str) -> str:
    """`folded`, with footnote markers ("Người đứng đầu²", "tài sản công[^1]") blanked: a marker sits
    inside a noun phrase and must not end it; and line breaks as "¶": a phrase never runs on into the
    next paragraph (repaired text breaks lines only between paragraphs)."""
    f = _MARKER.sub(lambda m: " " * len(m.group(0)), folded(text))
    if "\n" in text:
        f = "".join("¶" if c == "\n" else x for c, x in zip(text, f))
    return f


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


@lru_cache(maxsize=16384)  # pure; a document names the same bodies again and again
def _squash(folded_text: str) -> str:
    return re.sub(r"\s*([-,/&])\s*", r"\1", re.sub(r"\s+", " ", folded_text)).strip()


def _key(text: str) -> str:
    return _squash(folded(canonical(text)))


_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=16384)  # pure, and the same few names recur in every sentence of a document
def _compatible(original: str, alias: str, accented: bool = False) -> bool:
    """Folding makes "đồng chí ủy viên" contain "chi uy" (chi ủy). A word written with diacritics
    must carry the alias's diacritics; a word typed without any passes — unless the text is written
    with diacritics (`accented`: a document), where "quan" is "quan", not "quận"."""
    ow = _WORDS.findall(canonical(_MARKER.sub(" ", original)).lower())
    aw = _WORDS.findall(canonical(alias).lower())
    if len(ow) != len(aw):
        return True  # spacing differs ("Mác-Lênin"); the folded match already agreed
    return all(o == a or (not accented and fold(o) == o) for o, a in zip(ow, aw))


def _accented(text: str) -> bool:
    return fold(text) != text


# ---------------------------------------------------------------------------------------------
# Loading


# libyaml's loader when PyYAML has it (the same data, ~10× faster: 0.25 → 0.03 s for the two files, a
# first question's share), else PyYAML's own.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> dict:
    return yaml.load(resources.files("ingest").joinpath(f"data/{name}").read_text("utf-8"), Loader=_YAML_LOADER)


@dataclass(frozen=True)
class _Surface:
    names: tuple[str, ...]
    written: str
    mode: str = "plain"  # plain | unit (needs its body after it) | proper (needs a proper name) | cased


@dataclass(frozen=True)
class _Gazetteer:
    actors: dict[str, Actor]
    regex: re.Pattern[str]
    surfaces: dict[str, tuple[_Surface, ...]]  # folded surface (spaces collapsed) → what it names (folding
    # merges "trường" and "trưởng": the diacritics as written choose)
    one_by_one: tuple[tuple[str, re.Pattern[str]], ...]  # (folded surface, pattern), longest first
    # `one_by_one` less the surfaces that cannot match where a given word starts (another first word):
    # by that word, and for a place that is no word. Trying each of hundreds of patterns at every
    # actor mention was a tenth of the duty extraction's time.
    by_first: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = field(default_factory=dict)
    odd: tuple[tuple[str, re.Pattern[str]], ...] = ()  # surfaces whose first word is not letters and digits

    def one_by_one_at(self, f: str, p: int) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """The (surface, pattern) pairs of `one_by_one` that may match `f` at `p`, in the same order."""
        w = _RUN.match(f, p)
        return self.by_first.get(w.group(), self.odd) if w else self.odd


_RUN = re.compile(r"[0-9a-z]+")


def _first_word(surface: str) -> str | None:
    """The word a match of `surface`'s pattern starts with (`_pattern`: the first part is followed by
    spaces, a separator or the end, never by another letter or digit); None when that part is not
    letters and digits only."""
    first = next((x for x in re.split(r"(\s*[-,/&]\s*|\s+)", surface.strip()) if x), "")
    return first if _RUN.fullmatch(first) else None


def _by_first(one_by_one: tuple[tuple[str, re.Pattern[str]], ...]
              ) -> tuple[dict[str, tuple[tuple[str, re.Pattern[str]], ...]], tuple[tuple[str, re.Pattern[str]], ...]]:
    firsts = [_first_word(s) for s, _ in one_by_one]
    words = {w for w in firsts if w is not None}
    by_first = {w: tuple(x for x, fw in zip(one_by_one, firsts) if fw in (w, None)) for w in words}
    return by_first, tuple(x for x, fw in zip(one_by_one, firsts) if fw is None)


def _level_list(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    for v in items:
        if v not in LEVELS:
            raise ValueError(f"actors.yaml: unknown level {v!r}")
    return tuple(items)


_GAZETTEER_LOCK = threading.Lock()


def _gazetteer() -> _Gazetteer:
    """The gazetteer, built once: a second thread asking while it is built (a server's first question
    beside its warm-up) waits for it instead of building its own."""
    built = _built_gazetteer.cache_info().currsize
    if built:
        return _built_gazetteer()
    with _GAZETTEER_LOCK:
        return _built_gazetteer()


@lru_cache(maxsize=1)
def _built_gazetteer() -> _Gazetteer:
    data = _read("actors.yaml")
    table: dict[str, Actor] = {}
    extra: dict[str, list[tuple[str, str]]] = {}  # actor → (alias, mode) beyond the plain aliases
    for item in data["actors"]:
        name = item["name"]
        if name in table:
            raise ValueError(f"actors.yaml: {name!r} twice")
        aliases = tuple(dict.fromkeys([name, *item.get("aliases", [])])) if item.get("aliases") is not None else (name,)
        if item.get("aliases") == [] and item.get("unit_aliases"):
            aliases = ()
        table[name] = Actor(name, item.get("kind", "body"), aliases, tuple(item.get("parents", [])),
                            _level_list(item.get("level")), item.get("of"))
        extra[name] = [(a, "unit") for a in item.get("unit_aliases", [])] + [
            (a, "proper") for a in item.get("proper_aliases", [])]
    # Branches of state administration: a Sở at tỉnh, a Phòng at huyện, written with a capital.
    keys = {_key(a) for a in table}  # kept up to date below, not rebuilt per sector (was 0.3 s of a first question)
    for sector in data.get("sectors", []):
        for head, parent, level in (("Sở", "sở, ban, ngành", "tỉnh"), ("Phòng", "phòng, ban", "huyện")):
            name = f"{head} {sector[:1].upper()}{sector[1:]}"
            if name in table or _key(name) in keys:
                continue
            table[name] = Actor(name, "body", (), (parent,), (level,))
            keys.add(_key(name))
            extra[name] = [(name, "cased")]
    for a in table.values():
        for p in a.parents:
            if p not in table:
                raise ValueError(f"actors.yaml: parent {p!r} of {a.name!r} is not an actor")
        if a.of and a.of not in table:
            raise ValueError(f"actors.yaml: body {a.of!r} of {a.name!r} is not an actor")
    surfaces: dict[str, tuple[_Surface, ...]] = {}
    _order = {"plain": 0, "cased": 1, "proper": 2, "unit": 3}

    def add(alias: str, names: tuple[str, ...], mode: str) -> None:
        key = _squash(folded(alias))
        olds = list(surfaces.get(key, ()))
        for old in olds:
            if _key(old.written) == _key(alias) and canonical(old.written).lower() == canonical(alias).lower():
                if old.names != names and old.mode == mode:
                    raise ValueError(f"actors.yaml: alias {alias!r} names {old.names} and {names}")
                if old.names == names and _order[old.mode] <= _order[mode]:
                    return
        olds.append(_Surface(names, alias, mode))
        surfaces[key] = tuple(sorted(olds, key=lambda x: _order[x.mode]))

    for a in table.values():
        for alias in a.aliases:
            add(alias, (a.name,), "plain")
    for name, forms in extra.items():
        for alias, mode in forms:
            add(alias, (name,), mode)
    for comp in data.get("compounds", []):
        names = tuple(comp["actors"])
        for n in names:
            if n not in table:
                raise ValueError(f"actors.yaml: compound actor {n!r} is not an actor")
        add(comp["surface"], names, "plain")
    # Longest surface first: at one position the regex takes the first alternative that matches.
    ordered = sorted(surfaces, key=len, reverse=True)
    alts = "|".join(f"(?:{_pattern(s)})" for s in ordered)
    regex = re.compile(rf"(?<![0-9a-z])(?:{alts})(?![0-9a-z])")
    one_by_one = tuple((s, re.compile(rf"(?:{_pattern(s)})(?![0-9a-z])")) for s in ordered)
    return _Gazetteer(table, regex, surfaces, one_by_one, *_by_first(one_by_one))


def actors() -> dict[str, Actor]:
    return _gazetteer().actors


def actor(name: str) -> Actor | None:
    return _gazetteer().actors.get(name)


@lru_cache(maxsize=2048)
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


@lru_cache(maxsize=2048)
def levels_of(name: str) -> tuple[str, ...]:
    """The level an actor's name implies: its own, else the nearest ancestor's ("Tỉnh đoàn" → tỉnh)."""
    table = _gazetteer().actors
    todo, seen = [name], set()
    while todo:
        n = todo.pop(0)
        if n in seen or n not in table:
            continue
        seen.add(n)
        if table[n].levels:
            return table[n].levels
        todo.extend(table[n].parents)
    return ()


# ---------------------------------------------------------------------------------------------
# Terms a document defines


@dataclass(frozen=True)
class Terms:
    """Actors a document defines: term (folded key) → (term as written, gazetteer categories, kind).
    `cased`: keys that name their actor only when written with a capital ("Chủ nhiệm" for the issuing
    Ủy ban Kiểm tra's chair; "chủ nhiệm" in lower case is any chair)."""
    entries: tuple[tuple[str, str, tuple[str, ...], str], ...] = ()
    cased: frozenset[str] = frozenset()
    # key → (owner, levels) a term's actor belongs to when the document says so once for all its uses
    # (its issuer: the "Chủ nhiệm" of a programme of the Ủy ban Kiểm tra Huyện ủy is of the Huyện ủy)
    owners: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def owner(self, key: str) -> tuple[str, tuple[str, ...]] | None:
        for k, owner, levels in self.owners:
            if k == key:
                return owner, levels
        return None

    @property
    def regex(self) -> re.Pattern[str] | None:
        return _terms_regex(self.entries)

    def get(self, key: str) -> tuple[str, tuple[str, ...], str] | None:
        for k, written, cats, kind in self.entries:
            if k == key:
                return written, cats, kind
        return None


@lru_cache(maxsize=64)
def _terms_regex(entries: tuple) -> re.Pattern[str] | None:
    if not entries:
        return None
    alts = "|".join(f"(?:{_pattern(written)})" for _, written, _, _ in sorted(entries, key=lambda e: -len(e[0])))
    return re.compile(rf"(?<![0-9a-z])(?:{alts})(?![0-9a-z])")


# "“Chủ thể kiểm tra” là …", "“đối tượng kiểm tra” là …", "Ban chỉ đạo (sau đây gọi là …)".
_DEFINITION = re.compile(r"[“\"]([^”\"\n]{2,60})[”\"]\s+(?:là|được\s+hiểu\s+là|gồm|bao\s+gồm)\s+", re.I)


def defined_terms(text: str) -> Terms:
    """The actors a document defines: a quoted term whose definition opens with actors ("“đối
    tượng kiểm tra” là tổ chức đảng, đảng viên nêu tại …") names those actors wherever it is used.
    A definition that opens with anything else ("“Dự án chậm tiến độ” là dự án …") defines no actor."""
    out: dict[str, tuple[str, str, tuple[str, ...], str]] = {}
    for m in _DEFINITION.finditer(text):
        term = m.group(1).strip()
        k = _key(term)
        if not k or k in out or k in _gazetteer().surfaces:
            continue
        ph = actor_phrase(text, m.end())
        refs = ph.refs if ph else []
        if not refs:
            continue
        cats = tuple(dict.fromkeys(r.category for r in refs))
        kind = _gazetteer().actors[cats[0]].kind
        out[k] = (k, term, cats, kind)
    return Terms(tuple(out.values()))


def issuer_posts(issuer: str, terms: Terms | None = None) -> Terms:
    """`terms` with the posts of the body that issues a document, named without that body: in a
    programme of the Ủy ban Kiểm tra Huyện ủy, "Phó Chủ nhiệm Thường trực giúp Chủ nhiệm …" names
    its own deputy chair and chair (a post the gazetteer knows only before its body — a unit alias —
    stands alone in its own body's documents). `issuer`: the document's issuer lines as written; the
    issuing body is the last one they name ("HUYỆN ỦY …" above "ỦY BAN KIỂM TRA" is the superior).
    Written with a capital only: "chủ nhiệm" in lower case is anyone's chair."""
    terms = terms or Terms()
    mentions = [m for m in find_actor_spans(issuer) if m.kind == "body"]
    if not mentions:
        return terms
    g = _gazetteer()
    bodies = set(mentions[-1].actors)
    # whose body it is: the superior named above it ("HUYỆN ỦY …" over "ỦY BAN KIỂM TRA"), as a post
    # written with its body's full name is of that body's owner ("Chủ nhiệm Ủy ban Kiểm tra Huyện ủy")
    above = mentions[-2].actors[0] if len(mentions) > 1 else None
    levels = tuple(levels_of(above)) if above else ()
    have = {e[0] for e in terms.entries}
    added: list[tuple[str, str, tuple[str, ...], str]] = []
    for surfaces in g.surfaces.values():
        for surf in surfaces:
            if surf.mode != "unit":
                continue
            post = g.actors[surf.names[0]]
            k = _key(surf.written)
            if post.kind == "position" and post.of in bodies and k not in have:
                have.add(k)
                added.append((k, surf.written, tuple(surf.names), "position"))
    if not added:
        return terms
    owners = tuple((e[0], above, levels) for e in added) if above else ()
    return Terms(terms.entries + tuple(added), terms.cased | {e[0] for e in added}, terms.owners + owners)


# ---------------------------------------------------------------------------------------------
# Mentions


_PROPER_WORD = re.compile(r"[ \t]+([^\W\d_][^\s,.;:()\[\]“”\"]*)")  # on the same line
# Capitalised words that follow a name without being part of it.
_NOT_PROPER = {"đảng", "nhân", "chỉ", "quy", "kế", "nghị", "hướng", "kết", "thông", "quyết", "tỉnh", "huyện",
               "xã", "trung", "về", "và", "theo", "tại", "trong", "các"}


_NOT_PROPER_F = frozenset(fold(w) for w in _NOT_PROPER)


def _proper_end(text: str, pos: int) -> int:
    """End of the proper name starting after `pos` ("Báo| Bình Sơn"), or `pos` when none follows."""
    end = pos
    while True:
        m = _PROPER_WORD.match(text, end)
        if not m or not m.group(1)[:1].isupper() or fold(m.group(1)).lower() in _NOT_PROPER_F:
            return end
        end = m.end()


def _raw_mentions(text: str, f: str, terms: Terms | None) -> list[ActorMention]:
    g = _gazetteer()
    acc = _accented(text)
    out: list[ActorMention] = []
    pos = 0
    while True:
        m = g.regex.search(f, pos)
        if m is None:
            break
        key = _squash(m.group(0))
        start, end = m.start(), m.end()
        cands = [(x, end) for x in g.surfaces.get(key, ()) if _compatible(text[start:end], x.written, acc)]
        if not cands:
            # the shorter surfaces at the same place
            for k, rx in g.one_by_one_at(f, start):
                mm = rx.match(f, start)
                if mm and mm.end() < end:
                    cands = [(x, mm.end()) for x in g.surfaces[k] if _compatible(text[start:mm.end()], x.written, acc)]
                    if cands:
                        break
        found = None
        for surf, e in cands:
            proper = None
            if surf.mode == "proper":
                pend = _proper_end(text, e)
                if pend == e:
                    continue
                proper, e = text[e:pend].strip(), pend
            if surf.mode == "cased" and not text[start].isupper():
                continue
            found = ActorMention(start, e, surf.names, g.actors[surf.names[0]].kind, proper=proper,
                                 unit=surf.mode == "unit")
            break
        if found is None:
            pos = start + 1  # then move on by one character
            continue
        if found.kind == "position":
            found = _post_before_body(text, f, acc, found) or found
        out.append(found)
        pos = found.end
    if terms is not None and terms.regex is not None:
        found = []
        for m in terms.regex.finditer(f):
            k = _squash(m.group(0))
            hit = terms.get(k)
            if hit and _compatible(text[m.start():m.end()], hit[0], acc) \
                    and (k not in terms.cased or text[m.start()].isupper()):
                found.append(ActorMention(m.start(), m.end(), hit[1], hit[2], term=hit[0]))
        if found:
            # leftmost, longest; at the same span the document's own term before a unit alias (which
            # needs its body after it: the issuer's post named alone)
            merged = sorted(out + found, key=lambda x: (x.start, -(x.end - x.start), x.term is None))
            out, last = [], -1
            for x in merged:
                if x.start >= last:
                    out.append(x)
                    last = x.end
    return out


def _body_at(text: str, f: str, acc: bool, p: int) -> int | None:
    """End of a body's name starting at `p`, or None."""
    g = _gazetteer()
    m = g.regex.match(f, p)
    if m is None:
        return None
    for surf in g.surfaces.get(_squash(m.group(0)), ()):
        if not _compatible(text[p:m.end()], surf.written, acc) or g.actors[surf.names[0]].kind != "body":
            continue
        if surf.mode == "cased" and not text[p].isupper():
            continue
        return m.end()
    return None


def _post_before_body(text: str, f: str, acc: bool, post: ActorMention) -> ActorMention | None:
    """A post whose last words begin a longer body's name is the shorter post of that body: in
    "Trưởng Ban Tuyên giáo Huyện ủy" the words "Ban Tuyên giáo Huyện ủy" are the body ("trưởng" of it),
    not "trưởng ban" followed by "Tuyên giáo"; likewise "Giám đốc| Sở Tài chính", "Bí thư| Đảng ủy
    Khối". None when no body overlaps it or no shorter post stands before that body."""
    g = _gazetteer()
    for w in re.finditer(r"(?<=\s)[0-9a-z]", f[post.start:post.end]):
        p = post.start + w.start()
        end = _body_at(text, f, acc, p)
        if end is None or end <= post.end:
            continue
        for k, rx in g.one_by_one_at(f, post.start):
            mm = rx.match(f, post.start)
            if not mm or mm.end() > p or not f[mm.end():p].isspace():
                continue
            for surf in g.surfaces[k]:
                if surf.mode in ("plain", "unit") and g.actors[surf.names[0]].kind == "position" \
                        and _compatible(text[post.start:mm.end()], surf.written, acc):
                    return ActorMention(post.start, mm.end(), surf.names, "position", unit=surf.mode == "unit")
        return None
    return None


_OWNER_GAP = re.compile(r"\s+(?:(?:cua|thuoc|tai)\s+)?(?:(?:cac|moi)\s+)?")


def find_actor_spans(text: str, terms: Terms | None = None, *, lone_posts: bool = False) -> list[ActorMention]:
    """Actor mentions, leftmost and longest first, not overlapping. Case and diacritics ignored
    (but a word written with other diacritics than the alias's is not that alias). A unit alias
    ("văn phòng", "đứng đầu") counts only before the body it belongs to — or, with `lone_posts`, a
    post's ("Phó Chủ nhiệm Thường trực" in a question: the documents name it so in their body's own
    texts)."""
    f = _scan_text(text)
    raw = _raw_mentions(text, f, terms)
    keep = [True] * len(raw)
    starts = {m.start: i for i, m in enumerate(raw)}
    for i in range(len(raw) - 1, -1, -1):
        m = raw[i]
        if not m.unit or (lone_posts and m.kind == "position"):
            continue
        gap = _OWNER_GAP.match(f, m.end)
        j = starts.get(gap.end()) if gap else None
        keep[i] = j is not None and keep[j] and raw[j].kind == "body"
    return [m for m, k in zip(raw, keep) if k]


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
# Levels said in words: "cấp xã", "từ cấp huyện trở lên", "tỉnh", "xã, phường, thị trấn"

_LEVEL_WORDS = {
    "trung ương": "trung ương", "thành phố trực thuộc trung ương": "tỉnh", "tỉnh": "tỉnh",
    "huyện": "huyện", "quận": "huyện", "thị xã": "huyện", "thành phố": "huyện",
    "xã": "xã", "phường": "xã", "thị trấn": "xã", "cơ sở": "xã",
    "thôn": "thôn", "bản": "thôn", "tổ dân phố": "thôn", "khu phố": "thôn", "ấp": "thôn", "làng": "thôn",
    "xóm": "thôn", "buôn": "thôn", "khối phố": "thôn", "thôn, bản": "thôn",
}
_LW = "|".join(_pattern(w) for w in sorted(_LEVEL_WORDS, key=len, reverse=True))
_LEVEL_FOLD = {_squash(folded(w)): lv for w, lv in _LEVEL_WORDS.items()}
# Words a level phrase may contain (diacritics checked: "bán" is not "bản").
_MOD_VOCAB = {canonical(w).lower() for phrase in list(_LEVEL_WORDS) + [
    "cấp các mọi cùng trên dưới trực tiếp từ trở lên xuống đến tới và thuộc có thẩm quyền liên quan "
    "trên địa bàn trong toàn ở địa phương việt nam tương đương nơi công tác sinh hoạt các cấp ủy"]
    for w in _WORDS.findall(phrase)}

_L1 = rf"(?:cap\s+)?(?P<a>{_LW})"
_L2 = rf"(?:cap\s+)?(?P<b>{_LW})"
_LEVEL_RANGE = re.compile(
    rf"tu\s+{_L1}\s+(?:(?P<up>tro\s+len)|(?P<down>tro\s+xuong)|(?:den|toi)\s+{_L2})(?![0-9a-z])")
_LEVEL_CAP = re.compile(rf"cap\s+(?P<a>{_LW})(?![0-9a-z])")
_LEVEL_BARE = re.compile(rf"(?:(?:cac|moi)\s+)?(?P<a>{_LW})(?![0-9a-z])")  # "Đảng ủy các xã, thị trấn"
_LEVEL_ANY = re.compile(r"(?:o\s+)?(?:(?:cac|moi|cung)\s+cap|cap\s+tren(?:\s+truc\s+tiep)?|cap\s+duoi)(?![0-9a-z])")
# Words that may follow an actor without ending the phrase, and say nothing of its level.
_NEUTRAL = re.compile(
    r"(?:truc\s+thuoc(?:\s+(?:tinh|huyen|trung\s+uong)(?:\s+uy)?)?|co\s+tham\s+quyen|co\s+lien\s+quan|lien\s+quan"
    r"|tren\s+dia\s+ban(?:\s+(?:tinh|huyen|xa))?|trong\s+(?:toan\s+)?(?:tinh|huyen|xa)|o\s+(?:dia\s+phuong|co\s+so)"
    r"|viet\s+nam|cac\s+dia\s+phuong|(?:va\s+)?tuong\s+duong)(?![0-9a-z])"
)


def _mod_ok(text: str, a: int, b: int, accented: bool = False) -> bool:
    words = _WORDS.findall(_MARKER.sub(" ", text[a:b]))
    return all(canonical(w).lower() in _MOD_VOCAB or (not accented and fold(w) == w) for w in words)


def _level_span(lo: str, hi: str) -> set[str]:
    i, j = LEVELS.index(lo), LEVELS.index(hi)
    if i > j:
        i, j = j, i
    return set(LEVELS[i:j + 1])


@dataclass
class _Mod:
    end: int
    levels: set[str] | None  # None: any level ("các cấp"); empty set: said nothing of the level
    start: int = 0


def _modifier(text: str, f: str, p: int, *, bare: bool, accented: bool = False,
              mentions: dict | None = None) -> _Mod | None:
    """One level or neutral modifier right at `p` (after spaces): "cấp xã", "từ cấp huyện trở lên",
    "các cấp", "trực thuộc tỉnh", and, when `bare`, a level word alone ("tỉnh", "xã, phường")."""
    q = p
    while q < len(f) and f[q] == " ":
        q += 1
    for rx in (_LEVEL_RANGE, _LEVEL_CAP, _LEVEL_ANY, _NEUTRAL) + ((_LEVEL_BARE,) if bare else ()):
        m = rx.match(f, q)
        if not m or not _mod_ok(text, m.start(), m.end(), accented):
            continue
        if rx is _LEVEL_ANY:
            return _Mod(m.end(), None, q)
        if rx is _NEUTRAL:
            return _Mod(m.end(), set(), q)
        word = _MARKER.sub(" ", text[m.start("a"):m.end("a")])
        if accented and canonical(" ".join(word.split())).lower() not in _LEVEL_WORDS:
            continue  # "quan tâm" is not "quận"
        if mentions is not None and rx is _LEVEL_BARE and m.start("a") in mentions:
            continue  # "huyện" of "Huyện ủy", "Huyện đoàn": an actor, not a level word
        lo = _LEVEL_FOLD[_squash(m.group("a"))]
        if rx is _LEVEL_RANGE:
            if m.group("up"):
                return _Mod(m.end(), _level_span(lo, LEVELS[-1]), q)
            if m.group("down"):
                return _Mod(m.end(), _level_span(LEVELS[0], lo), q)
            hi = _LEVEL_FOLD[_squash(m.group("b"))]
            span = _level_span(lo, hi)
            # "từ tỉnh đến cơ sở", "từ trung ương đến cơ sở": the whole system, every level
            return _Mod(m.end(), None if {"xã", "huyện", "tỉnh"} <= span else span, q)
        end = m.end()
        if rx is _LEVEL_BARE:  # "tỉnh Bình Sơn": the name of the place is part of it
            end = _proper_end(text, end)
        return _Mod(end, {lo}, q)
    return None


# ---------------------------------------------------------------------------------------------
# Phrases


@dataclass
class _Item:
    start: int
    end: int
    mention: ActorMention
    owners: list[list[ActorMention]] = field(default_factory=list)  # alternatives, each a chain (nearest first)
    levels: set[str] = field(default_factory=set)
    level_text: str = ""  # the level words as written, for names
    any_level: bool = False  # "các cấp", "từ tỉnh đến cơ sở": said, and it is every level
    excluded: list[str] = field(default_factory=list)
    enumerated: list["_Item"] | None = None
    plural_owner: bool = False
    after_comma: bool = False  # joined to the previous actor by a comma (not "và")
    place: str = ""  # the places it is of, by their proper names: "Xuân Lộc" in "Đảng bộ xã Xuân Lộc"


@dataclass
class Phrase:
    start: int
    end: int
    refs: list[ActorRef]
    exclusions: list[tuple[int, int]] = field(default_factory=list)  # spans of "(trừ …)", ", trừ …"
    # The lists of the phrase ("A, B và C, D, E" is two): (start, refs, opened by a comma)
    groups: list[tuple[int, list[ActorRef], bool]] = field(default_factory=list)


_BRACKET = re.compile(r"[()\[\]]")


class _Scan:
    def __init__(self, text: str, terms: Terms | None = None,
                 mentions: list[ActorMention] | None = None) -> None:
        self.text = text
        self.f = _scan_text(text)
        self.accented = _accented(text)
        self.terms = terms
        ms = mentions if mentions is not None else find_actor_spans(text, terms)
        self.mentions = {m.start: m for m in ms}
        self.starts = sorted(self.mentions)  # for range look-ups by bisection
        self.close: dict[int, int] = {}
        stack: list[tuple[str, int]] = []
        for b in _BRACKET.finditer(text):  # the brackets only, not every character
            i, c = b.start(), b.group()
            if c in "([":
                stack.append((c, i))
            else:
                want = "(" if c == ")" else "["
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][0] == want:
                        self.close[stack[k][1]] = i
                        del stack[k:]
                        break


_DETERMINER = re.compile(r"(?:(?:cac|nhung|moi|toan\s+the|tat\s+ca|tung|cung|ca|cac\s+dong\s+chi|dong\s+chi"
                         r"|(?:it\s+nhat|tren|tu|toi\s+thieu)?\s*\d{1,3}(?:[.,]\d+)?\s*%\s*(?:so\s+)?)\s+)*")
_CONNECTOR = re.compile(
    r"\s*(?:(?P<subset>,\s*(?:nhat\s+la|truoc\s+het\s+la|dac\s+biet\s+la|ke\s+ca|trong\s+do\s+co|trong\s+do)\s+)"
    r"|(?P<va>\s(?:va|hoac|cung\s+voi|cung)\s)|(?P<comma>,\s*(?:(?:va|hoac)\s+)?))"
)
_EXCEPT = re.compile(r"\s*\(?\s*(?:ngoai\s+)?tru\s+|\s*\(\s*khong\s+(?:bao\s+gom|ap\s+dung(?:\s+doi\s+voi)?)\s+")
_ENUM = re.compile(r"\s*\(\s*(?:bao\s+gom|gom)\s*:?\s*")


def _skip(f: str, p: int) -> int:
    while p < len(f) and f[p] == " ":
        p += 1
    return p


def _det(f: str, p: int, mentions: dict | None = None) -> int:
    """Past "các", "mỗi", "100%" … to the actor — unless an actor's own name starts there ("các ban đảng")."""
    if mentions is not None and p in mentions:
        return p
    return _DETERMINER.match(f, p).end()


def _owner_at(s: _Scan, p: int) -> tuple[ActorMention, int, bool] | None:
    """The body an actor belongs to, right after it: "Ban Tuyên giáo| Đảng ủy Khối", "Ủy ban kiểm
    tra| các huyện ủy", "chủ tịch| Ủy ban nhân dân". No comma between: a comma starts a new actor."""
    gap = _OWNER_GAP.match(s.f, p)
    if not gap or gap.end() == p:
        return None
    m = s.mentions.get(gap.end())
    if m is None or m.kind != "body":
        return None
    plural = bool(re.search(r"(?:cac|moi)\s+$", s.f[p:gap.end()]))
    return m, m.end, plural


def _modifiers(s: _Scan, it: _Item, p: int) -> int:
    """Level and neutral words after an actor ("cấp tỉnh, cấp huyện", "từ tỉnh đến cơ sở")."""
    first = True
    while True:
        q = p
        if not first:
            c = re.compile(r"\s*,\s*|\s+va\s+").match(s.f, p)
            if not c:
                break
            q = c.end()
        mod = _modifier(s.text, s.f, q, bare=True, accented=s.accented, mentions=s.mentions)
        if mod is None or (not first and not mod.levels):
            break  # after a comma only another level word continues ("cấp huyện, cấp tỉnh")
        if mod.levels is None:
            it.any_level = True
        it.levels |= mod.levels or set()
        # the words as written go into the actor's name ("đảng đoàn trực thuộc Tỉnh ủy", "… cấp xã")
        it.level_text = (it.level_text + (" " if first else ", ") + s.text[mod.start:mod.end]).strip(" ,")
        p = mod.end
        first = False
    return p


def _brackets(s: _Scan, it: _Item, p: int, exclusions: list[tuple[int, int]]) -> int:
    """What brackets after an actor say: "(trừ …)" excludes, "(bao gồm: …)" enumerates, "(từ cấp
    huyện trở lên)" qualifies, "(qua Văn phòng …)" is skipped, like any other aside."""
    while True:
        q = _skip(s.f, p)
        if q >= len(s.f) or s.text[q] != "(":
            return p
        close = s.close.get(q)
        em = _ENUM.match(s.f, q)
        if em:
            inner = _enumeration(s, em.end(), close if close is not None else len(s.f), exclusions)
            if inner[0]:
                it.enumerated = (it.enumerated or []) + inner[0]
            if close is None:
                return inner[1]
            p = close + 1
            continue
        if close is None:
            return p
        xm = _EXCEPT.match(s.f, q)
        if xm:
            ph = _phrase(s, xm.end(), limit=close)
            it.excluded += [r.category for r in ph.refs] if ph else []
            exclusions.append((q, close + 1))
            p = close + 1
            continue
        mod = _modifier(s.text, s.f, q + 1, bare=False, accented=s.accented)
        if mod is not None and _skip(s.f, mod.end) == close:
            if mod.levels is None:
                it.any_level = True
            elif mod.levels:
                it.levels |= mod.levels
                it.level_text = s.text[q:close + 1]
            p = close + 1
            continue
        # an aside ("(qua Văn phòng Tỉnh ủy)", "(để báo cáo)"): skipped
        p = close + 1


def _enumeration(s: _Scan, p: int, limit: int, exclusions: list[tuple[int, int]]) -> tuple[list[_Item], int]:
    """"bao gồm: A; B, C cấp xã; D (từ cấp huyện trở lên)": the items of every segment."""
    items: list[_Item] = []
    end = p
    while p < limit:
        got = _items(s, p, limit, exclusions)
        if not got[0]:
            break
        items += got[0]
        end = got[1]
        sep = re.compile(r"\s*[;,]\s*").match(s.f, end)
        if not sep or sep.end() >= limit:
            break
        p = sep.end()
    return items, end


def _item(s: _Scan, p: int, limit: int, exclusions: list[tuple[int, int]]) -> tuple[_Item, int]:
    m = s.mentions[p]
    it = _Item(p, m.end, m)
    p = m.end
    # the body it belongs to, and that body's own (a chain): "chủ nhiệm ủy ban kiểm tra huyện ủy"
    chain: list[ActorMention] = []
    while True:
        own = _owner_at(s, p)
        if own is None or own[1] > limit:
            break
        chain.append(own[0])
        if own[2] and len(chain) == 1:
            it.plural_owner = True
        p = own[1]
        p = _modifiers(s, it, p)
    if chain:
        it.owners.append(chain)
    p = _modifiers(s, it, p)
    p = _place(s, it, p, limit)
    p = _brackets(s, it, p, exclusions)
    it.end = p
    return it, p


_PLACE_JOIN = re.compile(r",\s*|\s+va\s+")
# Kinds of area a territorial body is said of ("xã vùng cao", "xã biên giới"), part of its name as written.
_AREA = re.compile(r"(?:vung\s+(?:cao|sau|xa|bien|dong\s+bao\s+dan\s+toc(?:\s+thieu\s+so)?)|bien\s+gioi|mien\s+nui"
                   r"|ven\s+bien|dac\s+biet\s+kho\s+khan|nong\s+thon\s+moi)(?![0-9a-z])")


def _place(s: _Scan, it: _Item, p: int, limit: int) -> int:
    """The proper names of the places a territorial body is of: "Đảng bộ xã| Xuân Lộc", "chi bộ
    thôn| Khe Cát, Đồng Me", "Ban Dân vận Huyện ủy| Tân Hà". They are part of its name as the text
    words it; what binds a role is unchanged (a bí thư đảng ủy xã is still told of them)."""
    if it.mention.proper or it.place:
        return p
    territorial = it.levels or any(levels_of(a) for a in it.mention.actors) or any(
        levels_of(m.actors[0]) for chain in it.owners for m in chain[:1])
    if not territorial:
        return p
    q = _skip(s.f, p)
    area = _AREA.match(s.f, q)
    if area and area.end() <= limit and q not in s.mentions:  # "các đảng bộ xã| vùng cao": which communes
        it.place = _clean(s.text[q:area.end()])
        return area.end()
    end = _proper_end(s.text, p)
    if end == p or q in s.mentions or end > limit:
        return p
    while True:  # "Khe Cát, Đồng Me", "Xuân Lộc và Phú Mỹ" — until an actor or anything else
        j = _PLACE_JOIN.match(s.f, end)
        if not j or j.end() in s.mentions:
            break
        nxt = _proper_end(s.text, j.end() - 1) if s.f[j.end() - 1] == " " else j.end() - 1
        if nxt <= j.end() or nxt > limit:
            break
        end = nxt
    it.place = _clean(s.text[q:end])
    return end


def _continues_owners(it: _Item, nxt: ActorMention) -> bool:
    """"Người đứng đầu cấp ủy, chính quyền, cơ quan, đơn vị": a post over a list of bodies;
    "Ủy ban kiểm tra các huyện ủy, thị ủy, thành ủy": a unit of each of several bodies."""
    if not it.owners or nxt.kind != "body" or it.enumerated:
        return False
    if it.mention.kind == "position":
        return True
    first = it.owners[0][0].actors[0]
    shared = ancestors(first) & ancestors(nxt.actors[0])
    return it.plural_owner and bool(shared)


def _more_owners(s: _Scan, it: _Item, end: int, limit: int, exclusions: list[tuple[int, int]]) -> int:
    """Further bodies of the same post or unit after commas: "Người đứng đầu cấp ủy|, chính quyền,
    cơ quan, đơn vị", "Ủy ban kiểm tra các huyện ủy|, thị ủy, thành ủy"."""
    while True:
        c = _CONNECTOR.match(s.f, end)
        if not c or c.group("comma") is None or c.end() >= limit:
            return end
        q = _det(s.f, c.end(), s.mentions)
        nxt = s.mentions.get(q)
        if nxt is None or not _continues_owners(it, nxt):
            return end
        chain, r = [nxt], nxt.end
        while True:
            own = _owner_at(s, r)
            if own is None or own[1] > limit:
                break
            chain.append(own[0])
            r = own[1]
        it.owners.append(chain)
        end = _brackets(s, it, _modifiers(s, it, r), exclusions)
        it.end = end


_INLINE_EXCEPT = re.compile(r"\s*,\s*(?:ngoai\s+)?tru\s+")


def _items(s: _Scan, p: int, limit: int, exclusions: list[tuple[int, int]],
           lists_out: list[list[_Item]] | None = None) -> tuple[list[_Item], int]:
    """A list of actors from `p`: "A, B và các C cấp xã"; "A, B và C, D" is two lists."""
    p = _det(s.f, p, s.mentions)
    if p not in s.mentions:
        return [], p
    items: list[_Item] = []
    lists: list[list[_Item]] = [[]]
    closing = False
    after_comma = False
    while True:
        it, end = _item(s, p, limit, exclusions)
        it.after_comma = after_comma
        end = _more_owners(s, it, end, limit, exclusions)
        items.append(it)
        lists[-1].append(it)
        if closing:
            lists.append([])
            closing = False
        xm = _INLINE_EXCEPT.match(s.f, end)  # ", trừ …" without a bracket
        if xm:
            ph = _phrase(s, xm.end(), limit=limit)
            if ph and ph.refs:
                it.excluded += [r.category for r in ph.refs]
                exclusions.append((xm.start(), ph.end))
                end = ph.end
                it.end = end
        c = _CONNECTOR.match(s.f, end)
        if not c or c.end() >= limit:
            break
        q = _det(s.f, c.end(), s.mentions)
        if q not in s.mentions:
            break
        if c.group("subset") is not None and lists[-1]:
            lists.append([])
        closing = c.group("va") is not None
        after_comma = c.group("comma") is not None
        p = q
    _distribute(lists)
    if lists_out is not None:
        lists_out.extend(lst for lst in lists if lst)
    return items, end


def _distribute(lists: list[list[_Item]]) -> None:
    """A level said after the last actor of a list is said for the list: "bí thư đảng ủy, phó bí
    thư thường trực, chủ tịch HĐND, chủ tịch UBND cấp xã" are all of cấp xã."""
    for lst in lists:
        if len(lst) < 2:
            continue
        last = lst[-1]
        if not last.levels and not last.any_level:
            continue
        # back over the actors right before it that name no level of their own (an actor whose name
        # says its level — "Tỉnh ủy", "các huyện ủy" — ends the run)
        for it in reversed(lst[:-1]):
            if it.levels or it.any_level or it.enumerated or it.mention.proper:
                break
            if any(levels_of(a) for a in it.mention.actors) or any(levels_of(c[0].actors[0]) for c in it.owners):
                break
            it.levels = set(last.levels)
            it.any_level = last.any_level
            it.level_text = last.level_text


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKER.sub("", text)).strip(" ,")


def _refs(s: _Scan, it: _Item, part: str) -> list[ActorRef]:
    if it.enumerated:
        out = []
        for sub in it.enumerated:
            out += _refs(s, sub, part)
        for r in out:
            r.excluded = list(dict.fromkeys(r.excluded + it.excluded))
        return out
    text = _clean(s.text[it.start:it.end])
    head = _clean(s.text[it.mention.start:it.mention.end])
    head = re.sub(r"^(?:các|những|mỗi|Các|Những|Mỗi)\s+", "", head)
    out: list[ActorRef] = []
    chains = it.owners or [[]]
    pairs = [(chain, o) for chain in chains for o in (chain[0].actors if chain else (None,))]
    for chain, owner_cat in pairs:
        for cat in it.mention.actors:
            a = _gazetteer().actors.get(cat)
            owner = owner_cat if chain else (a.of if a else None)
            levels = set(it.levels)
            said = s.terms.owner(_key(head)) if it.mention.term and not chain and s.terms is not None else None
            if said is not None:
                owner, levels = said[0], levels or set(said[1])
            if not levels and not it.any_level:
                for m in chain:
                    levels |= set(levels_of(m.actors[0]))
                    if levels:
                        break
                if not levels:
                    levels = set(levels_of(cat)) or (set(levels_of(owner)) if owner else set())
            words = [head] + [_clean(s.text[m.start:m.end]) for m in chain]  # "Trưởng Ban Tuyên giáo Huyện ủy"
            if it.level_text:
                words.append(_clean(it.level_text.strip("()")))
            if it.place:
                words.append(it.place)
            proper = it.mention.proper or (chain[0].proper if chain else None)
            name = " ".join(w for w in words if w)
            if it.mention.term:
                # a defined term by its term; the issuer's post named alone as the text writes it
                cased = s.terms is not None and _key(head) in s.terms.cased
                name = head if cased else it.mention.term
            out.append(ActorRef(
                text=text, name=name, category=cat, owner=owner,
                in_body=chain[1].actors[0] if len(chain) > 1 else None,
                levels=[lv for lv in LEVELS if lv in levels], excluded=list(dict.fromkeys(it.excluded)),
                proper=proper, part=part, start=it.start, end=it.end))
    return out


def _phrase(s: _Scan, pos: int, *, limit: int | None = None, part: str = "lead") -> Phrase | None:
    limit = len(s.f) if limit is None else limit
    exclusions: list[tuple[int, int]] = []
    lists: list[list[_Item]] = []
    items, end = _items(s, pos, limit, exclusions, lists)
    if not items:
        return None
    refs: list[ActorRef] = []
    groups: list[tuple[int, list[ActorRef], bool]] = []
    for lst in lists:
        got = [r for it in lst for r in _refs(s, it, part)]
        refs += got
        groups.append((lst[0].start, got, lst[0].after_comma))
    return Phrase(items[0].start, end, refs, exclusions, groups)


def actor_phrase(text: str, pos: int = 0, terms: Terms | None = None, *, scan: Any = None,
                 part: str = "lead") -> Phrase | None:
    """The actor phrase starting at `pos` (after determiners: "các", "mỗi", "100%"), or None."""
    s = scan if scan is not None else _Scan(text, terms)
    return _phrase(s, pos, part=part)


def scanner(text: str, terms: Terms | None = None) -> Any:
    """A reusable scan of `text` (mentions, brackets) for several `actor_phrase` calls."""
    return _Scan(text, terms)


def mentions_between(scan: Any, a: int, b: int) -> list[int]:
    """Start offsets of the mentions of a scan in [a, b), in order (bisection: no full pass)."""
    import bisect

    i = bisect.bisect_left(scan.starts, a)
    j = bisect.bisect_left(scan.starts, b)
    return scan.starts[i:j]


def phrase_refs(text: str, terms: Terms | None = None) -> list[ActorRef]:
    """Every actor phrase of `text`, left to right (a role the user typed, a table cell)."""
    s = _Scan(text, terms)
    out: list[ActorRef] = []
    p = 0
    for start in sorted(s.mentions):
        if start < p:
            continue
        ph = _phrase(s, start)
        if ph is None:
            continue
        out += ph.refs
        p = max(ph.end, start + 1)
    return out


# ---------------------------------------------------------------------------------------------
# Roles


@dataclass(frozen=True)
class _Flag:
    name: str
    means: str
    patterns: tuple[re.Pattern[str], ...]


def _cap(category: str, *, owner: str | None = None, levels: Iterable[str] = (), part: str = "lead",
         proper: str | None = None, name: str | None = None) -> ActorRef:
    return ActorRef(text=name or category, name=name or category, category=category, owner=owner,
                    levels=[lv for lv in LEVELS if lv in set(levels)], proper=proper, part=part)


def _capacities(declared: Iterable[str], works_for: Iterable[str], levels: tuple[str, ...]) -> tuple[ActorRef, ...]:
    """roles.yaml actors → capacities: a post heads the most specific declared body it can head,
    and acts for it; bodies are acted for; categories of people are belonged to."""
    table = _gazetteer().actors
    declared = list(declared)
    bodies = [a for a in declared if table[a].kind == "body"]
    caps: list[ActorRef] = []
    for a in declared:
        act = table[a]
        lv = levels or levels_of(a)
        if act.kind == "position":
            owner = act.of
            if owner:
                under = [b for b in bodies if owner in ancestors(b)]
                owner = max(under, key=lambda b: len(ancestors(b))) if under else owner
            caps.append(_cap(a, owner=owner, levels=levels or levels_of(a) or (levels_of(owner) if owner else ())))
        else:
            caps.append(_cap(a, levels=lv if act.kind == "body" else levels))
    for w in works_for:
        caps.append(_cap(w, levels=levels_of(w), part="staff"))
    return tuple(caps)


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
        levels = _level_list(item.get("level"))
        out.append(Role(name, expanded, role_flags, aliases, declared, works_for, str(item.get("note", "")).strip(),
                        _capacities(declared, works_for, levels), levels))
    return out, flags


def roles() -> list[Role]:
    return list(_roles()[0])


def role_names() -> list[str]:
    """Role names of roles.yaml, in its order (`role_list` adds the actors stored documents name)."""
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


_REF_FIELDS = ("text", "name", "category", "owner", "in_body", "levels", "excluded", "proper", "part", "start", "end")


class ActorIndex(dict):
    """Known actors by the key of their name, built once (`actor_index`) and passed again as
    `known_actors`: a store's thousands of actor mentions are keyed once, not per question."""

    _by_category: dict | None = None

    def by_category(self) -> dict[str, list[tuple[frozenset[str], ActorRef]]]:
        """category → (the words of the name, abbreviations written out; the ref), made once."""
        if self._by_category is None:
            self._by_category = _by_category(self)
        return self._by_category


# Words that are no part of a body's name when typed or written before it ("các", "những", "mỗi").
_NAME_FILLER = frozenset({"cac", "nhung", "moi", "tung", "toan", "the", "tat", "ca", "dong", "chi"})


def _name_words(text: str) -> frozenset[str]:
    from .tokenize import expand_abbreviations

    return frozenset(_tokens(expand_abbreviations(text))) - _NAME_FILLER


def _by_category(known: Mapping[str, list[ActorRef]]) -> dict[str, list[tuple[frozenset[str], ActorRef]]]:
    out: dict[str, list[tuple[frozenset[str], ActorRef]]] = {}
    seen: set[tuple] = set()
    for refs in known.values():
        for r in refs:
            k = (_key(r.name), r.category, r.owner, tuple(r.levels), _key(r.proper or ""))
            if k in seen:
                continue
            seen.add(k)
            out.setdefault(r.category, []).append((_name_words(r.name), r))
    return out


def actor_index(known_actors: Iterable[Any]) -> ActorIndex:
    return ActorIndex(_known_refs(known_actors))


def _known_refs(known_actors: Iterable[Any]) -> dict[str, list[ActorRef]]:
    """Known actors (names, ActorRefs, or their JSON) by the key of their name."""
    if isinstance(known_actors, ActorIndex):
        return known_actors
    out: dict[str, list[ActorRef]] = {}
    for k in known_actors or ():
        if isinstance(k, ActorRef):
            ref = k
        elif isinstance(k, Mapping):
            ref = ActorRef(**{f: k[f] for f in _REF_FIELDS if f in k})
        elif isinstance(k, str):
            refs = phrase_refs(k)
            if not refs:
                continue
            for r in refs:
                out.setdefault(_key(k), []).append(replace(r, name=k.strip()))
            continue
        else:
            continue
        if ref.category in _gazetteer().actors:
            out.setdefault(_key(ref.name), []).append(ref)
    return out


def role_list(known_actors: Iterable[Any] = ()) -> list[str]:
    """What a role picker offers: the roles of roles.yaml, then every body or post the stored
    documents name (`known_actors`: names, ActorRefs or their JSON, e.g. every obligation's
    `actor_refs`), each once, in the order given."""
    names = role_names()
    seen = {_key(n) for n in names}
    for k, refs in _known_refs(known_actors).items():
        if k in seen:
            continue
        seen.add(k)
        # the way the body is written in running text, not in a header's capitals ("TỈNH ỦY")
        names.append(next((r.name for r in refs if not r.name.isupper()), refs[0].name))
    return names


def _headed(r: ActorRef) -> ActorRef | None:
    """The body a post's holder heads and acts for: "hiệu trưởng trường tiểu học" → the trường tiểu
    học; "chủ nhiệm ủy ban kiểm tra huyện ủy" → the ủy ban kiểm tra of the huyện ủy."""
    act = _gazetteer().actors.get(r.category)
    if act is None or act.kind != "position":
        return None
    of = act.of
    if r.owner and (of is None or of in ancestors(r.owner)):
        return _cap(r.owner, owner=r.in_body, levels=r.levels, proper=r.proper, name=r.name)
    if of:
        return _cap(of, owner=r.owner if r.owner != of else None, levels=r.levels, proper=r.proper, name=r.name)
    return None


@lru_cache(maxsize=1)
def _posts_of() -> dict[str, tuple[str, ...]]:
    """body → the gazetteer's posts of that body ("Ban Chỉ đạo" → trưởng ban chỉ đạo, phó trưởng ban chỉ
    đạo, thành viên ban chỉ đạo)."""
    out: dict[str, list[str]] = {}
    for a in _gazetteer().actors.values():
        if a.kind == "position" and a.of:
            out.setdefault(a.of, []).append(a.name)
    return {k: tuple(v) for k, v in out.items()}


def own_post(category: str, body: str | None) -> str | None:
    """The gazetteer's own post of `body` that a generic post `category` names there: the người đứng đầu
    or the "Trưởng ban" of a Ban Chỉ đạo is its "trưởng ban chỉ đạo" (one such post, else None)."""
    if not body:
        return None
    found = [p for p in _posts_of().get(body, ()) if p != category and category in ancestors(p)]
    return found[0] if len(found) == 1 else None


def _named_post(r: ActorRef) -> str | None:
    """The gazetteer's own post for a generic post of a body: "Trưởng Ban Chỉ đạo" (người đứng đầu of the
    Ban Chỉ đạo) is the "trưởng ban chỉ đạo" — the same person, whom a Quy chế calls "Trưởng ban"."""
    return own_post(r.category, r.owner)


def _role_from_refs(name: str, refs: list[ActorRef]) -> Role:
    """A role for someone who is what `refs` name: a post heads its body and acts for it; a body's
    member acts for it; categories of people are belonged to."""
    caps: list[ActorRef] = []
    expanded: set[str] = set()
    table = _gazetteer().actors
    for r in refs:
        kind = table[r.category].kind if r.category in table else "body"
        caps.append(_cap(r.category, owner=r.owner, levels=r.levels, proper=r.proper, name=r.name))
        expanded |= ancestors(r.category)
        post = _named_post(r) if kind == "position" else None
        if post is not None:
            caps.append(_cap(post, levels=r.levels, proper=r.proper, name=r.name))
            expanded |= ancestors(post)
        body = _headed(r)
        if body is not None:
            caps.append(body)
            expanded |= ancestors(body.category)
        elif kind == "person" and r.owner:  # staff of a body: its own duties
            caps.append(_cap(r.owner, owner=r.in_body, levels=r.levels, proper=r.proper, part="staff", name=r.name))
            expanded.add(r.owner)
    levels = tuple(lv for lv in LEVELS if any(lv in r.levels for r in refs))
    return Role(name, expanded, {}, (name,), tuple(dict.fromkeys(r.category for r in refs)), (), "",
                tuple(caps), levels)


def _refine(r: Role, parsed: list[ActorRef], name: str) -> Role:
    """A roles.yaml role made as specific as the user's words: "hiệu trưởng trường tiểu học" heads a
    trường tiểu học (cấp xã), not any school; "phóng viên Báo Tân Hà" works for that newspaper."""
    table = _gazetteer().actors
    levels = tuple(lv for lv in LEVELS if any(lv in p.levels for p in parsed)) or r.levels
    bodies = [p for p in parsed if table.get(p.category) and table[p.category].kind == "body"]
    bodies += [_cap(p.owner, owner=p.in_body, levels=p.levels, proper=p.proper) for p in parsed
               if p.owner and table.get(p.category) and table[p.category].kind == "person"]
    out = []
    for c in r.capacities:
        best = c
        if c.part == "staff":  # the body the user names, besides the categories it belongs to
            for b in bodies:
                if c.category in ancestors(b.category):
                    out.append(replace(c, category=b.category, owner=b.owner, levels=b.levels or c.levels,
                                       proper=b.proper))
                    break
        else:
            for p in parsed:
                if c.category in ancestors(p.category):  # the user's word is as narrow or narrower
                    owner = p.owner if p.owner and (not c.owner or c.owner in ancestors(p.owner)) else c.owner
                    best = replace(c, category=p.category, owner=owner, levels=p.levels or c.levels,
                                   proper=p.proper or c.proper)
                    break
                if c.owner and c.owner in ancestors(p.category) and p.category != c.owner:
                    best = replace(c, owner=p.category, levels=p.levels or c.levels, proper=p.proper or c.proper)
                    break
                if table.get(c.category) and table[c.category].kind == "body" and c.category in ancestors(p.owner or ""):
                    best = replace(c, category=p.owner, levels=p.levels or c.levels, proper=p.proper or c.proper)
                    break
            kind = table.get(best.category)
            if levels and not best.levels and kind is not None and kind.kind != "person":
                best = replace(best, levels=list(levels))
        out.append(best)
    for p in parsed:  # a post the user names acts for the body it heads, as that body is named
        body = _headed(p)
        if body is not None:
            out.append(body)
    return replace(r, name=name, capacities=tuple(out), levels=levels)


def _explains(r: Role, refs: list[ActorRef]) -> bool:
    """Whether every actor of `refs` is one of the role's capacities, as narrow or narrower (the post it
    holds, the body it heads or acts for): then the words name that role, not another."""
    def same(c: ActorRef, x: ActorRef) -> bool:
        if c.owner and c.owner in ancestors(x.category):
            return True  # the body the role's post heads or works for
        if c.category in ancestors(x.category):
            return True
        # the same post named more broadly, of the same body: "Bí thư| chi bộ khu phố" (bí thư cấp ủy of
        # a chi bộ thôn) is the "bí thư chi bộ thôn" (người đứng đầu chi bộ of a chi bộ thôn)
        return bool(x.category in ancestors(c.category) and x.owner and c.owner
                    and (x.owner in ancestors(c.owner) or c.owner in ancestors(x.owner)))

    caps = r.capacities
    return bool(refs) and bool(caps) and all(any(same(c, x) for c in caps) for x in refs)


# A roles.yaml alias of at most this many syllables is one word or two ("nhân viên", "bí thư"): it names
# the role only written whole, its syllables side by side. Longer aliases may be written in another order
# or with words between ("chi bộ, bí thư"); 2 keeps "bí thư chi bộ" findable in "bí thư của chi bộ".
SCATTERED_ALIAS_MIN = 2

_FILLER = re.compile(r"^(?:toi|em|minh|chung toi)\s+(?:la|lam|dang\s+la|hien\s+la)\s+|^(?:la|lam)\s+")


def _in_capacities(found: list[Role | None]) -> Role | None:
    """One person holding each of the roles: bound by what binds any of them (its capacities), the first
    one's post first; a fact the roles disagree on is unknown."""
    roles = [r for r in found if r is not None]
    if len(roles) <= 1:
        return roles[0] if roles else None
    flags = {k: v for k, v in roles[0].flags.items() if all(r.flags.get(k, v) == v for r in roles[1:])}
    for r in roles[1:]:
        flags.update({k: v for k, v in r.flags.items() if k not in roles[0].flags})
    return Role(name=", ".join(r.name for r in roles), actors=set().union(*(r.actors for r in roles)), flags=flags,
                aliases=tuple(dict.fromkeys(a for r in roles for a in r.aliases)),
                declared=tuple(dict.fromkeys(d for r in roles for d in r.declared)),
                works_for=tuple(dict.fromkeys(w for r in roles for w in r.works_for)),
                capacities=tuple(c for r in roles for c in r.capacities),
                levels=tuple(dict.fromkeys(lv for r in roles for lv in r.levels)))


def _as_typed(user_text: str) -> str:
    """The words as the user typed them: typed without diacritics, abbreviations written out with them
    ("chu tich uy ban Mặt trận Tổ quốc xa" for "chu tich uy ban mttq xa") are folded too — a mix of the
    two matches neither the accented aliases (the user's "chu tich" lacks their marks) nor the folded."""
    from .normalize import is_folded
    from .tokenize import ABBREVIATIONS

    if is_folded(user_text):
        return user_text
    own = user_text
    for full in sorted(set(ABBREVIATIONS.values()), key=lambda f: (-len(f), f)):  # longest first
        own = own.replace(full, " ")
    return fold(user_text) if is_folded(own) and any(c.isalpha() for c in own) else user_text


def _typed_refs(user_text: str) -> list[ActorRef]:
    """The bodies and posts the user's words name, abbreviations written out ("MTTQ", "UBND", "BCĐ")."""
    from .tokenize import expand_abbreviations

    return phrase_refs(expand_abbreviations(user_text))


def _as_narrow(k: ActorRef, p: ActorRef) -> bool:
    """A known actor `k` is the typed `p` or narrower: the same head (category), the body it belongs
    to when the words name one, every level the words name (a typed "tỉnh" is never a huyện body),
    the proper name they give."""
    if k.category != p.category:
        return False
    return _as_specific(k, p)


def _as_specific(k: ActorRef, p: ActorRef) -> bool:
    """`k` is said of the body, level and place `p` is said of, or of more: a level `k` does not state is
    not another level (the text did not say it)."""
    if p.owner and k.owner != p.owner:
        return False
    if p.levels and k.levels and not set(p.levels) <= set(k.levels):
        return False
    return not p.proper or (bool(k.proper) and _key(k.proper) == _key(p.proper))


def _narrowed_by(typed: list[ActorRef], refs: list[ActorRef], words: set[str]) -> bool:
    """Whether the words name something more narrowly than the known name they hold. For every typed
    actor whose phrase holds all the known name's words, the known actor must be that actor, as narrow
    (`_as_narrow`), or — for a person or post — the body it belongs to ("cán bộ Ban Tuyên giáo Tỉnh ủy"
    holds the known "Ban Tuyên giáo Tỉnh ủy"). Else the known name is another, broader thing inside the
    words: "Đảng đoàn MTTQ tỉnh" holds "đảng đoàn" and "MTTQ tỉnh", "cán bộ ban dân vận" holds "cán bộ",
    "trưởng ban tổ chức" holds "trưởng ban"."""
    words = _name_words(" ".join(words))
    table = _gazetteer().actors
    for p in typed:
        if not words <= _name_words(p.text):
            continue
        if any(_as_narrow(k, p) for k in refs):
            continue
        act = table.get(p.category)
        said = replace(p, owner=None) if p.owner == getattr(act, "of", None) else p  # "Trưởng ban": of a ban
        if any(k.category != p.category and p.category in ancestors(k.category) and _as_specific(k, said) for k in refs):
            continue  # a narrower post the documents call so ("Trưởng ban" of a Quy chế: its Trưởng Ban Chỉ đạo)
        bodies = {b for b in (p.owner, getattr(act, "of", None)) if b}  # "chủ nhiệm| ủy ban kiểm tra huyện ủy"
        if getattr(act, "kind", "body") != "body" and any(b in ancestors(k.category) for b in bodies for k in refs):
            continue
        return True
    return False


@lru_cache(maxsize=512)
def _surface_words(category: str) -> frozenset[str]:
    """Every word the gazetteer writes an actor with (aliases, unit and proper forms)."""
    return frozenset(t for surfs in _gazetteer().surfaces.values() for x in surfs if category in x.names
                     for t in _tokens(x.written))


def _of_known_body(p: ActorRef, words: frozenset[str], index: Mapping[str, list]) -> list[ActorRef]:
    """A person or post of a body typed with fewer words ("cán bộ ban dân vận", "trưởng ban tổ chức tỉnh"):
    the same person of each known body the words name (its head the typed owner, every other typed word
    in its name or in the person's own name), at the level typed."""
    act = _gazetteer().actors.get(p.category)
    if act is None or act.kind == "body":
        return []
    own_words = _surface_words(p.category)
    out = []
    for w, k in index.get(p.owner, ()):
        if not (words - w) <= own_words or not w & words:
            continue
        if p.levels and not set(p.levels) <= set(k.levels):
            continue
        if p.in_body and k.owner != p.in_body:
            continue
        out.append(replace(p, in_body=k.owner, levels=list(k.levels) or list(p.levels), proper=k.proper or p.proper))
    return out


def _known_body(typed: list[ActorRef], known: Mapping[str, list[ActorRef]]) -> tuple[str, list[ActorRef]] | None:
    """Known actors the user names with fewer or other words than the document ("Đảng đoàn MTTQ tỉnh"
    for "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "ban dân vận" for "Ban Dân vận Tỉnh ủy"):
    for every typed actor, the known ones with the same head (category) that are as narrow (`_as_narrow`:
    body, level, proper name) and whose names hold every word typed for it (abbreviations written out).
    A head the gazetteer reads only with its body ("văn phòng", "phòng") is never typed alone, so a
    typed word of another body's name cannot match it. Several known bodies fit ("ban dân vận" in a
    store with the tỉnh and the huyện ones): all of them. None when one typed actor has no match."""
    index = known.by_category() if isinstance(known, ActorIndex) else _by_category(known)
    found: list[ActorRef] = []
    for p in typed:
        words = _name_words(p.text)
        hits = [r for w, r in index.get(p.category, ()) if words <= w and _as_narrow(r, p)]
        if not hits and p.owner:
            hits = _of_known_body(p, words, index)
        if not hits:
            return None
        found += hits
    return " ".join(sorted(set().union(*(set(_tokens(r.name)) for r in found)))), found


def _deputy_of(alias: tuple[str, ...], words: list[str]) -> bool:
    """The words name the alias's post only with "phó" before it ("phó bí thư" for "bí thư"): every
    occurrence of the post's first word is a deputy's."""
    if not alias or alias[0] == "pho":
        return False
    at = [i for i, w in enumerate(words) if w == alias[0]]
    return bool(at) and all(i > 0 and words[i - 1] == "pho" for i in at)


def _member_of(alias: tuple[str, ...], words: list[str]) -> bool:
    """The words name a member of the alias's body ("chi ủy viên", "đảng ủy viên"): "viên" follows every
    occurrence of the alias's last word."""
    if not alias or alias[-1] == "vien":
        return False
    at = [i for i, w in enumerate(words) if w == alias[-1]]
    return bool(at) and all(i + 1 < len(words) and words[i + 1] == "vien" for i in at)


def _posts_in(typed: list[ActorRef], known_hit: tuple[str, list[ActorRef]]) -> list[ActorRef]:
    """The posts the typed words name whose body is the known one (their words beyond the known name's):
    each as a post of that known body, at its level and with its proper name."""
    table = _gazetteer().actors
    name_words = set(known_hit[0].split())
    out = []
    for p in typed:
        act = table.get(p.category)
        if act is None or act.kind != "position" or not p.owner or set(_tokens(p.text)) <= name_words:
            continue
        for k in known_hit[1]:
            # the known body is the post's owner ("cán bộ| Văn phòng Huyện ủy"), or the body the post
            # heads, of the owner the words name or a broader one ("chủ nhiệm| Ủy ban Kiểm tra Đảng ủy
            # xã …" for the known "Ủy ban Kiểm tra Đảng ủy")
            heads = act.of is not None and act.of in ancestors(k.category) and (k.owner is None or k.owner in ancestors(p.owner))
            if p.owner in ancestors(k.category):
                out.append(replace(p, owner=k.category, in_body=k.owner, levels=list(k.levels) or list(p.levels),
                                   proper=k.proper or p.proper))
                break
            if heads:  # the post as the words name it (its owner the body's owner, as documents write it)
                out.append(replace(p, levels=list(p.levels) or list(k.levels), proper=p.proper or k.proper))
                break
    return out


def match_role(user_text: str, known_actors: Iterable[Any] = ()) -> Role | None:
    """The role a user describes: "Tôi là bí thư đảng ủy xã", "toi la bi thu chi bo", "chi bộ, bí thư",
    "hiệu trưởng trường tiểu học", "Ban Tuyên giáo Đảng ủy Khối" (a body a stored document names).

    roles.yaml first: every syllable of a role alias must occur in the text (order and extra words do
    not matter); the alias with the most syllables wins, then one written as a contiguous phrase, then
    the earlier role. Without a full match, an alias of ≥ 4 syllables missing one still counts
    ("bi thu dang uy" → bí thư đảng ủy xã) — never when the text names another level ("chủ tịch UBND
    tỉnh" is not "chủ tịch UBND xã"). The role is then narrowed by the actors the words name
    ("hiệu trưởng trường tiểu học"). Without a roles.yaml role, a known actor the text names (a term a
    document defines, a body with a proper name), else the actors the words themselves name.

    Known actors: a name written whole inside the words, unless the words name something narrower
    around it (`_narrowed_by`: "Đảng đoàn MTTQ tỉnh" is not the known "đảng đoàn"); else the known
    actors of the same head the words name with fewer or other words, abbreviations written out, at
    the level typed (`_known_body`: "ban dan van" → "Ban Dân vận Tỉnh ủy"; a typed "tỉnh" never gets a
    huyện body; "cán bộ ban dân vận" → the staff of the known Ban Dân vận).
    """
    if not user_text or not user_text.strip():
        return None
    if ";" in user_text:  # "giáo viên; đảng viên sinh hoạt ở chi bộ …": one person in several capacities
        return _in_capacities([match_role(p, known_actors) for p in user_text.split(";") if p.strip()])
    user_text = _as_typed(user_text)
    words = _tokens(user_text)
    have = set(words)
    phrase = " ".join(words)
    parsed = phrase_refs(user_text)
    said_levels = {lv for r in parsed for lv in r.levels}
    best: tuple | None = None
    best_role: Role | None = None
    best_alias: tuple[str, ...] = ()
    for r, alias_key, toks, order in _alias_index():
        if not toks:
            continue
        hit = sum(1 for t in set(toks) if t in have)
        need = len(set(toks))
        full = hit == need
        if not full and not (need >= 4 and hit == need - 1):
            continue
        if not full and any(not set(_tokens(p.text)) <= set(toks) | {"cac", "nhung"} for p in parsed):
            continue  # "cán bộ Văn phòng Huyện ủy" is not "cán bộ Văn phòng Tỉnh ủy" missing a word
        if said_levels and r.levels and not (said_levels & set(r.levels)):
            continue
        if _deputy_of(toks, words) or _member_of(toks, words):
            continue  # "phó bí thư chi bộ" is not the "bí thư chi bộ", "chi ủy viên" not the "chi ủy"
        contiguous = f" {' '.join(toks)} " in f" {phrase} "
        if need <= SCATTERED_ALIAS_MIN and not contiguous:
            continue  # "nhân viên" is one word: not "nhân" of "nhân dân" and "viên" of "chi ủy viên"
        score = (full, hit, contiguous, -order)
        if best is None or score > best:
            best, best_role, best_alias = score, r, toks
    stripped = _FILLER.sub("", phrase)
    known = _known_refs(known_actors)
    typed = _typed_refs(user_text)
    if not parsed and typed:  # only written out do the words name someone ("Trưởng BCĐ")
        parsed = typed
        said_levels = {lv for r in parsed for lv in r.levels}
    # A known name written as a whole inside the words, the longest first — unless the words name that
    # body more narrowly ("Đảng đoàn MTTQ tỉnh" holds the known "đảng đoàn": another body's name).
    contiguous = []
    for k, refs in known.items():
        kk = k.replace(",", " ").replace("-", " ")
        kk = " ".join(kk.split())
        if kk and f" {kk} " in f" {stripped} ":
            contiguous.append((kk, refs))
    contiguous.sort(key=lambda x: -len(x[0]))
    known_hit = next(((kk, refs) for kk, refs in contiguous if not _narrowed_by(typed, refs, set(kk.split()))), None)
    covered = set(best_alias)
    extra = [r for r in parsed if not set(_tokens(r.text)) <= covered | {"cac", "nhung"}]
    shown = " ".join(user_text.split()[len(phrase.split()) - len(stripped.split()):]) or user_text.strip()
    # as written in running text, not in a heading's capitals ("CƠ QUAN, ĐƠN VỊ")
    known_name = next((r.name for r in known_hit[1] if not r.name.isupper()), known_hit[1][0].name) if known_hit else ""
    if known_hit is None and typed and known:
        known_hit = _known_body(typed, known)
        if known_hit is not None:  # one body: as the documents name it; several: in the user's words
            names = {_key(r.name): r.name for r in known_hit[1] if not r.name.isupper()} or \
                {_key(r.name): r.name for r in known_hit[1]}
            known_name = next(iter(names.values())) if len(names) == 1 else shown
    if best_role is not None and best[0]:
        if known_hit and set(best_alias) <= set(known_hit[0].split()):
            # The known name explains all the words, and a roles.yaml role is named in them ("Bí thư chi
            # bộ khu phố" a document names is the role "bí thư chi bộ thôn"): that role, as specific as the
            # document's words — its other capacities (a bí thư is a đảng viên) and the facts its
            # exceptions test are kept. A known body or term outside the role's categories is its own role.
            own = _role_from_refs(known_name, known_hit[1])
            if _explains(best_role, known_hit[1]):
                r = _refine(best_role, known_hit[1], own.name)
                caps = r.capacities + tuple(c for c in own.capacities if c not in r.capacities)  # and what the words name
                return replace(r, capacities=caps, actors=r.actors | own.actors)
            return own
        if known_hit:
            extra, parsed = extra + known_hit[1], parsed + known_hit[1]
        if parsed:  # as specific as the words: "cán bộ Ban Tuyên giáo huyện ủy" works for that body
            return _refine(best_role, parsed, shown if extra else best_role.name)
        return best_role
    if known_hit is not None:
        posts = _posts_in(typed, known_hit)
        if posts:
            # "chi ủy viên Chi bộ Cơ quan UBND xã …": a post of the known body the words name — that post,
            # of that body (and the body it belongs to), not the body as a whole
            return _role_from_refs(shown, posts)
        return _role_from_refs(known_name, known_hit[1])
    if best_role is not None and not extra:
        return best_role
    if parsed:
        return _role_from_refs(shown, parsed)
    return best_role


# ---------------------------------------------------------------------------------------------
# Binding


@lru_cache(maxsize=1)
def _level_children() -> dict[tuple[str, str], str]:
    """(body, level) → the narrower actor that is that body at that one level, when the gazetteer
    names it: "chi bộ" at thôn is "chi bộ thôn" (alias "chi bộ khu phố"), "cấp ủy" at xã "đảng ủy xã"
    (alias "cấp ủy cấp xã"). Read from the aliases — an alias of a narrower actor that is an alias of
    the body plus a level word ("chi bộ" + "thôn", "cấp ủy" + "cấp xã") — so there is no table to keep.
    Several candidates: the deepest when they form one chain ("đảng ủy" at xã: đảng ủy cơ sở ⊃ đảng ủy
    xã), none when they are siblings."""
    table = _gazetteer().actors
    found: dict[tuple[str, str], set[str]] = {}
    for child, act in table.items():
        keys = {_key(a) for a in act.aliases}
        if not keys:
            continue
        for body in ancestors(child) - {child}:
            for alias in table[body].aliases:
                for word, level in _LEVEL_WORDS.items():
                    if _key(f"{alias} {word}") in keys or _key(f"{alias} cấp {word}") in keys:
                        found.setdefault((body, level), set()).add(child)
    out: dict[tuple[str, str], str] = {}
    for k, cands in found.items():
        deepest = [c for c in cands if all(o in ancestors(c) for o in cands)]
        if deepest:
            out[k] = deepest[0]
    return out


def _at_level(name: str | None, levels: Iterable[str]) -> str | None:
    """`name` as the narrower actor it is at a single level, else `name` ("chi bộ", [thôn] → "chi bộ thôn")."""
    lv = tuple(levels)
    if name is None or len(lv) != 1:
        return name
    return _level_children().get((name, lv[0]), name)


def _narrowed(c: ActorRef) -> ActorRef:
    """A capacity whose body is said at one level, as the narrower body of that level: a "bí thư chi
    bộ khu phố" heads a chi bộ thôn, so "các chi bộ (trừ chi bộ thôn, bản)" does not bind them and
    "chi bộ khu phố …" does."""
    if len(c.levels) != 1:
        return c
    kind = _gazetteer().actors.get(c.category)
    cat = _at_level(c.category, c.levels) if kind is not None and kind.kind == "body" else c.category
    owner = _at_level(c.owner, c.levels)
    return c if (cat, owner) == (c.category, c.owner) else replace(c, category=cat, owner=owner)


def _ref_of(x: Any) -> ActorRef | None:
    if isinstance(x, ActorRef):
        return x
    if isinstance(x, Mapping) and "category" in x:
        return ActorRef(**{f: x[f] for f in _REF_FIELDS if f in x})
    return None


def _binds_capacity(a: ActorRef, c: ActorRef) -> bool:
    c = _narrowed(c)
    if c.part == "staff":  # staff act for their body's own duties, as the body is named
        if a.category != c.category:
            return False
    elif a.category not in ancestors(c.category):
        return False
    if a.owner and a.owner != a.category:
        table = _gazetteer().actors
        own = table.get(a.category)
        default = own.of if own else None
        # both posts in the bodies their names imply ("Trưởng ban" of a Quy chế, the "trưởng ban chỉ đạo"
        # a role names): the gazetteer's hierarchy of the posts decides, as for categories
        c_default = getattr(table.get(c.category), "of", None)
        if a.owner != default or (c.owner and c.owner != c_default):
            if not c.owner or a.owner not in ancestors(c.owner):
                return False
    if a.levels and c.levels and not set(a.levels) & set(c.levels):
        return False
    if a.proper and (not c.proper or _key(a.proper) != _key(c.proper)):
        return False
    for x in a.excluded:
        if x in ancestors(c.category) or (c.owner and x in ancestors(c.owner)):
            return False
    return True


def binds(obligation_actors: Iterable[str], role: Role | None, refs: Iterable[Any] | None = None) -> bool:
    """True when the duty binds the role.

    With `refs` (the obligation's `actor_refs`, as records or JSON): one of them must be a category
    a capacity of the role belongs to, of the same body, at a compatible level, with no exclusion
    that covers it ("người đứng đầu chi bộ (trừ chi bộ thôn …)" does not bind a bí thư chi bộ thôn).
    Without refs (older records), by categories only. Direction matters either way: an obligation of
    "các cấp ủy" binds a bí thư chi bộ (chi bộ ⊂ cấp ủy); one of "Sở Giáo dục và Đào tạo" does not
    bind a bí thư đảng ủy xã.
    """
    if role is None:
        return False
    structured = [r for r in (_ref_of(x) for x in (refs or ())) if r is not None]
    if structured and role.capacities:
        return any(_binds_capacity(a, c) for a in structured for c in role.capacities)
    return bool(canonical_actors(obligation_actors) & role.actors)


def naming_rank(refs: Iterable[Any], role: Role | None) -> int | None:
    """How directly a duty's actors (`refs`: its actor_refs, records or JSON) name the role: 0 the
    post itself ("Chủ tịch Ủy ban MTTQ xã" for that chủ tịch: a post of a named body, or one the
    gazetteer ties to its body), 1 a body the role heads or acts for, 2 only a broader category it
    belongs to (cán bộ, đảng viên, người đứng đầu); None when they do not bind it."""
    if role is None:
        return None
    table = _gazetteer().actors
    best = None
    for a in (r for r in (_ref_of(x) for x in refs) if r is not None):
        if not any(_binds_capacity(a, c) for c in role.capacities):
            continue
        act = table.get(a.category)
        kind = act.kind if act is not None else "body"
        own_post = kind == "position" and (a.owner or act.of or any(a.category == c.category for c in role.capacities))
        rank = 0 if own_post else 1 if kind == "body" else 2
        best = rank if best is None else min(best, rank)
    return best


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
    """The exceptions (footnotes "Trừ …", inline "trừ …") that certainly apply to `role`.

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
