"""Shaoxing platform-economy KPI target-tracking dashboard.

Layers, each importing only downward:
  domain core (``dashboard.*`` plain modules: plan, progress, tabular, validation, errors)
  storage (``dashboard.storage``: SQLAlchemy models, queries, migrations)
  services (``dashboard.services``: the only writers, one transaction each)
  edges (``dashboard.cli`` and the Streamlit pages in ``dashboard.ui`` / ``app.py``)
"""

__version__ = "0.1.0"
