"""The app's public address: absolute links from PUBLIC_BASE_URL, redirects only to paths of this site."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from urllib.parse import SplitResult, unquote, urlsplit

from flask import Flask, Response, current_app, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ConfigError

DEFAULT_PORTS = {"http": 80, "https": 443}


def init_urls(app: Flask) -> None:
    """Check PUBLIC_BASE_URL once at start-up, and trust PROXY_FIX hops of X-Forwarded-* headers."""
    base = urlsplit(app.config["PUBLIC_BASE_URL"].strip())
    if base.scheme not in DEFAULT_PORTS or not base.hostname or base.query or base.fragment:
        raise ConfigError("PUBLIC_BASE_URL must be an http or https address, e.g. https://talent-home.example.org")
    app.config["PUBLIC_BASE_URL"] = f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}"
    hops = app.config["PROXY_FIX"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    app.before_request(_refuse_untrusted_host)
    app.add_template_global(urls_by_id)
    app.register_error_handler(SecurityError, _untrusted_host)


def _refuse_untrusted_host() -> None:
    """A Host outside TRUSTED_HOSTS is refused first, before hooks that would read it (CSRF, limits)."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def _untrusted_host(_error):
    """Answered without building any URL: for such a request Flask has none to build with."""
    message = _("This host name is not served here.")
    if request.path.startswith("/api/"):
        from app.errors import json_error

        return json_error(400, "bad_request", message)
    return Response(message, status=400, mimetype="text/plain")


# Stands for the id in the one URL `urls_by_id` builds; no object has it.
_ID_MARK = 9_876_543_210_123


def urls_by_id(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, **{key: n}, **values)` for many ids n, the route built once: a page linking
    each of a day's bookings would otherwise build the same route again for every link."""
    head, _mark, tail = url_for(endpoint, **{key: _ID_MARK}, **values).partition(str(_ID_MARK))
    return lambda n: f"{head}{int(n)}{tail}"


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
