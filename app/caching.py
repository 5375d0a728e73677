"""Responses that must never be kept by a browser or a proxy cache (personal data)."""

from __future__ import annotations

from functools import wraps

from flask import make_response


def no_store(view):
    """Send `Cache-Control: private, no-store`: a shared computer's back button or a proxy must not
    keep a copy of what the response holds about a person."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "private, no-store"
        return response

    return wrapper
