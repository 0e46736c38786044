"""Compliance checks run from the back office: ``start_check`` (the operation) queues a task that
runs the rules (``compliance.rules.engine.run_check``) with its progress in the job and stores
the findings; ``admin`` is the screens (the checks, the run form, a check's page, its findings
with filters and exports, each finding's detail)."""
