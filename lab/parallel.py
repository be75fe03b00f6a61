"""Independent tasks run in this process or on a Dask cluster, with results in task order.

The lab's heavy work (a sweep's chunks of runs, a claim hunt's search streams, the adversary's
restarts) is cut into *deterministic tasks*: each task carries everything it depends on (its
parameters and its own seed), so its result is the same bits wherever it runs. :func:`map_tasks`
runs a list of tasks and returns their results **in task order**, whatever order they finish
in; so one process, two local worker processes or a cluster of a hundred machines give the same
result, and the in-process path is a plain loop (exactly what the lab did before it could
distribute anything).

Where the work runs is a *scheduler* spec (the CLI's ``--scheduler``):

* ``"none"`` (the default): in this process;
* ``"local"`` or ``"local:N"``: a :class:`distributed.LocalCluster` of N worker processes
  (one thread each) on this machine, started for the command and closed after it;
* an address such as ``"tcp://host:8786"``: a running ``dask scheduler`` with its workers
  (``dask worker tcp://host:8786`` on each machine, or dask-jobqueue on a batch system).

dask and distributed are an optional dependency (``pip install 'clipping-lab[dask]'``),
imported only when a scheduler other than ``"none"`` is asked for.

Failures: a task whose worker dies is re-run elsewhere, and a task that raises is tried once
more (dask's ``retries``); a task that fails twice stops the whole computation with a
:class:`TaskFailed` naming the task's parameters, so no result is ever silently missing.
Ctrl-C cancels the outstanding tasks before the interrupt propagates.

Examples
--------
>>> map_tasks(pow, [(2, 3), (3, 2)], star=True)
[8, 9]
>>> with open_client("none") as client:
...     map_tasks(abs, [-1, 2, -3], client=client)
[1, 2, 3]
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lab.errors import LabInputError

__all__ = ["INSTALL_HINT", "SCHEDULER_FORMS", "Scheduler", "TaskFailed", "dask_available",
           "parse_scheduler", "open_client", "worker_count", "map_tasks"]

#: How to install the optional dependencies (said by every error that needs them).
INSTALL_HINT = "pip install 'clipping-lab[dask]' (dask, distributed and zarr)"

#: The accepted forms of a scheduler spec, for help texts and errors.
SCHEDULER_FORMS = ("'none' (in this process), 'local' or 'local:N' (N worker processes on "
                   "this machine) or a scheduler address such as 'tcp://host:8786'")

#: Dask's setting for how often a task may lose its worker: once more after the first loss.
ALLOWED_WORKER_LOSSES = 1

#: Extra tries of a task that raised (dask ``retries``): one, so a task fails after two tries.
RETRIES = 1

_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://[^\s/]+$")
_LOCAL = re.compile(r"^local(?::(\d+))?$")


@dataclass(frozen=True)
class Scheduler:
    """A parsed scheduler spec: ``kind`` is ``"none"``, ``"local"`` or ``"address"``.

    Examples
    --------
    >>> parse_scheduler("local:3")
    Scheduler(kind='local', workers=3, address=None)
    """

    kind: str
    workers: int | None = None
    address: str | None = None

    def __str__(self) -> str:
        if self.kind == "local":
            return "local" if self.workers is None else f"local:{self.workers}"
        return self.address if self.kind == "address" else "none"


def parse_scheduler(spec: Any) -> Scheduler:
    """Validate a scheduler spec (see the module docstring); one-line LabInputError if bad.

    Examples
    --------
    >>> parse_scheduler("none").kind, parse_scheduler("tcp://10.0.0.5:8786").address
    ('none', 'tcp://10.0.0.5:8786')
    >>> parse_scheduler("local:0")
    Traceback (most recent call last):
    ...
    lab.errors.LabInputError: --scheduler must be 'none' (in this process), 'local' or \
