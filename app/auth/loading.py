"""How a request finds its user: the session cookie for pages, a bearer token for the API."""

from __future__ import annotations

from flask import Flask, request

from app.extensions import db, login_manager
from app.models import User


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(user_id: str):
        if request.path.startswith("/api/"):
            return None  # the API answers to bearer tokens only, so cookies cannot forge calls
        try:
            return db.session.get(User, int(user_id))
        except (TypeError, ValueError):
            return None

    @login_manager.request_loader
    def _load_from_bearer(req):
        header = req.headers.get("Authorization", "")
        if not request.path.startswith("/api/") or not header.lower().startswith("bearer "):
            return None
        from app.auth.services import user_for_api_token

        return user_for_api_token(header[7:].strip())
