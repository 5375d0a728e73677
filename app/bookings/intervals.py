"""Time as intervals [start, end): joining busy ones and finding the free time between them."""

from __future__ import annotations

from datetime import datetime

Interval = tuple[datetime, datetime]


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(outer: Interval, busy: list[Interval]) -> list[Interval]:
    free, cursor = [], outer[0]
    for start, end in merge(busy):
        if start > cursor:
            free.append((cursor, min(start, outer[1])))
        cursor = max(cursor, end)
    if cursor < outer[1]:
        free.append((cursor, outer[1]))
    return [(s, e) for s, e in free if e > s]
