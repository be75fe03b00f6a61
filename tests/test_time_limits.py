"""The CPU-time limit on symbolic work (``lab.time_limits``) and its use by the planted sweep:
a runaway check is stopped and reported "out of time", never counted as caught."""

from __future__ import annotations

import signal
import threading
import time

import pytest
import sympy as sp

from lab.derivation import check, registry
from lab.derivation import planted
from lab.derivation.planted import plant_errors, tally
from lab.errors import LabInputError
from lab.time_limits import OutOfTime, can_limit, cpu_time_limit

pytestmark = pytest.mark.skipif(not can_limit(), reason="needs a POSIX profiling timer")


def test_out_of_time_passes_every_except_exception():
    """sympy and the checker catch ``Exception`` around simplifiers; the limit must stop the
    work through them, within a small multiple of the limit."""
    start = time.process_time()
    with pytest.raises(OutOfTime):
        with cpu_time_limit(0.05):
            while time.process_time() < start + 20.0:   # bounded: a lost limit fails, not hangs
                try:
                    sp.simplify(sp.Symbol("x") ** 2 - 1)
                except Exception:  # noqa: BLE001 - the point of the test
                    pass
    assert time.process_time() - start < 5.0
    assert not issubclass(OutOfTime, Exception)


def test_a_lost_out_of_time_is_raised_again():
    """A handler runs anywhere, also where Python ignores exceptions (a finalizer): the limit
    fires again until the block is left. Here the work swallows the first three."""
    lost = []
    start = time.process_time()
    with pytest.raises(OutOfTime):
        with cpu_time_limit(0.02):
            while time.process_time() < start + 20.0:
                try:
                    spin(0.001)
                except OutOfTime:
                    if len(lost) == 3:
                        raise
                    lost.append(time.process_time())
    assert len(lost) == 3 and time.process_time() - start < 5.0
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_the_previous_alarm_handler_is_restored_and_no_timer_left():
    def mine(signum, frame):  # pragma: no cover - never delivered
        raise AssertionError("stray alarm")

    previous = signal.signal(signal.SIGPROF, mine)
    try:
        with cpu_time_limit(10.0) as limited:
            assert limited and signal.getitimer(signal.ITIMER_PROF)[0] > 0
        assert signal.getsignal(signal.SIGPROF) is mine
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
        with pytest.raises(OutOfTime):
            with cpu_time_limit(0.01):
                spin(5.0)
        assert signal.getsignal(signal.SIGPROF) is mine
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGPROF, previous)


def spin(seconds: float) -> None:
    """Use about ``seconds`` of CPU time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_limits_nest_an_inner_one_never_outlives_the_outer_one():
    """Inside an outer limit of 0.1 s an inner limit of 10 s still stops at the outer one's
    time; an inner limit that is caught leaves the outer one running with what it has left
    (it goes off later, in the outer block)."""
    start = time.process_time()
    with pytest.raises(OutOfTime) as caught:
        with cpu_time_limit(0.1):
            with cpu_time_limit(10.0):
                spin(5.0)
    assert caught.value.args[0] == 10.0 and time.process_time() - start < 2.0
    where = []
    with pytest.raises(OutOfTime) as caught:
        with cpu_time_limit(0.3):
            try:
                with cpu_time_limit(0.05):
                    spin(5.0)
            except OutOfTime:
                where.append("inner")
            spin(5.0)
    assert where == ["inner"] and caught.value.args[0] == 0.3
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_no_limit_without_seconds_or_off_the_main_thread():
    with cpu_time_limit(None) as limited:
        assert limited is False
    seen = []

    def worker():
        with cpu_time_limit(0.01) as limited:
            spin(0.05)   # not interrupted: signals go to the main thread only
            seen.append(limited)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [False]


@pytest.mark.parametrize("seconds", [0, -1.0, float("nan")])
def test_a_limit_must_be_positive(seconds):
    with pytest.raises(LabInputError, match="time limit"):
        with cpu_time_limit(seconds):
            pass  # pragma: no cover


def test_planted_checks_past_the_limit_are_out_of_time_not_caught(monkeypatch):
    """The same planted changes judged twice: as they are, every false change of the step is
    caught; with a checker that runs away (a stand-in that spins) and a limit of 0.05 s,
    each of them is "out of time" instead, and the changes that keep the claim true (never
    checked) are reported as before."""
    derivation = registry.load("order_lemmas")
    report = check(derivation)
    free = plant_errors(derivation, report, labels=("add_both",))
    monkeypatch.setattr(planted, "check_step", lambda *args: spin(60.0))
    seen = []
    start = time.process_time()
    rushed = plant_errors(derivation, report, labels=("add_both",), time_limit=0.05,
                          on_result=seen.append)
    assert time.process_time() - start < 30.0
    assert seen == rushed and len(rushed) == len(free)
    assert tally(free)["caught"] >= 1
    assert tally(rushed)["out of time"] == tally(free)["caught"] + \
        tally(free)["rejected, truth undecided"]
    assert tally(rushed)["kept true"] == tally(free)["kept true"]
    assert tally(rushed)["caught"] == 0 and tally(rushed)["MISSED"] == 0
    assert all("more than 0.05 s of CPU time" in r.detail for r in rushed
               if r.outcome == "out of time")
