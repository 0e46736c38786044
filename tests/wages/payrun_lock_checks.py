"""What the pay-run lock tests read: the records a lock holds, and a refusal checked to change
nothing.
"""

import pytest
from django.core.exceptions import ValidationError

from tests.wages.payrun_builders import everything, locks
from workshops.models import ProductionLock

RUN_1 = "PR-north-prison-2026-11-02"
RUN_2 = "PR-north-prison-2026-11-09"


def refusal(call) -> list[str]:
    """The messages ``call`` is refused with, having checked that it changed nothing."""
    before = {**everything(), "locks": locks(), "held": held()}
    with pytest.raises(ValidationError) as refused:
        call()
    assert {**everything(), "locks": locks(), "held": held()} == before
    return refused.value.messages


def held():
    return list(
        ProductionLock.objects.order_by("pk").values_list(
            "reference", "released_at", "finalised_at", "held_records", "held_attendance"
        )
    )


LOCKS = ("workshops_lockedrecord", "workshops_productionlock", "workshops_trainingattendance")
