"""``python -m dashboard`` is the ``kpi`` command."""

from dashboard.cli import main

main(prog_name="kpi")
