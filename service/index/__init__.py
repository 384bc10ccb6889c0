"""Records → store points: sparse BM25 vectors (``sparse``), dense vectors (``embed``), and the points
and catalog entry of a document (``points``)."""
