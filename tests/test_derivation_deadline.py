"""The time limit on symbolic work (``lab.derivation.deadline``) and its use by the planted
sweep: a runaway check is stopped and reported "out of time", never counted as caught."""

from __future__ import annotations

import signal
import threading
import time

import pytest
import sympy as sp

from lab.derivation import check, registry
from lab.derivation.deadline import OutOfTime, can_limit, time_limit
from lab.derivation.planted import plant_errors, tally
from lab.errors import LabInputError

pytestmark = pytest.mark.skipif(not can_limit(), reason="needs a POSIX interval timer")


def test_out_of_time_passes_every_except_exception():
    """sympy and the checker catch ``Exception`` around simplifiers; the limit must stop the
    work through them, within a small multiple of the limit."""
    start = time.perf_counter()
    with pytest.raises(OutOfTime):
        with time_limit(0.05):
            while True:
                try:
                    sp.simplify(sp.Symbol("x") ** 2 - 1)
                except Exception:  # noqa: BLE001 - the point of the test
                    pass
    assert time.perf_counter() - start < 5.0
    assert not issubclass(OutOfTime, Exception)


def test_the_previous_alarm_handler_is_restored_and_no_timer_left():
    def mine(signum, frame):  # pragma: no cover - never delivered
        raise AssertionError("stray alarm")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with time_limit(10.0) as limited:
            assert limited and signal.getitimer(signal.ITIMER_REAL)[0] > 0
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with pytest.raises(OutOfTime):
            with time_limit(0.01):
                time.sleep(1.0)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_no_limit_without_seconds_or_off_the_main_thread():
    with time_limit(None) as limited:
        assert limited is False
    seen = []

    def worker():
        with time_limit(0.01) as limited:
            time.sleep(0.05)   # not interrupted: signals go to the main thread only
            seen.append(limited)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [False]


@pytest.mark.parametrize("seconds", [0, -1.0, float("nan")])
def test_a_limit_must_be_positive(seconds):
    with pytest.raises(LabInputError, match="time limit"):
        with time_limit(seconds):
            pass  # pragma: no cover


def test_planted_checks_past_the_limit_are_out_of_time_not_caught():
    """The same planted changes judged twice: with no limit every false change of the step is
    caught; with a limit shorter than any check each of them is "out of time" instead, and
    the changes that keep the claim true are reported as before."""
    derivation = registry.load("order_lemmas")
    report = check(derivation)
    free = plant_errors(derivation, report, labels=("add_both",))
    seen = []
    rushed = plant_errors(derivation, report, labels=("add_both",), time_limit=1e-6,
                          on_result=seen.append)
    assert seen == rushed and len(rushed) == len(free)
    assert tally(free)["caught"] >= 1
    assert tally(rushed)["out of time"] == tally(free)["caught"] + \
        tally(free)["rejected, truth undecided"]
    assert tally(rushed)["kept true"] == tally(free)["kept true"]
    assert tally(rushed)["caught"] == 0 and tally(rushed)["MISSED"] == 0
