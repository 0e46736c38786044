"""Python's cycle collector paused during bulk work (``collector_paused``).

A pay run computes and posts one line per worker, a batch of a few thousand at a time: each
batch's model instances, JSON values, tuples and postings live long enough to be promoted to the
oldest generation, and then die. Every few batches that promotion triggers a full collection,
which walks every object of the process (Django's own, some hundreds of thousands): measured at
40 % of the Python time of posting a run of 10,000 workers. The objects themselves are freed by
reference counting as soon as a batch is done, and the work makes almost no cycles (some 2,000 in
that whole run, from querysets and exceptions), so pausing the collector for the operation costs
no memory that matters; one collection of the youngest generation at the end picks those up.
"""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause the cycle collector for the block (or, as ``@collector_paused()``, the function),
    and resume it afterwards if it was running. Nested and concurrent uses are safe: the use that
    paused it resumes it when it ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)
