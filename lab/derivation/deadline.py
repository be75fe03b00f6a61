"""A wall-clock limit on one piece of symbolic work.

sympy offers no way to stop a simplification that runs away (a heuristic gcd can take hours
on a planted claim, and how long depends on the process's hash seed, through the order of
sets of symbols). :func:`time_limit` raises :class:`OutOfTime` inside the work when its time is
up, from a ``SIGALRM`` timer. ``OutOfTime`` derives from ``BaseException``, as
``KeyboardInterrupt`` does, so that the ``except Exception`` handlers inside sympy and the
checker (a simplifier that fails proves nothing) do not swallow it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from lab.validate import check_positive


class OutOfTime(BaseException):
    """The work under :func:`time_limit` ran past its limit (``args[0]``: the limit, s)."""


def can_limit() -> bool:
    """Whether a limit can be enforced here: a POSIX interval timer, in the main thread (the
    only one Python delivers signals to)."""
    return hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`OutOfTime` in the ``with`` block once ``seconds`` of wall-clock time
    have passed.

    Yields whether the limit is enforced: not for ``seconds=None``, and not where
    :func:`can_limit` is False (another thread, Windows), where the block runs unlimited.
    The previous ``SIGALRM`` handler and timer are restored on the way out; limits do not
    nest (an inner one replaces the outer one's timer).

    Examples
    --------
    >>> with time_limit(30.0) as limited:
    ...     total = sum(range(10))
    >>> total, limited
    (45, True)
    >>> try:
    ...     with time_limit(0.01):
    ...         while True:
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

    def on_alarm(signum, frame):
        raise OutOfTime(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
