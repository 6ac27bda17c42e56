"""Analysis on a Dask cluster: the spaCy parse and the suggestion rules run on the workers
(``cluster_worker.py``), the project stays here with its one writer.

``connect(scheduler=...)`` joins a running scheduler (``tcp://HOST:8786``);
``connect(local_workers=N)`` starts a ``LocalCluster`` of N worker processes on this machine.
``Remote.results`` sends batches of texts and yields their plain results in article order,
with at most ``in_flight`` batches out at once, so memory stays flat whatever the corpus. A
worker that dies has its batch recomputed by the scheduler on another worker; each batch is
received (and so written) once.
"""
from __future__ import annotations

from collections import deque
from contextlib import contextmanager
from itertools import islice


class ClusterError(Exception):
    """The cluster could not be reached or lost a batch; the message is one line for the user."""


class Remote:
    """A connected cluster that parses batches of articles with ``model``."""

    def __init__(self, client, model: str | None, in_flight: int | None = None):
        self.client, self.model, self._in_flight = client, model, in_flight

    @property
    def in_flight(self) -> int:
        """Batches out at once: as given, else two per worker thread (at least two)."""
        if self._in_flight:
            return self._in_flight
        return max(2, 2 * sum(self.client.nthreads().values()))

    def model_info(self) -> tuple[str, int]:
        """(label, max_length) of the pipeline as the workers load it."""
        from annotator.nlp.cluster_worker import model_info
        return self._result(self.client.submit(model_info, self.model, pure=False))

    def results(self, items, lemmas: frozenset, batch_size: int):
        """``(article_id, results)`` of each ``(text, article_id)`` of ``items``, in order."""
        from annotator.nlp.cluster_worker import parse_batch
        items = iter(items)
        pending: deque = deque()
        try:
            while True:
                limit = self.in_flight
                while len(pending) < limit:
                    batch = list(islice(items, batch_size))
                    if not batch:
                        break
                    pending.append(self.client.submit(parse_batch, self.model, lemmas, batch,
                                                      pure=False))
                if not pending:
                    return
                future = pending.popleft()
                results = self._result(future)
                future.release()
                yield from results
        finally:  # cancelled, finished or failed: nothing is left running for us
            if pending:
                self.client.cancel(list(pending))

    def _result(self, future):
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError
        try:
            return future.result()
        except KilledWorker as exc:
            why = f"the {exc.allowed_failures + 1} workers that ran it died"
        except (FutureCancelledError, OSError) as exc:  # e.g. the scheduler went away
            why = str(exc).splitlines()[0]
        raise ClusterError(f"a batch was lost on the cluster ({why}); what was analysed is "
                           f"kept: run analyze again to resume")


@contextmanager
def connect(scheduler: str | None = None, local_workers: int = 0, model: str | None = None,
            *, in_flight: int | None = None):
    """A ``Remote`` on the scheduler at ``scheduler``, or on a new ``LocalCluster`` of
    ``local_workers`` single-threaded worker processes; every worker loads ``model`` once."""
    from distributed import Client, LocalCluster

    from annotator.nlp.cluster_worker import ModelPlugin
    if not scheduler and local_workers < 1:
        raise ClusterError(f"a local cluster needs at least 1 worker, not {local_workers}")
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)  # waits distributed.comm.timeouts.connect (30 s)
        else:
            cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None,
                                   scheduler_kwargs={"dashboard": False})
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = scheduler or f"a local cluster of {local_workers} worker(s)"
        raise ClusterError(f"could not reach the Dask scheduler at {where}: {exc}") from exc
    try:
        client.register_plugin(ModelPlugin(model))
        yield Remote(client, model, in_flight)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
