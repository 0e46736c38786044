"""Core's models: private files (core.private_files) and background jobs (core.jobs)."""

from core.jobs import Job
from core.private_files import PrivateFile

__all__ = ["Job", "PrivateFile"]
