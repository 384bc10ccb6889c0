"""The `sotay` command line (CONTRACT: ingest, ask, search, obligations, documents, serve).

Exit status: 0 on success, 1 on a user error (one Vietnamese line on stderr), 2 on bad usage.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from typing import Any, Callable

from .config import Settings


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ '{value}' (dạng YYYY-MM-DD)")


def _kb(settings: Settings):
    from .knowledge import KnowledgeBase

    return KnowledgeBase(settings)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .progress import ProgressBar, refusals, summary
    from .store.optimize import OPTIMIZE_FROM_POINTS

    paths = args.paths or [str(settings.corpus_dir)]
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    with _kb(settings) as kb:
        report = kb.ingest_paths(paths, progress=ProgressBar(sys.stderr) if show else None, replace=args.replace)
        written = sum(i.chunks + i.obligations for i in report.items if i.status in ("added", "updated"))
        # the server then opens the store without loading every vector into memory (store/edge.py)
        if written >= OPTIMIZE_FROM_POINTS and hasattr(kb.store, "optimize"):
            if show:
                print("Đang tối ưu chỉ mục của kho dữ liệu…", file=sys.stderr)
            kb.store.optimize()
        if written:
            kb.keep_caches()
    if args.json:
        _print_json(report.to_json())
    else:
        for line in refusals(report):
            print(line, file=sys.stderr)
        for item in report.items:  # what a --replace replaced: another file, another access
            b, a = (item.replaced or {}).get("before"), (item.replaced or {}).get("after")
            if item.status == "updated" and b and a and b != a:
                print(f"đã thay {item.number or item.doc_id}: tệp '{b['source']}' ({b['access']}) → "
                      f"tệp '{a['source']}' ({a['access']})")
        print(summary(report))
    ok = [i for i in report.items if i.status != "error"]
    return 0 if ok or not report.items else 1


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    with _kb(settings) as kb:
        hits = kb.search(args.query, k=args.k, doc=args.doc, type_=args.type)
    if args.json:
        _print_json({"hits": [h.to_json() for h in hits]})
    else:
        for n, h in enumerate(hits, 1):
            where = " ".join(x for x in (h.doc_number, h.section) if x)
            print(f"{n:2}. [{where}] {h.text[:300]}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .answers import answer_question

    with _kb(settings) as kb:
        ans = answer_question(kb, args.question, role=args.role)
    if args.json:
        _print_json(ans)
    else:
        print(ans["answer"])
        for c in ans["citations"]:
            print(f"  [{c['n']}] {c['doc_number'] or c['doc_id']} {c['section'] or ''}: “{c['quote']}”")
    return 0


def cmd_obligations(args: argparse.Namespace, settings: Settings) -> int:
    with _kb(settings) as kb:
        obs = kb.obligations(role=args.role, doc=args.doc, due_from=args.due_from, due_to=args.due_to)
    if args.ics:
        from .answers.ics import obligations_ics

        sys.stdout.buffer.write(obligations_ics(obs))
        return 0
    if args.json:
        _print_json({"obligations": obs})
        return 0
    for o in obs:
        d = o["deadline"]
        when = (d["text"] if d else None) or o.get("recurrence") or "không nêu thời hạn"
        cit = o["citation"]
        print(f"- {when}: {o['action']}  [{cit['doc_number']} {cit['section'] or ''}]")
        for ex in o.get("exceptions") or []:
            print(f"    ngoại lệ: {ex}")
    return 0


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    with _kb(settings) as kb:
        docs, missing = kb.documents()
    if args.json:
        _print_json({"documents": docs, "missing": missing})
        return 0
    print("Văn bản trong kho:")
    for d in docs:
        print(f"  {d['number'] or d['doc_id']:14} {d['type'] or '':10} {d['issued'] or '':10} {d['title'] or ''}"
              + ("  (trích)" if d["completeness"] == "partial" else ""))
    print("Văn bản được dẫn chiếu nhưng chưa có trong kho:")
    for m in missing:
        known = ", ".join(x for x in (m["type"], m["issued"], m["issuer"], m["title"]) if x)
        print(f"  {m['number']:14} {known}")
    return 0


def cmd_lesson(args: argparse.Namespace, settings: Settings) -> int:
    """A lesson outline: printed, or written to FILE.docx / FILE.md (a folder: named after the topic)."""
    from pathlib import Path

    from .errors import UserError
    from .lessons.export import lesson_docx, lesson_filename, lesson_markdown, lesson_text
    from .lessons.build import build_lesson

    out = Path(args.out) if args.out else None
    if out is not None and out.is_dir():
        out = out / lesson_filename(args.topic, "docx")
    if out is not None and out.suffix.lower() not in (".docx", ".md"):
        raise UserError("bad_out", f"Tệp ra '{args.out}' phải có đuôi .docx hoặc .md, ví dụ bai-giang.docx.")
    with _kb(settings) as kb:
        lesson = build_lesson(kb, args.topic, documents=args.doc)
    if out is not None:
        data = lesson_docx(lesson) if out.suffix.lower() == ".docx" else lesson_markdown(lesson).encode("utf-8")
        try:
            out.write_bytes(data)
        except OSError as e:
            raise UserError("cannot_write", f"Không ghi được tệp '{out}': {e.strerror or e}.") from None
        print(f"Đã ghi bài giảng vào {out}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        _print_json(lesson)
    elif out is None:
        print(lesson_text(lesson), end="")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.qdrant_url:  # the embedded store: the disk reads what its open and first queries read, as we import
        from .store import datadir, prefetch

        prefetch.hold(os.path.join(settings.data_dir, datadir.SHARD_DIR))
    import uvicorn

    from .http.app import create_app
    from .http.observability import configure_logging

    # One JSON object per line (or text): our lines (the security summary at start-up, one audit line per
    # admin action, one access line per request with its id) and uvicorn's at INFO, other libraries' warnings.
    configure_logging(args.log_format, args.log_level)
    app = create_app(settings)
    from .backup import announce_service, withdraw_service

    announce_service(settings, app, args.host, args.port)  # lets `sotay backup` reach this service
    try:
        # proxy_headers=False: X-Forwarded-For is read by the app, from trusted proxies only (http/proxies.py).
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, log_config=None, access_log=False,
                    proxy_headers=False)
    finally:
        withdraw_service(settings)
    return 0


# ---- backup, restore, migrate (service/backup.py) ----------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from .backup import backup

    s = backup(settings, args.file)
    if args.json:
        _print_json(s.to_json())
    else:
        via = " (qua dịch vụ đang chạy)" if s.via == "service" else ""
        print(f"Đã sao lưu {s.documents} văn bản, {s.points} điểm vào {args.file}{via}: "
              f"{_mb(s.bytes)}, {s.seconds:.1f} giây; đã đọc lại để kiểm tra.")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from .backup import restore

    s = restore(settings, args.file, force=args.force)
    if args.json:
        _print_json(s.to_json())
    else:
        print(f"Đã khôi phục {s.documents} văn bản, {s.points} điểm từ {args.file} ({s.seconds:.1f} giây); "
              "số văn bản và số điểm của từng văn bản đã được kiểm tra.")
    return 0


def cmd_compact(args: argparse.Namespace, settings: Settings) -> int:
    from .backup import compact

    s = compact(settings)
    if s is None:
        message = "Kho trên máy chủ Qdrant tự dọn các điểm đã xóa; không cần nén."
        _print_json({"compacted": False, "message": message}) if args.json else print(message)
        return 0
    if args.json:
        _print_json(s.to_json())
    else:
        via = " (qua dịch vụ đang chạy)" if s.via == "service" else ""
        print(f"Đã nén kho{via}: {s.documents} văn bản, {s.points} điểm; thư mục dữ liệu còn {_mb(s.bytes)} "
              f"(giải phóng {_mb(s.freed)}), {s.seconds:.1f} giây. Văn bản đã xóa hoặc đã thay không còn trong các "
              "tệp dữ liệu.")
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from .backup import migrate

    s = migrate(settings, args.to, collection=args.collection, source_file=args.from_file)
    if args.json:
        _print_json(s.to_json())
    else:
        src = args.from_file or str(settings.data_dir)
        print(f"Đã chuyển {s.documents} văn bản ({s.points} điểm; {s.unchanged} đã có sẵn) từ {src} sang "
              f"{args.to}, collection {args.collection or settings.collection} ({s.seconds:.1f} giây); "
              "số điểm của từng văn bản đã được kiểm tra.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sotay", description="Sổ tay: hỏi đáp có trích dẫn trên văn bản của Đảng.")
    sub = p.add_subparsers(dest="command", required=True)
    _knowledge_commands(sub)
    _operations_commands(sub)
    return p


def _knowledge_commands(sub: Any) -> None:
    """ingest, ask, search, obligations, documents, lesson."""
    s = sub.add_parser("ingest", help="nạp tệp hoặc thư mục (mặc định: corpus/)")
    s.add_argument("paths", nargs="*")
    s.add_argument("--replace", action="store_true",
                   help="cho phép thay văn bản đang có từ tệp khác hoặc đổi quyền truy cập của nó")
    s.add_argument("--json", action="store_true")
    s.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help="thanh tiến độ trên stderr (auto: khi stderr là màn hình)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("ask", help="hỏi một câu")
    s.add_argument("question")
    s.add_argument("--role")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("search", help="tìm đoạn văn bản")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=10)
    s.add_argument("--doc")
    s.add_argument("--type")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("obligations", help="nhiệm vụ và thời hạn")
    s.add_argument("--role")
    s.add_argument("--doc")
    s.add_argument("--due-from", type=_date_arg)
    s.add_argument("--due-to", type=_date_arg)
    s.add_argument("--json", action="store_true")
    s.add_argument("--ics", action="store_true")
    s.set_defaults(func=cmd_obligations)

    s = sub.add_parser("documents", help="văn bản trong kho và văn bản còn thiếu")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_documents)

    s = sub.add_parser("lesson", help="soạn dàn ý bài giảng từ một chủ đề (in ra, hoặc ghi .docx / .md)")
    s.add_argument("topic")
    s.add_argument("--doc", action="extend", nargs="+", metavar="NUMBER", help="chỉ dùng các văn bản số này")
    s.add_argument("--out", metavar="FILE", help="ghi ra FILE.docx hoặc FILE.md (thư mục: tên theo chủ đề)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_lesson)


def _operations_commands(sub: Any) -> None:
    """serve, backup, restore, compact, migrate."""
    s = sub.add_parser("serve", help="chạy API HTTP và giao diện hỏi đáp")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--log-format", choices=("json", "text"), default="json",
                   help="nhật ký: mỗi dòng một đối tượng JSON (mặc định) hoặc văn bản thường")
    s.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("backup", help="sao lưu kho vào một tệp (được cả khi dịch vụ đang chạy)")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="khôi phục kho từ tệp sao lưu (thay toàn bộ kho)")
    s.add_argument("file")
    s.add_argument("--force", action="store_true", help="cho phép thay một kho đang có văn bản")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("compact", help="nén kho: xóa hẳn khỏi các tệp dữ liệu văn bản đã xóa hoặc đã thay "
                                       "(được cả khi dịch vụ đang chạy)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_compact)

    s = sub.add_parser("migrate", help="chép kho nhúng sang máy chủ hoặc cụm Qdrant")
    s.add_argument("--to", required=True, metavar="URL", help="ví dụ http://qdrant:6333")
    s.add_argument("--collection", help="mặc định SOTAY_COLLECTION (sotay)")
    s.add_argument("--from", dest="from_file", metavar="FILE", help="chép từ tệp sao lưu thay vì kho nhúng")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_migrate)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .index.embed import EmbedError
    from .errors import UserError
    from .store import StoreError

    settings = Settings.from_env()
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    try:
        code = func(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except (UserError, StoreError, EmbedError) as e:
        print(f"sotay: {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `sotay ask … | head`: the reader has gone; end quietly, as Unix tools do. Point stdout at
        # /dev/null so the interpreter's own flush at exit does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
