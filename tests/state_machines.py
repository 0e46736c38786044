"""What the Hypothesis state machines share: how a search is run over one world built once."""

from collections.abc import Callable

from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test


def search_sequences(
    machine: Callable[[], RuleBasedStateMachine], *, examples: int, steps: int
) -> None:
    """Run ``examples`` sequences of up to ``steps`` steps of the machine ``machine()`` makes
    (each over the one world it closes over), with no deadline: a step is a database operation."""
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def replay_steps(machine_class, world, careless: str, steps, invariants) -> None:
    """Run ``steps`` (a machine's method name and its arguments) as Hypothesis would, each of
    ``invariants`` checked after each, on a ``machine_class`` over ``world`` that may take the
    ``careless`` step."""
    machine = type(
        f"{machine_class.__name__}_{careless}",
        (machine_class,),
        {"careless": frozenset({careless})},
    )(world)
    try:
        for name, arguments in steps:
            getattr(machine, name)(**arguments)
            for invariant in invariants:
                getattr(machine, invariant)()
    finally:
        machine.teardown()
