"""CPU-time limits on symbolic work that may run away.

sympy offers no way to stop a ``solveset`` or a ``simplify`` that runs for hours (a heuristic
gcd on a planted claim does). :func:`cpu_time_limit` raises :class:`OutOfTime` inside the work
once the process has used the given CPU time in it, from a ``SIGPROF`` interval timer. CPU
time, not wall time: on a loaded machine a wall-clock limit would turn the same computation's
verdict into "out of time" depending on what else runs. ``OutOfTime`` derives from
``BaseException``, as ``KeyboardInterrupt`` does, so that the ``except Exception`` handlers
inside sympy (and the lab's own, around simplifiers that may fail) do not swallow it.

Limits nest: an inner limit ends no later than the outer one, and on the way out the outer
one's timer is restored with what is left of it (its alarm goes off at once if its time ran
out meanwhile). Once a limit is up, its timer fires again every :data:`RETRY` seconds of CPU
time until the block is left: a signal handler runs at any point of the work, also inside a
finalizer or a callback whose exceptions Python ignores, so one ``OutOfTime`` can be lost.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

from lab.validate import check_positive

#: the least CPU time a restored outer limit is given (setitimer treats 0 as "off")
_AT_ONCE = 1e-6
#: CPU seconds between repeated ``OutOfTime`` once a limit is up (see the module docstring)
RETRY = 0.05


class OutOfTime(BaseException):
    """The work under :func:`cpu_time_limit` used up its limit (``args[0]``: the limit, s)."""


def can_limit() -> bool:
    """Whether a limit can be enforced here: a POSIX profiling timer, in the main thread (the
    only one Python delivers signals to)."""
    return hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF") and \
        threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def cpu_time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`OutOfTime` in the ``with`` block once it has used ``seconds`` of the
    process's CPU time.

    Yields whether the limit is enforced: not for ``seconds=None``, and not where
    :func:`can_limit` is False (another thread, Windows), where the block runs unlimited.
    The previous ``SIGPROF`` handler is restored on the way out, and an enclosing limit's
    timer with the CPU time it has left.

    Examples
    --------
    >>> with cpu_time_limit(30.0) as limited:
    ...     total = sum(range(10))
    >>> total, limited
    (45, True)
    >>> import time
    >>> try:
    ...     with cpu_time_limit(0.01):
    ...         end = time.process_time() + 30.0
    ...         while time.process_time() < end:
    ...             try:
    ...                 pass
    ...             except Exception:   # does not catch OutOfTime
    ...                 pass
    ... except OutOfTime as exc:
    ...     print("out of time after", exc.args[0], "s")
    out of time after 0.01 s
    """
    if seconds is None or not can_limit():
        yield False
        return
    seconds = check_positive(seconds, "time limit")
    outer_left = signal.getitimer(signal.ITIMER_PROF)[0]
    started = time.process_time()

    active = [True]   # cleared first thing on the way out: a late signal then does nothing

    def on_timer(signum, frame):
        if active[0]:
            raise OutOfTime(seconds)

    previous = signal.signal(signal.SIGPROF, on_timer)
    signal.setitimer(signal.ITIMER_PROF, min(seconds, outer_left) if outer_left else seconds,
                     RETRY)
    try:
        yield True
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        if outer_left:
            used = time.process_time() - started
            signal.setitimer(signal.ITIMER_PROF, max(outer_left - used, _AT_ONCE), RETRY)
