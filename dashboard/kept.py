"""The values of the last few keys asked for (least recently used dropped first).

What a slider makes often but not always anew (service-area weights per radius, reachable posts per
rule, one planned post's spread) is kept here, bounded, so a long session does not grow without end.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `size` values by key; shared by the server's request threads. A value is made outside
    the lock (two threads asking at once may both make it; the one kept last stays)."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for `key`, else `make()` kept for it."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
