"""Core's models: private files (core.private_files)."""

from core.private_files import PrivateFile

__all__ = ["PrivateFile"]
