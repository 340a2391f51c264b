"""Storage layer: SQLAlchemy 2.0 models, the engine, migrations and every query of the project."""
