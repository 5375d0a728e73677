"""API: its OpenAPI document (generated from the operations' shapes) and a reference page."""

from __future__ import annotations

from importlib.resources import files

from flask import current_app, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import escape

from app.api import bp
from app.api.spec import build_document, operation
from app.errors.domain import NotFound

INFO = {
    "title": "Talent Home API",
    "version": "1.0.0",
    "description": "Rooms and events of the Liwan–Nanhai Talent Homes.",
}
# Swagger UI as the flask-openapi3-swagger package bundles it; the page's own script and style are
# files too, as the Content-Security-Policy allows no inline script or style.
_SWAGGER = files("flask_openapi3_swagger") / "templates" / "swagger"
_OWN = files("app.api") / "static"
ASSETS = {
    "swagger-ui.css": (_SWAGGER / "css" / "swagger-ui.css", "text/css"),
    "swagger-ui-bundle.js": (_SWAGGER / "js" / "swagger-ui-bundle.js", "text/javascript"),
    "docs.css": (_OWN / "docs.css", "text/css"),
    "docs.js": (_OWN / "docs.js", "text/javascript"),
}
PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="stylesheet" href="docs/docs.css">
</head>
<body>
<main id="api-reference" data-spec="openapi.json">
<noscript><p>{noscript} <a href="openapi.json">openapi.json</a></p></noscript>
</main>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/docs.js"></script>
</body>
</html>
"""


@bp.get("/openapi.json")
@operation("This description", None, auth=False)
def openapi():
    document = current_app.extensions.get("api_document")
    if document is None:
        document = current_app.extensions["api_document"] = build_document(current_app, INFO)
    return document


@bp.get("/docs")
@operation("The API reference page", None, auth=False, media="text/html")
def docs():
    page = PAGE.format(
        lang="zh-Hans" if str(get_locale()).startswith("zh") else "en",
        title=escape(_("Talent Home API reference")),
        noscript=escape(_("The reference page needs JavaScript; the description itself is here:")),
    )
    return page, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/docs/<asset>")
@operation("A file of the reference page", None, "404", auth=False, media="text/css text/javascript")
def docs_asset(asset: str):
    if asset not in ASSETS:
        raise NotFound(_("No such file."))
    path, mimetype = ASSETS[asset]
    return send_file(path, mimetype=mimetype, max_age=86400)
