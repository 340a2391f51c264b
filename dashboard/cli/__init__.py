"""The ``kpi`` command line, over the same services as the app.

Errors of the project's own types become a message and exit status 1; nothing else is caught.
Commands live in small modules by area and import their services only when they run, so that
``kpi --help`` starts fast. Importing this package registers every command on :data:`main`.
"""

from dashboard.cli import data, maintenance, monthly, outlook, ranking, reports, review, users  # noqa: F401  (registers the commands)
from dashboard.cli.base import main

__all__ = ["main"]