'local:N' (N worker processes on this machine) or a scheduler address such as \
'tcp://host:8786', got 'local:0'
    """
    if isinstance(spec, Scheduler):
        return spec
    text = spec.strip() if isinstance(spec, str) else None
    if text in (None, ""):
        raise LabInputError(f"--scheduler must be {SCHEDULER_FORMS}, got {spec!r}")
    if text == "none":
        return Scheduler("none")
    local = _LOCAL.match(text)
    if local:
        n = None if local.group(1) is None else int(local.group(1))
        if n is not None and not 1 <= n <= 4096:
            raise LabInputError(f"--scheduler must be {SCHEDULER_FORMS}, got {spec!r}")
        return Scheduler("local", workers=n)
    if _ADDRESS.match(text):
        return Scheduler("address", address=text)
    raise LabInputError(f"--scheduler must be {SCHEDULER_FORMS}, got {spec!r}")


def dask_available() -> bool:
    """Whether dask.distributed can be imported (the ``[dask]`` extra is installed).

    Examples
    --------
    >>> isinstance(dask_available(), bool)
    True
    """
    return all(importlib.util.find_spec(m) is not None for m in ("dask", "distributed"))


def _require_dask(what: str) -> None:
    if not dask_available():
        raise LabInputError(f"{what} needs dask.distributed, which is not installed; "
                            f"install it with {INSTALL_HINT}, or use --scheduler none")


@contextlib.contextmanager
def open_client(spec: Any = "none") -> Iterator[Any]:
    """A :class:`distributed.Client` for ``spec`` for the block, or ``None`` for ``"none"``.

    ``local[:N]`` starts a LocalCluster of N worker processes (default: the CPU count) with
    one thread each and closes it when the block ends; an address connects to a running
    scheduler (which is left running).

    Examples
    --------
    >>> with open_client("none") as client:
    ...     print(client)
    None
    """
    sched = parse_scheduler(spec)
    if sched.kind == "none":
        yield None
        return
    _require_dask(f"--scheduler {sched}")
    import dask
    from distributed import Client, LocalCluster

    if sched.kind == "address":
        try:
            client = Client(sched.address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise LabInputError(f"--scheduler {sched.address!r}: no Dask scheduler answered "
                                f"there ({type(exc).__name__}); start one with "
                                f"'dask scheduler' or use 'local:N'") from None
        with client:
            yield client
        return
    workers = sched.workers or os.cpu_count() or 1
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_WORKER_LOSSES}):
        # the scheduler's HTTP server (the dashboard, when bokeh is installed) on a free
        # loopback port: never a clash with another cluster on the default 8787
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client


def worker_count(client: Any) -> int:
    """Workers of ``client`` now (1 for ``None``: this process).

    Examples
    --------
    >>> worker_count(None)
    1
    """
    if client is None:
        return 1
    return max(1, len(client.scheduler_info().get("workers", {})))


class TaskFailed(RuntimeError):
    """A task failed on every try; the message names the task and the error.

    Attributes
    ----------
    task : str
        The task's description (its parameters).
    error : BaseException
        The last error it raised (``KilledWorker`` when its workers kept dying).
    """

    def __init__(self, task: str, error: BaseException):
        super().__init__(f"task {task} failed twice, the last time with "
                         f"{type(error).__name__}: {error}")
        self.task = task
        self.error = error


def map_tasks(fn: Callable[..., Any], tasks: Sequence[Any], *, client: Any = None,
              star: bool = False, common: tuple = (), name: str = "task",
              describe: Callable[[Any], str] = repr,
              on_result: Callable[[int, Any], None] | None = None) -> list[Any]:
    """``[fn(*common, task) for task in tasks]``, in this process or on ``client``'s workers.

    Parameters
    ----------
    fn : callable
        A module-level function (workers import it by name).
    tasks : sequence
        The tasks; each carries (with ``common``) everything its result depends on, seeds
        included.
    client : distributed.Client, optional
        ``None``: a plain loop in this process.
    star : bool
        Call ``fn(*common, *task)`` instead of ``fn(*common, task)``.
    common : tuple
        Leading arguments shared by every task (a sweep's plan): sent to each worker once
        (``Client.scatter``), not with every task.
    name : str
        Prefix of the tasks' keys on the Dask dashboard.
    describe : callable
        A task's parameters in words, for :class:`TaskFailed`.
    on_result : callable, optional
        Called as ``on_result(index, result)`` as each task finishes (in finishing order):
        progress bars follow the futures, not the submission.

    Returns
    -------
    list
        The results in task order.

    Raises
    ------
    TaskFailed
        A task raised twice or lost its worker twice; the other tasks are cancelled.

    Examples
    --------
    >>> done = []
    >>> map_tasks(len, ["ab", "c"], on_result=lambda i, r: done.append(i))
    [2, 1]
    >>> done
    [0, 1]
    >>> map_tasks(divmod, [3, 4], common=(9,))
    [(3, 0), (2, 1)]
    """
    if client is None:
        results = []
        for index, task in enumerate(tasks):
            results.append(_call(fn, common, task, star))
            if on_result is not None:
                on_result(index, results[-1])
        return results
    return _map_on_cluster(fn, tasks, client=client, star=star, common=common, name=name,
                           describe=describe, on_result=on_result)


def _call(fn: Callable[..., Any], common: tuple, task: Any, star: bool) -> Any:
    return fn(*common, *task) if star else fn(*common, task)


def _map_on_cluster(fn, tasks, *, client, star, common, name, describe, on_result
                    ) -> list[Any]:
    from distributed import as_completed

    token = uuid.uuid4().hex[:12]
    keys = [f"{name}-{token}-{i}" for i in range(len(tasks))]
    n = len(tasks)
    shared = client.scatter([common], broadcast=True, hash=False)[0] if common else ()
    futures = client.map(_call, [fn] * n, [shared] * n, list(tasks), [star] * n, key=keys,
                         retries=RETRIES, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * n
    try:
        for future in as_completed(futures):
            i = index[future.key]
            if future.status != "finished":
                error = future.exception()
                raise TaskFailed(f"{i} of {n} ({describe(tasks[i])})", error)
            results[i] = future.result()
            future.release()
            if on_result is not None:
                on_result(i, results[i])
    except BaseException:  # TaskFailed, Ctrl-C, a failing callback: cancel what is left
        client.cancel(futures)
        raise
    return results
