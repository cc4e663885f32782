"""The one mechanism for per-process caches of data that changes rarely: values kept for one
version of that data (a row every write changes), dropped whole when the version moves.

- `VersionedCache`: a bounded, thread-safe map for one version at a time. The facet index,
  whole catalogue pages, remembered actor names and the reference-data snapshot all use it.
- `read_version(name, reader)`: a version is read once per request (the first call reads,
  later calls in the same request get the same number), so that every cache a request
  touches agrees on one version and the database is asked once. `VersionsPerRequest`
  (middleware) opens that scope; outside a request (commands, tests) every call reads.
  `wrote_version(name, value)` tells the current request about its own write, and the
  process: `written_here(name)` is the last version of `name` this process wrote, which a
  cache that may lag behind (the facet index) must never lag behind (a writer sees its write).
- `in_request()`: inside a request's scope. Outside one (commands, tests, background
  threads) a cache brings itself up to date at once.
- `clear_all()`: every cache of the process, emptied (tests, and after a restore).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

V = TypeVar("V")
K = TypeVar("K", bound=Hashable)
_MISSING = object()

_caches: list[VersionedCache] = []
_versions: ContextVar[dict[str, Hashable] | None] = ContextVar("visiblework_versions",
                                                                default=None)
_written: dict[str, Hashable] = {}  # the last version of each name written by this process


class VersionedCache(Generic[V]):
    """Values for one version of some data, at most `max_entries` of them (least recently
    used go first). With `freeze`, the values are moved out of the garbage collector's way
    once built (many small, long-lived objects: walking them was most of the p99), and
    thawed again before the next version is built, so the old ones can be freed. A value
    brought up to date (`advance`, not built anew) is neither: it shares most of what it
    holds with the value before, which stays frozen (and is freed by reference counting
    when nothing uses it), and thawing would move every frozen object back into the
    collector's oldest generation, whose next pass would walk them all; freezing again
    would also pin whatever garbage waits for the collector at that moment."""

    def __init__(self, name: str, max_entries: int, *, freeze: bool = False) -> None:
        self.name = name
        self.max_entries = max_entries
        self.freeze = freeze
        self._lock = threading.Lock()
        self._version: Hashable = _MISSING
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        _caches.append(self)

    def get(self, version: Hashable, key: Hashable, build: Callable[[], V]) -> V:
        """The value of `key` at `version`, built (outside the lock) if it is not kept."""
        found = self.peek(version, key)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        if self.freeze:
            with self._lock:
                # One build at a time for a frozen (large) value: others wait for it.
                found = self._peek_locked(version, key)
                if found is not _MISSING:
                    return found  # type: ignore[return-value]
                gc.unfreeze()
                value = build()
                self._store_locked(version, key, value)
                gc.freeze()
                return value
        value = build()
        self.put(version, key, value)
        return value

    def get_many(self, version: Hashable, keys: list[K],
                 build: Callable[[list[K]], dict[K, V]]) -> dict[K, V]:
        """The values of `keys` at `version`: those kept, and those `build` gives for the
        others (called once, outside the lock, with the keys not kept; it may leave some
        out), which are kept."""
        with self._lock:
            found = {key: value for key in keys
                     if (value := self._peek_locked(version, key)) is not _MISSING}
        missing = [key for key in keys if key not in found]
        if missing:
            built = build(missing)
            with self._lock:
                for key, value in built.items():
                    self._store_locked(version, key, value)
            found.update(built)
        return found  # type: ignore[return-value]

    def peek(self, version: Hashable, key: Hashable) -> V | object:
        with self._lock:
            return self._peek_locked(version, key)

    def put(self, version: Hashable, key: Hashable, value: V) -> None:
        with self._lock:
            self._store_locked(version, key, value)

    def latest(self, key: Hashable) -> tuple[Hashable, V] | None:
        """The version held and its value of `key`, whatever the version: a cache that can
        bring an old value up to date (the facet index) starts from it."""
        with self._lock:
            value = self._values.get(key, _MISSING)
            return None if value is _MISSING else (self._version, value)  # type: ignore[return-value]

    def advance(self, version: Hashable, key: Hashable, value: V, *, replaces: V | None) -> bool:
        """Store `value` of `key` at `version` only if the value held is still `replaces`
        (None: nothing held), so that a value built without the lock (a background
        catch-up) never overwrites one stored meanwhile. Whether it was stored."""
        with self._lock:
            held = self._values.get(key)
            if held is not replaces:
                return False
            self._store_locked(version, key, value)
            return True

    def held_version(self) -> Hashable | None:
        """The version whose values are kept (None: none yet)."""
        with self._lock:
            return None if self._version is _MISSING else self._version

    def carry(self, held: Hashable, version: Hashable, keep: Callable[[Hashable], bool]) -> None:
        """Move the values kept for `held` to `version`, those whose key `keep` accepts (the
        others are dropped): for a cache whose owner knows what a version changed (rows of
        the cases a write did not touch). Nothing happens if the cache holds another version
        by now."""
        with self._lock:
            if self._version != held:
                return
            for key in [key for key in self._values if not keep(key)]:
                del self._values[key]
            self._version = version

    def clear(self) -> None:
        with self._lock:
            self._version = _MISSING
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

    def _peek_locked(self, version: Hashable, key: Hashable) -> V | object:
        if self._version != version:
            return _MISSING
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            self._values.move_to_end(key)
        return value

    def _store_locked(self, version: Hashable, key: Hashable, value: V) -> None:
        if self._version != version:
            self._values.clear()
            self._version = version
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self.max_entries:
            self._values.popitem(last=False)


def clear_all() -> None:
    """Empty every versioned cache of this process."""
    for cache in _caches:
        cache.clear()


def read_version(name: str, reader: Callable[[], Hashable]) -> Hashable:
    """The version `name`, read once per request (see the module's docstring)."""
    seen = _versions.get()
    if seen is None:
        return reader()
    if name not in seen:
        seen[name] = reader()
    return seen[name]


def wrote_version(name: str, value: Hashable) -> None:
    """This process changed version `name` to `value`: later reads in the request see the
    change, and `written_here(name)` is `value`."""
    _written[name] = value
    seen = _versions.get()
    if seen is not None:
        seen[name] = value


def written_here(name: str) -> Hashable | None:
    """The last version of `name` written by this process (None: none yet)."""
    return _written.get(name)


def in_request() -> bool:
    """Inside a request's scope (VersionsPerRequest)."""
    return _versions.get() is not None


@contextmanager
def request_scope() -> Iterator[None]:
    """One request's scope: every version read at most once in it, and caches that may lag
    behind do so rather than catch up on the request path (the WSGI page-cache front, which
    answers before Django, opens one too)."""
    token = _versions.set({})
    try:
        yield
    finally:
        _versions.reset(token)


class VersionsPerRequest:
    """Middleware: every version is read at most once per request."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
