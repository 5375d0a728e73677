"""The app's public address: absolute links from PUBLIC_BASE_URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app

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
