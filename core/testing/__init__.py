"""Test helpers every app's tests may use (pytest fixtures live in tests/conftest.py)."""
