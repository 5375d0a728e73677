"""A small cache of rendered feeds, keyed by their validators (app/feeds/queries.py)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

Body = str | list[str] | list[bytes]


def _size(body: Body) -> int:
    return len(body) if isinstance(body, str) else sum(len(part) for part in body)


class RenderedFeeds:
    """A bounded, thread-safe cache: a feed is rendered again only when its validator changes. It
    holds at most `size` feeds and `budget` characters, so a worker's memory stays bounded."""

    def __init__(self, size: int = 256, budget: int = 16_000_000):
        self.size = size
        self.budget = budget
        self.items: OrderedDict[tuple, tuple[Body, int]] = OrderedDict()
        self.total = 0
        self.lock = Lock()

    def get(self, key: tuple, render: Callable[[], Body]) -> Body:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key][0]
        body = render()
        size = _size(body)
        if size > self.budget:
            return body
        with self.lock:
            if key in self.items:
                self.total -= self.items.pop(key)[1]
            self.items[key] = (body, size)
            self.total += size
            while len(self.items) > self.size or self.total > self.budget:
                self.total -= self.items.popitem(last=False)[1][1]
        return body


cache = RenderedFeeds()
