"""``core.garbage.collector_paused``: the cycle collector paused for bulk work, and resumed."""

import gc
import weakref

import pytest

from core.garbage import collector_paused


@pytest.fixture(autouse=True)
def collector_running():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_inside_and_running_after():
    with collector_paused():
        assert not gc.isenabled()

    assert gc.isenabled()


def test_as_a_decorator_each_call_pauses_and_resumes():
    @collector_paused()
    def work():
        return gc.isenabled()

    assert (work(), gc.isenabled(), work(), gc.isenabled()) == (False, True, False, True)


def test_nested_uses_resume_only_when_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()

    assert gc.isenabled()


def test_an_error_inside_still_resumes_it():
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018

    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()

    with collector_paused():
        pass

    assert not gc.isenabled()


def test_cycles_made_meanwhile_are_collected_after():
    class Node:
        pass

    with collector_paused():
        node = Node()
        node.itself = node
        kept = weakref.ref(node)
        del node
        assert kept() is not None  # a cycle: reference counting alone does not free it

    assert kept() is None
