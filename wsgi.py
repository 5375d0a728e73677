"""WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi …`.

A setting the app cannot start with stops it with one line naming the setting, not a traceback,
and exit status 4, which gunicorn takes as "the app cannot load" (it stops instead of retrying).

What loading made (the modules, the models, the routes: some 180,000 objects) lives as long as the
process, so it is moved out of the garbage collector's reach: a full collection pass over it took
some 70 ms, and stalled whatever request the worker was serving (with a sign-up's lock held, every
sign-up behind it)."""

import gc
import sys

from config import ConfigError

try:
    from app import create_app

    app = create_app()
    gc.collect()
    gc.freeze()
except ConfigError as error:
    print(f"Configuration error: {error}", file=sys.stderr)
    sys.exit(4)
