"""The app's public address: absolute links from PUBLIC_BASE_URL, redirects only to paths of this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit

from flask import Flask, current_app, url_for

DEFAULT_PORTS = {"http": 80, "https": 443}


def init_urls(app: Flask) -> None:
    """Check PUBLIC_BASE_URL once at start-up."""
    base = urlsplit(app.config["PUBLIC_BASE_URL"].strip())
    if base.scheme not in DEFAULT_PORTS or not base.hostname or base.query or base.fragment:
        raise RuntimeError("PUBLIC_BASE_URL must be an http or https address, e.g. https://talent-home.example.org")
    app.config["PUBLIC_BASE_URL"] = f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}"


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint under PUBLIC_BASE_URL. The request's Host plays no part, so
    a link is the same in a page, an API answer, a feed, or a mail queued by a CLI command."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """target when it is a path of this site, else fallback (by default the home page)."""
    return target if is_local_path(target) else (fallback or url_for("main.index"))


def is_local_path(target) -> bool:
    """A path starting with one "/" and naming no scheme or host however a browser reads it:
    "//host", "/\\host", "https:host", tabs or newlines (which browsers drop), and the same
    hidden by percent-encoding are all refused."""
    if not isinstance(target, str) or not target.startswith("/"):
        return False
    for text in (target, unquote(target)):
        if text.startswith("//") or "\\" in text or any(unicodedata.category(ch) == "Cc" for ch in text):
            return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def local_referrer(referrer: str | None) -> str | None:
    """The path of the referring page when its origin is PUBLIC_BASE_URL's; any other referrer is ignored."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer)
        same_origin = _origin(parts) == _origin(urlsplit(current_app.config["PUBLIC_BASE_URL"]))
    except ValueError:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if same_origin and is_local_path(path) else None


def _origin(parts: SplitResult) -> tuple:
    scheme = parts.scheme.lower()
    return scheme, parts.hostname, parts.port or DEFAULT_PORTS.get(scheme)
