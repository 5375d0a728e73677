"""A small cache of rendered feeds, keyed by their validators (app/feeds/queries.py)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock


class RenderedFeeds:
    """A bounded, thread-safe cache: a feed is rendered again only when its validator changes."""

    def __init__(self, size: int = 256):
        self.size = size
        self.items: OrderedDict[tuple, str] = OrderedDict()
        self.lock = Lock()

    def get(self, key: tuple, render: Callable[[], str]) -> str:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        text = render()
        with self.lock:
            self.items[key] = text
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return text


cache = RenderedFeeds()
