"""Application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask

from config import Config, check_settings


def create_app(config_class: type = Config) -> Flask:
    """The app; a setting it cannot start with raises ConfigError (wsgi.py turns it into one line)."""
    check_settings()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    if not app.config.get("SECRET_KEY"):
        from config import _demo_secret_key

        app.config["SECRET_KEY"] = _demo_secret_key()
    from app.urls import init_urls

    init_urls(app)
    logging.basicConfig(level=logging.WARNING)
    app.logger.setLevel(logging.INFO)

    _init_extensions(app)

    from app.web import register_web

    register_web(app)

    from app.cli import register_cli

    register_cli(app)

    if os.environ.get("BENCHMARK_ROUTES") == "1":
        from app.bench_routes import register_bench_routes

        register_bench_routes(app)
    return app


def _init_extensions(app: Flask) -> None:
    """The database and its unit of work, migrations, logins, CSRF, rate limits and languages."""
    from app import models  # noqa: F401  (registers every table)
    from app.auth.loading import init_login
    from app.database import init_database
    from app.extensions import csrf, db, limiter, login_manager, migrate
    from app.i18n import init_i18n
    from app.unit_of_work import init_unit_of_work

    db.init_app(app)
    init_database(app)
    init_unit_of_work(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app)
    init_login(app)
