"""National-scale benchmark and robustness harness (issue 5): dataset generator, load scenarios, reports.

Not a Django app: scripts that set Django up themselves (`config.settings.bench`) and talk to PostgreSQL.
"""
