"""The mapping of our account codes to the national chart of accounts, read from
``chart_of_accounts.csv`` (``settings.BRIDGEWORK_CHART_OF_ACCOUNTS`` may name another file):

    pattern,number,name

``pattern`` is one of our account codes, where ``*`` stands for any run of characters
(``worker:*:own-spending*`` covers every worker's own spending); ``number`` and ``name`` are the
national chart's account. Rows are tried in the file's order and the first that matches wins, so
a specific pattern goes above a general one. An account no row covers is never exported: the
export is refused, naming it (``MappingGap``), so nothing reaches the accounting system unmapped.

    load_chart(path=None) -> Chart
    Chart.map(code) -> GlAccount | None
    Chart.refuse_gaps(codes) -> None      ``MappingGap`` naming the codes no row covers
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT = Path(__file__).with_name("chart_of_accounts.csv")
HEADER = ["pattern", "number", "name"]
REPORTED_GAPS = 20


@dataclass(frozen=True)
class GlAccount:
    number: str
    name: str


class MappingGap(ValidationError):
    """Accounts the chart's mapping does not cover."""


def _regex(pattern: str) -> re.Pattern:
    return re.compile(
        "".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", pattern))
        + r"\Z"
    )


class Chart:
    def __init__(self, rows: list[tuple[str, GlAccount]]):
        self.rows = [(pattern, _regex(pattern), account) for pattern, account in rows]
        self.map = functools.lru_cache(maxsize=65_536)(self._map)

    def _map(self, code: str) -> GlAccount | None:
        for _pattern, regex, account in self.rows:
            if regex.match(code):
                return account
        return None

    def refuse_gaps(self, codes) -> None:
        missing = []
        for code in codes:
            if self.map(code) is None:
                missing.append(code)
        if missing:
            shown = ", ".join(missing[:REPORTED_GAPS])
            if len(missing) > REPORTED_GAPS:
                shown += " " + _("and %(count)s more") % {"count": len(missing) - REPORTED_GAPS}
            raise MappingGap(
                _(
                    "No row of the chart-of-accounts mapping covers %(count)s account(s): "
                    "%(codes)s. Add a row for each to %(file)s and export again."
                )
                % {"count": len(missing), "codes": shown, "file": chart_path().name}
            )


def chart_path() -> Path:
    return Path(getattr(settings, "BRIDGEWORK_CHART_OF_ACCOUNTS", "") or DEFAULT)


def load_chart(path: Path | None = None) -> Chart:
    path = path or chart_path()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [cell.strip().lower() for cell in next(reader, [])]
        if header != HEADER:
            raise ValidationError(
                _("%(file)s must start with the header %(header)s.")
                % {"file": path.name, "header": ",".join(HEADER)}
            )
        rows = []
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != 3 or not all(cell.strip() for cell in cells):
                raise ValidationError(
                    _("%(file)s, line %(line)s: a row is a pattern, a number and a name.")
                    % {"file": path.name, "line": line}
                )
            pattern, number, name = (cell.strip() for cell in cells)
            rows.append((pattern, GlAccount(number, name)))
    return Chart(rows)
