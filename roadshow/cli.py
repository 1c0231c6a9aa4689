"""The ``roadshow`` command (the console script): it launches the command group in
roadshow.commands. ``roadshow serve`` runs on gevent, which must patch the standard library before
anything else imports it, so the group (and with it the whole application) is imported only
after that: the one deliberate import inside a function besides ``create_app``'s.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        # gevent must patch the standard library before anything else imports it
        from gevent import monkey

        monkey.patch_all()
        # FlaskGroup sets FLASK_RUN_FROM_CLI, which makes Flask-SocketIO fall back to threading
        os.environ.setdefault("ROADSHOW_ASYNC_MODE", "gevent")
    from roadshow.commands import cli

    cli.main(prog_name="roadshow")
