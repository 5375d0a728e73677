"""WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi …`.

A setting the app cannot start with stops it with one line naming the setting, not a traceback,
and exit status 4, which gunicorn takes as "the app cannot load" (it stops instead of retrying)."""

import sys

from config import ConfigError

try:
    from app import create_app

    app = create_app()
except ConfigError as error:
    print(f"Configuration error: {error}", file=sys.stderr)
    sys.exit(4)
