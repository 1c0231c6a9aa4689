"""Work that must not run on the server's event loop: parsing and rendering uploaded PDFs.

``roadshow serve`` runs gevent: one hub thread serves every request and every live room, so a
PDF parsed or rendered on it stalls them all for as long as it takes. :func:`off_loop` runs the
work on one real OS thread of its own (gevent's native thread pool when the standard library is
patched, a plain executor otherwise) while the calling greenlet waits without blocking the hub.
pypdfium2 and Pillow release the GIL in their C code, and pure-Python parsing (pypdf) yields it
every few milliseconds, so the hub keeps answering meanwhile.

One worker, so pdfium (which is not thread-safe) is only ever called from one thread, and a
flood of uploads queues instead of multiplying memory.

Imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from gevent import monkey

T = TypeVar("T")

_lock = threading.Lock()
_pool: Any = None
_pool_kind = ""


def _gevent_patched() -> bool:
    return bool(monkey.is_module_patched("threading"))


def _get_pool() -> tuple[str, Any]:
    global _pool, _pool_kind
    kind = "gevent" if _gevent_patched() else "thread"
    if _pool is not None and _pool_kind == kind:
        return _pool_kind, _pool
    with _lock:
        if _pool is None or _pool_kind != kind:
            if kind == "gevent":
                from gevent.threadpool import ThreadPool

                _pool = ThreadPool(1)
            else:
                _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roadshow-render")
            _pool_kind = kind
    return _pool_kind, _pool


def off_loop(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on the render thread; its result, or its exception re-raised."""
    kind, pool = _get_pool()
    if kind == "gevent":
        return pool.apply(function, args)
    return pool.submit(function, *args).result()
