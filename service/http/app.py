"""The FastAPI app: one shared :class:`KnowledgeBase`, the routes of ``routes/``, and the middleware.

Middleware, outermost first: the client's address behind trusted proxies, observability (request
ids, access lines, /metrics — so the requests the guard refuses are logged and counted too), HEAD
answered as GET without the body, CORS when configured, the security guard (keys and scopes, rate
limits, body limit, headers), the error catch-all, the kept answers (cache.py: a kept response is
sent from there), then the query limiter (a few queries at a time, the rest queued), innermost.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Callable

from fastapi import FastAPI
from starlette.middleware import Middleware

from ingest.actors import match_role

from ..answers import answer_question
from ..config import Settings
from ..dutyindex import Stopped
from ..knowledge import KnowledgeBase
from ..errors import UserError
from ..retrieval.query import parse_question
from ..compaction import CompactionSchedule
from ..feedback import feedback_path
from ..index.worker import ParseWorker
from ..store import EdgeStore, StoreError
from . import errors, security
from .cache import KeptResponses, response_cache
from .concurrency import Activity, QueryLimiter, query_concurrency
from .head import HeadAsGet
from .proxies import ClientAddress, parse_networks
from .observability import install as install_observability
from . import routes
from .routes import web
from .routes.roles import picker_roles
from .uploads import UploadLimits

log = logging.getLogger("sotay.api")

DESCRIPTION = ("Hỏi đáp có trích dẫn nguyên văn trên văn bản của Đảng. "
               "Lỗi luôn có dạng {\"error\": {\"code\", \"message\"}} với thông báo tiếng Việt.")


# The warm-up waits while queries are inside, at most this long before each of its steps (seconds):
# a step shares the interpreter with the queries it would slow down; under a steady load the queries
# load what they need themselves, and the warm-up runs in the first lull (or after this wait).
WARM_UP_YIELD_S = 30.0
_WARM_UP_POLL_S = 0.02


def _give_way(busy: Callable[[], bool]) -> None:
    waited = 0.0
    while busy() and waited < WARM_UP_YIELD_S:
        time.sleep(_WARM_UP_POLL_S)
        waited += _WARM_UP_POLL_S


def _warm_up(kb: KnowledgeBase, then: Callable[[], None] | None = None,
             busy: Callable[[], bool] = lambda: False, stop: threading.Event | None = None) -> None:
    """Load what is loaded lazily (word segmenter model, term statistics, query caches), then run
    `then`. It runs in a thread beside the first requests (see _lifespan): each of them loads what it
    needs itself, once (the term statistics behind a lock; a cache read twice is read twice, nothing
    worse), so a first answer waits for its own needs only (before: every request waited for the whole
    warm-up, which read the catalog through the engine — 11.6 s at 200k chunks). Each step waits while
    queries are inside (`busy`): the first question is answered with the interpreter to itself.
    It also builds the duty index when the store keeps none (a store written by an older version: one
    read of every duty, 111 s at 200k chunks, which the first role or time question would otherwise
    wait for); `stop` ends that build at shutdown."""
    def first_loads() -> None:
        # What a question loads before it reads the store (parsing one loads the word segmenter, the
        # gazetteer, the typo syllables), then the documents' metadata: a first question arriving
        # meanwhile waits for these once, where a search of the warm-up's own would hold the
        # interpreter for work the question does not share.
        parse_question("Hạn hoàn thành kế hoạch học tập là khi nào?")
        if hasattr(kb, "meta"):
            kb.meta(["public"])

    def roles() -> None:
        picker_roles()
        match_role("bí thư chi bộ")

    def duty_index() -> None:
        if hasattr(kb, "duty_index"):
            kb.duty_index(stop=stop)

    for step in (first_loads, lambda: kb.search("kế hoạch học tập", k=1),
                 lambda: answer_question(kb, "Hạn hoàn thành kế hoạch học tập là khi nào?"), roles, duty_index):
        _give_way(busy)
        if stop is not None and stop.is_set():
            return
        try:
            step()
        except (UserError, Stopped):
            pass
        except Exception:  # warming up must never stop the server; the first request will say what is wrong
            log.exception("warm-up failed")
    if then is not None and not (stop is not None and stop.is_set()):
        _give_way(busy)
        try:
            then()
        except Exception:  # the first upload starts it, and says what is wrong
            log.exception("warm-up failed")


def _lifespan(kb: KnowledgeBase | None, settings: Settings):
    """Open the knowledge base at start-up unless one was given (then its owner closes it)."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = kb is None
        the_kb = kb
        if own:
            try:
                the_kb = KnowledgeBase(settings)
            except StoreError as e:
                log.error("%s", e.message)
                raise
        app.state.kb = the_kb
        # Uploads are read and parsed in a worker process, away from the queries (index/worker.py).
        worker = None
        if getattr(the_kb, "parser", False) is None:  # a knowledge base that parses here: give it the worker
            worker = the_kb.parser = ParseWorker(timeout=settings.parse_timeout, memory_mb=settings.parse_memory_mb)
        schedule = None
        if settings.compact_after > 0 and isinstance(getattr(the_kb, "store", None), EdgeStore):
            schedule = CompactionSchedule(the_kb, settings.compact_after)
            schedule.start()
        # The upload worker's fork server (which loads the segmenter in its own process) starts after
        # the warm-up, not beside the first requests on a 2-core machine; an upload before then starts it.
        stop = threading.Event()  # set at shutdown: the warm-up ends between its steps or pages
        warm = threading.Thread(target=_warm_up, args=(the_kb, worker.start if worker is not None else None,
                                                       app.state.activity.busy, stop), name="sotay-warm-up", daemon=True)
        warm.start()
        security.announce(app)
        try:
            yield
        finally:
            stop.set()
            warm.join()  # before the store closes under it
            if schedule is not None:
                schedule.stop()
            app.state.kb = None
            if worker is not None:
                worker.close()
                if the_kb.parser is worker:
                    the_kb.parser = None
            if own:
                the_kb.close()

    return lifespan


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None, *,
               web_dir: Path | str | None = None) -> FastAPI:
    """The app. With `kb`, it is used as is and left open at shutdown (its owner closes it);
    otherwise a KnowledgeBase is opened on `settings` (default: the environment) at start-up and
    closed at shutdown. `web_dir` overrides where the web chat lives (default `service/web/`)."""
    # Keys, limits and CORS come from `settings`, else the given knowledge base's, else the environment.
    settings = settings or getattr(kb, "settings", None) or Settings.from_env()
    # /docs and /redoc are served by routes/docs.py from bundled assets (FastAPI's own load a CDN)
    app = FastAPI(title="Sổ tay", description=DESCRIPTION, version="0.1.0", lifespan=_lifespan(kb, settings),
                  docs_url=None, redoc_url=None)
    app.state.upload_limits = UploadLimits.from_settings(settings)
    app.state.response_cache = response_cache(settings.response_cache_mb)  # answers kept until the next write
    app.state.feedback_file = feedback_path(settings.data_dir, settings.feedback_file)
    errors.install(app)
    security.install(app, settings)  # keys and scopes, rate limits, body limit, CSP and other headers, CORS
    app.add_middleware(HeadAsGet, routes=app.router.routes)  # outside the guard: HEAD is checked as its GET
    app.user_middleware.append(Middleware(KeptResponses))  # kept answers: after the guard, before the queue
    app.state.activity = Activity()  # the queries inside, which the warm-up gives way to
    app.user_middleware.append(Middleware(QueryLimiter, limit=query_concurrency(settings),
                                          activity=app.state.activity))  # innermost
    install_observability(app, settings)
    # Outermost of all: the client behind a trusted proxy, as every layer inside logs and limits it.
    app.add_middleware(ClientAddress, trusted=parse_networks(settings.trusted_proxies))
    routes.install(app)
    web.install(app, Path(web_dir) if web_dir is not None else web.WEB_DIR)
    return app
