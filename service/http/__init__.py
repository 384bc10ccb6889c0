"""The HTTP API (CONTRACT "HTTP API"): FastAPI over one shared :class:`~service.knowledge.KnowledgeBase`.

- Routes (``routes/``): ``POST /api/ask``, ``GET /api/search``, ``GET /api/obligations``,
  ``GET /api/obligations.ics``, ``GET /api/documents``, ``GET /api/documents/{doc_id}``,
  ``POST /api/lessons`` (and ``.docx`` / ``.md``), ``GET /api/roles``, ``GET /healthz``, ``GET /``
  (the web chat) and ``/static``; OpenAPI at ``/openapi.json``, docs at ``/docs``;
  ``POST /api/documents`` (upload), ``DELETE /api/documents/{doc_id}`` and ``POST /api/admin/backup``
  for admin keys. Keys, scopes, limits and headers: ``security``.
- Errors (``errors``): always ``{"error": {"code": str, "message": str}}`` with a Vietnamese message;
  bad input is a 4xx (validation errors are translated field by field), never a 500. A real bug is
  logged and answered with a 500 in the same shape.
- Concurrency: the routes are synchronous and run in the server's thread pool. The store serializes
  its own engine access and publishes documents atomically, the retriever's caches are locked, and
  the lazily loaded pieces (the word segmenter's model, the term statistics) are warmed up before the
  first request, so the one shared KnowledgeBase is safe under concurrent requests.

The app is ``service.http.app.create_app``; this package file imports nothing, so that a module of it
(``keys``, ``uploads``…) can be imported without building the app.
"""
