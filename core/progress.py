"""Progress lines for long-running commands: "label  n/total (pct%)", one line, rewritten in place
on a terminal and printed every tenth step otherwise (logs, CI). The stream may be a management
command's ``self.stdout`` or ``self.stderr``."""

import sys
import time

from django.core.management.base import OutputWrapper


class Progress:
    def __init__(self, label: str, total: int, *, stream=None, quiet: bool = False):
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stdout
        self.quiet = quiet
        self.started = time.monotonic()
        self.interactive = getattr(self.stream, "isatty", lambda: False)()
        self._last_tenth = -1

    def step(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total)
        if self.quiet:
            return
        tenth = self.done * 10 // self.total
        if self.interactive:
            self._write("\r")
        elif tenth == self._last_tenth:
            return
        self._last_tenth = tenth
        self._write(self.line() + ("" if self.interactive else "\n"))

    def finish(self) -> None:
        if not self.quiet and self.interactive:
            self._write("\n")

    def line(self) -> str:
        percent = self.done * 100 // self.total
        seconds = time.monotonic() - self.started
        return f"  {self.label:<28} {self.done}/{self.total} ({percent}%) {seconds:.1f}s"

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):  # a command's: it would end every write
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
