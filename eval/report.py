"""The tables and listings `make eval` prints and writes: pure formatting of the results of
eval/run.py (dicts built by eval/scoring.py and eval/duties.py)."""
from __future__ import annotations

import json

DASH = "–"


def f(x: float | None, digits: int = 3) -> str:
    return DASH if x is None or x != x else f"{x:.{digits}f}"


def lat(d: dict | None) -> str:
    if not d or not d.get("n"):
        return DASH
    return f"{d['p50']:.1f} / {d['p95']:.1f}"


def frac(num: int, den: int) -> str:
    return f"{num}/{den} {num / den:.2f}" if den else DASH


def excerpt(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def table(header: list[str], rows: list[list[str]], markdown: bool = False, left: int = 1) -> str:
    """A plain-text (or Markdown) table; the first `left` columns are left-aligned, the rest right."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def cell(i: int, text: str) -> str:
        return text.ljust(widths[i]) if i < left else text.rjust(widths[i])

    if markdown:
        out = ["| " + " | ".join(h.ljust(widths[i]) for i, h in enumerate(header)) + " |",
               "|" + "|".join(("-" * (widths[i] + 2)) if i < left else ("-" * (widths[i] + 1) + ":")
                              for i in range(len(header))) + "|"]
        out += ["| " + " | ".join(cell(i, c) for i, c in enumerate(r)) + " |" for r in rows]
    else:
        out = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(header)).rstrip(),
               "  ".join("-" * w for w in widths)]
        out += ["  ".join(cell(i, c) for i, c in enumerate(r)).rstrip() for r in rows]
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------
# Questions
# ----------------------------------------------------------------------------------------------

def _answer_cells(s: dict | None, peer: bool) -> list[str]:
    if peer or not s:
        return [DASH, DASH, DASH, DASH]
    return [frac(s["correct"], s["answerable"]), frac(s["right_all"], s["n"]),
            f"{s['false_abstentions']}/{s['answerable']}", f"{s['false_answers']}/{s['unanswerable']}"]


def _retrieval_cells(s: dict | None) -> list[str]:
    r = (s or {}).get("retrieval") or {}
    if not r.get("n"):
        return [DASH, DASH, DASH]
    return [f(r["hit@1"]), f(r["hit@5"]), f(r["mrr@10"])]


SUMMARY_HEADER = ["hit@1", "hit@5", "MRR@10", "answer acc", "right (all)", "false abst", "false ans",
                  "ask p50/p95 ms", "search p50/p95 ms"]


def summary_cells(s: dict | None, peer: bool) -> list[str]:
    latency = (s or {}).get("latency") or {}
    return [*_retrieval_cells(s), *_answer_cells(s, peer),
            DASH if peer else lat(latency.get("ask_ms")), lat(latency.get("search_ms")) + (" *" if peer else "")]


def overall_table(systems: list[dict], markdown: bool = False) -> str:
    header = ["System", *SUMMARY_HEADER, "dated duties P / R", "wrong windows", "ingest s", "RSS MB"]
    rows: list[list[str]] = []
    notes: list[str] = []
    for r in systems:
        if r.get("error") or r.get("skipped"):
            notes.append(f"{r['name']}: " + (f"skipped ({r['skipped']})" if r.get("skipped") else f"error: {r['error']}"))
            continue
        peer = r["system"] == "peer"
        ob = ((r.get("obligations") or {}).get("overall")) or {}
        rows.append([r["name"], *summary_cells(r["summary"]["overall"], peer),
                     f"{f(ob.get('precision'), 2)} / {f(ob.get('recall'), 2)}" if ob else DASH,
                     str(ob["wrong"]) if ob else DASH,
                     f"{r['ingest']['seconds']:.1f}" if r.get("ingest") else
                     (f"{r['build_s']:.1f} *" if r.get("build_s") else DASH),
                     f"{r['rss_mb']:.0f}" if r.get("rss_mb") else DASH])
    return "\n".join([table(header, rows, markdown), *([""] + notes if notes and markdown else notes)])


def per_set_table(systems: list[dict], markdown: bool = False) -> str:
    header = ["Set", "System", "n", *SUMMARY_HEADER]
    rows = []
    ok = [r for r in systems if r.get("summary")]
    labels = list(dict.fromkeys(k for r in ok for k in r["summary"]["per_set"]))
    for label in labels:
        for r in ok:
            s = r["summary"]["per_set"].get(label)
            if s:
                rows.append([label, r["name"], str(s["n"]), *summary_cells(s, r["system"] == "peer")])
    return table(header, rows, markdown, left=2)


def breakdown_table(systems: list[dict], key: str, title: str, order: list[str] | None = None,
                    markdown: bool = False) -> str:
    """Right answers (an abstention on an unanswerable question is right), hit@1 and the two kinds of
    wrong abstention decision, per kind or per document, one column group per Sổ tay variant."""
    ok = [r for r in systems if r.get("summary") and r["system"] == "sotay"]
    groups = list(dict.fromkeys(k for r in ok for k in r["summary"][key]))
    if order:
        groups = [g for g in order if g in groups] + sorted(g for g in groups if g not in order)
    else:
        groups.sort()
    header = [title, "n"]
    for r in ok:
        header += [f"right ({r['name']})" if len(ok) > 1 else "right", "hit@1", "false abst / ans"]
    rows = []
    for g in groups:
        n = next(r["summary"][key][g]["n"] for r in ok if g in r["summary"][key])
        row = [g, str(n)]
        for r in ok:
            s = r["summary"][key].get(g)
            if not s:
                row += [DASH] * 3
                continue
            row += [frac(s["right_all"], s["n"]), _retrieval_cells(s)[0],
                    f"{s['false_abstentions'] if s['answerable'] else DASH} / "
                    f"{s['false_answers'] if s['unanswerable'] else DASH}"]
        rows.append(row)
    return table(header, rows, markdown)


def length_table(systems: list[dict], markdown: bool = False) -> str:
    header = ["System", "answers", "median chars", "max chars", "over 1,000", "median outside list/role (≤ 500)"]
    rows = []
    for r in systems:
        if r.get("system") != "sotay" or not r.get("summary"):
            continue
        ln = r["summary"]["overall"]["length"]
        rows.append([r["name"], str(ln["n"]), f(ln["median"], 0), f(ln["max"], 0), str(ln["over_limit"]),
                     f"{f(ln['median_outside_list_role'], 0)} (n={ln['n_outside_list_role']})"])
    return table(header, rows, markdown)


# ----------------------------------------------------------------------------------------------
# Duties
# ----------------------------------------------------------------------------------------------

def duties_table(ob: dict, markdown: bool = False) -> str:
    header = ["Document", "gold", "right", "wrong window", "missing", "actors ok", "dated returned",
              "extra dated", "extra undated", "precision", "recall"]
    rows = []
    for doc, d in [*sorted(ob["per_doc"].items()), ("overall", ob["overall"])]:
        rows.append([doc, str(d["gold"]), str(d["right"]), str(d["wrong"]), str(d["missing"]),
                     f"{d['actors_ok']}/{d['actors_checked']}" if d["actors_checked"] else DASH,
                     str(d["dated"]), str(d["extra_dated"]), str(d["extra_undated"]),
                     f(d["precision"], 2), f(d["recall"], 2)])
    return table(header, rows, markdown)


def _deadline(d: dict) -> str:
    return json.dumps({k: v for k, v in d.items() if v is not None}, ensure_ascii=False)


def duties_listing(ob: dict) -> list[str]:
    """Wrong windows, missing gold duties, actors not found, and timed obligations no gold duty has."""
    out: list[str] = []
    wrong = [g for g in ob["gold"] if g["status"] == "wrong window"]
    missing = [g for g in ob["gold"] if g["status"] == "missing"]
    actors = [g for g in ob["gold"] if g["actors_missing"]]
    if wrong:
        out.append(f"Wrong windows ({len(wrong)} gold duties; the same sentence came back with another time):")
        for g in wrong:
            out.append(f"  {g['id']} [{g['doc']}] expected {_deadline(g['expected'])}")
            out.append(f"      got {' | '.join(g['returned'])}  — \"{excerpt(g['evidence'], 90)}\"")
    also = [x for x in ob["unmatched"] if x["status"] == "wrong window"
            and not any(g["id"] in x["gold_ids"] and g["status"] == "wrong window" for g in ob["gold"])]
    if also:
        out.append(f"Obligations with another window than the gold duty whose sentence they cite ({len(also)}; "
                   "the gold duty itself also came back right):")
        for x in also:
            out.append(f"  [{x['doc']}] {x['window']} (gold {', '.join(x['gold_ids'])}): {excerpt(x['quote'], 100)}")
    if missing:
        out.append(f"Missing ({len(missing)} gold duties: no obligation citing the sentence carries a time):")
        for g in missing:
            got = f"; same sentence: {' | '.join(g['returned'])}" if g["returned"] else "; no obligation cites it"
            out.append(f"  {g['id']} [{g['doc']}] \"{g['expected'].get('text')}\" — "
                       f"\"{excerpt(g['evidence'], 80)}\"{got}")
    if actors:
        out.append(f"Actors not found on a right duty ({len(actors)}):")
        for g in actors:
            out.append(f"  {g['id']} [{g['doc']}] missing {', '.join(g['actors_missing'])}")
    extra = [x for x in ob["unmatched"] if x["status"] == "extra"]
    if extra:
        out.append(f"Returned with a time no gold duty has ({len(extra)}), per document:")
        for doc in sorted({x["doc"] for x in extra}):
            out.append(f"  {doc}:")
            for x in extra:
                if x["doc"] == doc:
                    out.append(f"    {'dated  ' if x['dated'] else 'undated'} {x['window']}: {excerpt(x['quote'], 90)}")
    if ob.get("skipped_gold"):
        out.append(f"Gold duties of documents not in the store, left out: {len(ob['skipped_gold'])}")
    return out


# ----------------------------------------------------------------------------------------------
# Failing questions
# ----------------------------------------------------------------------------------------------

def failure_record(o: dict, reasons: list[str]) -> dict:
    return {"id": o["id"], "set": o["set"], "kind": o["kind"], "doc": o["doc"], "question": o["question"],
            "has_evidence": o["has_evidence"], "rank": o["rank"], "answer_kind": o["answer_kind"], "answer": o["answer"], "why": reasons,
            "quotes": o["quotes"], "cited_docs": o["cited_docs"], "deadlines": o["deadlines"],
            "search_top": o["search_top"], "unstable": o["unstable"]}


def failures_text(variant: str, failures: list[dict], kinds_total: dict[str, int]) -> list[str]:
    out = [f"== {variant}: {len(failures)} questions answered wrong =="]
    by_kind: dict[str, list[dict]] = {}
    for x in failures:
        by_kind.setdefault(x["kind"], []).append(x)
    for kind in sorted(by_kind, key=lambda k: (-len(by_kind[k]), k)):
        xs = by_kind[kind]
        out.append("")
        out.append(f"-- {kind}: {len(xs)} of {kinds_total.get(kind, len(xs))} --")
        for x in xs:
            rank = "n/a" if not x["has_evidence"] else ("miss" if x["rank"] is None else str(x["rank"]))
            out.append(f"[{x['id']}] {x['doc']} · search rank {rank} · answer kind {x['answer_kind']}")
            out.append(f"  Q: {x['question']}")
            out.append(f"  A: {excerpt(x['answer'], 300)}")
            if x["cited_docs"]:
                out.append(f"  cited: {', '.join(x['cited_docs'])}")
            out.append(f"  why: {'; '.join(x['why'])}")
    return out


def failures_by_kind(failures: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for x in failures:
        counts[x["kind"]] = counts.get(x["kind"], 0) + 1
    return counts
