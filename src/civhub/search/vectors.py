"""The documents' vectors, one copy per host in a memory-mapped file, searched with numpy.

Two things seen with multilingual-e5 shape the scoring:
- each language's vectors sit in their own region of the space, so documents in one language
  crowd the top of every list; every vector is centred on its language's mean (and the query on
  the mean of the language it is written in) before comparing;
- similarities are bunched, so results are ranked, never cut at a raw score: a document is a
  candidate when it stands out from the rest for this query (its z-score over the corpus).
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import mmap
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from civhub.search import indexing, text
from civhub.search.embeddings import get_embedder, get_embedder_name
from civhub.search.models import SearchDocument
from civhub.search.table import Labels, Positions

#: how far above the corpus's mean similarity (in standard deviations) a candidate stands
#: (2.0 until the floors below decided whether a query is answered at all: 1.5 finds more of
#: the answers, docs/benchmarks.md)
MIN_Z = 1.5
#: below this many documents a z-score says little: every document is ranked
MIN_POPULATION = 50
#: the score (centred cosine less the hubness correction) one of a query's candidates must
#: reach for its neighbours to count as an answer: every query has neighbours that stand
#: out from its own scores ("zzzzzz", "pizza recipe" reach z = 3), but on the demo data no
#: query outside the hub's field brings a document past 0.037, and most real ones past 0.045
#: (docs/architecture.md, "When nothing is found")
MIN_SCORE = 0.045
#: the same for a candidate that shares a word with the query (among the lexical half's
#: matches, any word): the words corroborate what the meaning alone does not settle
MIN_SCORE_SHARED = -0.05
#: documents a language needs before its mean counts half (see _load)
SHRINK = 5
#: hubness correction (CSLS, Conneau et al. 2018): a document close to many others (a
#: country profile listing everything) is near every query; its score is lowered by
#: HUB_WEIGHT times its mean similarity to its HUB_K nearest documents, estimated against a
#: fixed sample of HUB_SAMPLE documents so that it stays linear in the corpus size
HUB_WEIGHT = 0.5
HUB_K = 10
HUB_SAMPLE = 1000


@dataclass
class Hit:
    doc_id: int
    score: float


#: the audience of a removed row: above every reader's level, so never found
TOMBSTONE = 127
#: room kept for documents added between full loads, as a share of the corpus
HEADROOM = 0.1
#: changes patched in place; more than this share of the corpus reloads everything
PATCH_SHARE = 0.05
#: leeway for clocks between the processes that write documents
CLOCK_SKEW = datetime.timedelta(seconds=5)
#: scoring is one matrix-vector product, bound by memory bandwidth: split over this many
#: threads of our own (numpy lets go of the GIL), it takes about half the time on 2 cores.
#: Our own threads, not BLAS's: those spin while idle and slow the model down (wsgi.py).
SCORING_THREADS = max(1, min(4, os.cpu_count() or 1))
#: below this many rows one thread is as fast
PARALLEL_ROWS = 20_000
_scoring_pool: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _scoring_pool
    if _scoring_pool is None:
        _scoring_pool = ThreadPoolExecutor(SCORING_THREADS, thread_name_prefix="civhub-scoring")
    return _scoring_pool


def similarities(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector, in row blocks on several threads when the matrix is large."""
    n = len(matrix)
    out = np.empty(n, dtype=np.float32)
    vector = np.ascontiguousarray(vector, dtype=np.float32)
    if n < PARALLEL_ROWS or SCORING_THREADS == 1:
        np.dot(matrix, vector, out=out)
        return out
    bounds = np.linspace(0, n, SCORING_THREADS + 1, dtype=int)

    def block(i: int) -> None:
        start, stop = bounds[i], bounds[i + 1]
        np.dot(matrix[start:stop], vector, out=out[start:stop])

    list(_pool().map(block, range(SCORING_THREADS)))
    return out


# -- the shared file ---------------------------------------------------------------------
#
# One copy of the vectors per host: whoever first needs a generation of the index builds its
# arrays and writes them to a file (a temporary name, then renamed), which every process maps
# read-only; the operating system keeps one copy of its pages for all of them. `current.json`
# names the file of the latest generation; the files it no longer names are removed (a
# process still mapping one keeps its pages until it switches).

MAGIC = b"CIVHUBV1"
ALIGN = 64
MANIFEST = "current.json"
LOCK = "lock"


def vectors_dir() -> Path:
    """This database's directory of vector files (`CIVHUB_VECTORS_DIR`, by default
    `VAR_DIR/vectors`): one per database, so that two sites on a host never share a file."""
    base = Path(getattr(settings, "CIVHUB_VECTORS_DIR", None) or settings.VAR_DIR / "vectors")
    db = connection.settings_dict
    identity = f"{connection.vendor}|{db['NAME']}|{db.get('HOST')}|{db.get('PORT')}"
    path = base / hashlib.sha1(identity.encode()).hexdigest()[:12]
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def _host_lock(directory: Path):
    """One builder at a time on this host (an exclusive lock on a file, let go if the process
    dies); the others wait, then map what it wrote."""
    with open(directory / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_manifest(directory: Path) -> dict | None:
    try:
        return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _replace_durably(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_manifest(directory: Path, data: dict) -> None:
    tmp = directory / f".{MANIFEST}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(data, out)
        out.flush()
        os.fsync(out.fileno())
    _replace_durably(tmp, directory / MANIFEST)


def _write_chunks(out, data: np.ndarray) -> None:
    """Write an array's bytes (a hook for the tests of a write that stops half-way)."""
    out.write(data.reshape(-1).view(np.uint8).data)


def write_arrays(directory: Path, name: str, arrays: dict[str, np.ndarray], meta: dict) -> Path:
    """Write the arrays to `directory/name`: a header (JSON) then each array, aligned, in a
    temporary file that is renamed only once complete and on disk. A crash leaves at most a
    temporary file, which no reader maps and the next builder removes."""
    layout: dict[str, dict] = {}
    offset = 0
    for key, array in arrays.items():
        offset = -(-offset // ALIGN) * ALIGN
        layout[key] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += array.nbytes
    header = json.dumps({"meta": meta, "arrays": layout, "data_bytes": offset}).encode()
    start = -(-(len(MAGIC) + 8 + len(header)) // ALIGN) * ALIGN
    tmp = directory / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    with open(tmp, "wb") as out:
        out.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for key, array in arrays.items():
            out.write(b"\0" * (start + layout[key]["offset"] - out.tell()))
            _write_chunks(out, np.ascontiguousarray(array))
        out.flush()
        os.fsync(out.fileno())
    final = directory / name
    _replace_durably(tmp, final)
    return final


def map_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays of a file written by write_arrays, as read-only views of one shared map."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < len(MAGIC) + 8:
            raise ValueError(f"{path} is not a vector file")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[: len(MAGIC)] != MAGIC:
        raise ValueError(f"{path} is not a vector file")
    length = int.from_bytes(mapped[len(MAGIC) : len(MAGIC) + 8], "little")
    header = json.loads(mapped[len(MAGIC) + 8 : len(MAGIC) + 8 + length])
    start = -(-(len(MAGIC) + 8 + length) // ALIGN) * ALIGN
    if size != start + header["data_bytes"]:
        raise ValueError(f"{path} is incomplete ({size} bytes)")
    arrays = {}
    for key, spec in header["arrays"].items():
        dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
        count = int(np.prod(shape))
        if count == 0:
            array = np.zeros(shape, dtype=dtype)
            array.flags.writeable = False
        else:
            array = np.frombuffer(
                mapped, dtype=dtype, count=count, offset=start + spec["offset"]
            ).reshape(shape)
        arrays[key] = array
    return arrays, header["meta"]


class Records:
    """Each row's record, (type, object id), read from the shared columns."""

    def __init__(self, kinds: np.ndarray, object_ids: np.ndarray, kind_names: list[str]):
        self.kinds, self.object_ids, self.names = kinds, object_ids, kind_names

    def __getitem__(self, i: int) -> tuple[str, str]:
        return self.names[self.kinds[i]], self.object_ids[i].decode()

    def __len__(self) -> int:
        return len(self.kinds)


#: what _Build.patched returns when no row changed
UNCHANGED = object()


class _Build:
    """The arrays of one generation being made: from the database (a full load), or from the
    last generation's file and the changes since (a patch); then written to a file."""

    def __init__(self):
        self.size = 0
        self.loaded_at: datetime.datetime | None = None
        self.language_labels, self.kind_labels = Labels(), Labels()
        self.means: dict[str, np.ndarray] = {}
        self.reference = np.zeros((0, 0), dtype=np.float32)
        self.base_object_ids: np.ndarray | None = None
        self.object_id_changes: dict[int, bytes] = {}
        self.base_position: Positions | None = None
        self.new_position: dict[int, int] = {}

    def position_of(self, doc_id: int) -> int | None:
        i = self.new_position.get(doc_id)
        if i is None and self.base_position is not None:
            i = self.base_position.get(doc_id)
        return i

    # -- a full load ---------------------------------------------------------------------

    def load(self) -> None:
        started = timezone.now()
        rows = VectorIndex._rows().order_by("id")
        count = rows.count()
        capacity = count + max(64, int(count * HEADROOM))
        dim = get_embedder().dim
        # Filled in place: a list of 100,000 small arrays would double the peak memory.
        self.matrix = np.zeros((capacity, dim), dtype=np.float32)
        self.ids = np.full(capacity, -1, dtype=np.int64)
        self.languages = np.full(capacity, -1, dtype=np.int16)
        self.kinds = np.full(capacity, -1, dtype=np.int16)
        self.audiences = np.full(capacity, TOMBSTONE, dtype=np.int8)
        self.hubness = np.zeros(capacity, dtype=np.float32)
        self.years = np.zeros(capacity, dtype=np.int16)
        for row in rows.iterator(chunk_size=2000):
            if self.size == count:
                break  # written since the count: the next refresh takes it
            self.put(self.size, row, raw=True)
        n = self.size
        matrix, languages = self.matrix[:n], self.languages[:n]
        for code in set(languages.tolist()):
            language = self.language_labels.names[code]
            rows_of = languages == code
            # Shrunk towards zero for a language with few documents: the mean of three
            # documents is mostly those documents, and removing it would erase them.
            count_of = int(rows_of.sum())
            self.means[language] = matrix[rows_of].mean(axis=0) * (count_of / (count_of + SHRINK))
            matrix[rows_of] -= self.means[language]
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-6)
        self.reference = reference_sample(matrix)
        self.hubness[:n] = hubness(matrix, self.reference) * np.float32(HUB_WEIGHT)
        self.loaded_at = started

    def put(self, i: int, row, raw: bool = False) -> None:
        doc_id, kind, object_id, language, audience, year, vector = row
        vector = np.frombuffer(vector, dtype=np.float32)
        if not raw:  # a patched row: centred and scored like the rest at the last load
            vector = vector - self.means.get(language, 0)
            vector = vector / max(float(np.linalg.norm(vector)), 1e-6)
            self.hubness[i] = hubness(vector[None, :], self.reference)[0] * HUB_WEIGHT
        self.matrix[i] = vector
        self.ids[i] = doc_id
        self.languages[i] = self.language_labels.code(language)
        self.kinds[i] = self.kind_labels.code(kind)
        self.audiences[i] = audience
        self.years[i] = year or 0
        self.object_id_changes[i] = str(object_id).encode()
        if i == self.size:
            self.size += 1
        self.new_position[doc_id] = i

    # -- a patch -------------------------------------------------------------------------

    @classmethod
    def patched(cls, arrays: dict[str, np.ndarray], meta: dict):
        """The last generation with the changes since applied; UNCHANGED when there are
        none, None when a full load is better (many changes, or no room left)."""
        build = cls()
        build.loaded_at = datetime.datetime.fromisoformat(meta["loaded_at"])
        build.size = meta["size"]
        ids = arrays["ids"]
        build.base_position = Positions(ids, build.size)
        started = timezone.now()
        changed = list(VectorIndex._rows().filter(updated_at__gte=build.loaded_at - CLOCK_SKEW))
        live = np.fromiter(
            SearchDocument.objects.filter(vector__isnull=False).values_list("id", flat=True),
            dtype=np.int64,
        )
        held = ids[: build.size]
        gone_rows = np.flatnonzero((held >= 0) & ~np.isin(held, live))
        if not changed and not len(gone_rows):
            return UNCHANGED
        added = sum(1 for row in changed if build.base_position.get(row[0]) is None)
        if len(changed) + len(gone_rows) > max(200, PATCH_SHARE * build.size) or (
            build.size + added > len(ids)
        ):
            return None
        # Private copies of the last generation's arrays, patched, then written anew.
        for key in ("matrix", "ids", "languages", "kinds", "audiences", "hubness", "years"):
            setattr(build, key, np.array(arrays[key]))
        build.language_labels = Labels.of(meta["languages"])
        build.kind_labels = Labels.of(meta["kinds"])
        build.means = dict(zip(meta["mean_languages"], np.array(arrays["means"]), strict=True))
        build.reference = arrays["reference"]
        build.base_object_ids = arrays["object_ids"]
        build.audiences[gone_rows] = TOMBSTONE
        build.ids[gone_rows] = -1
        for row in changed:
            i = build.position_of(row[0])
            build.put(build.size if i is None else i, row)
        build.loaded_at = started
        return build

    # -- the file ------------------------------------------------------------------------

    def arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        capacity = len(self.ids)
        width = max(
            [1, *(len(v) for v in self.object_id_changes.values())]
            + ([self.base_object_ids.dtype.itemsize] if self.base_object_ids is not None else [])
        )
        object_ids = np.zeros(capacity, dtype=f"S{width}")
        if self.base_object_ids is not None:
            object_ids[: len(self.base_object_ids)] = self.base_object_ids
        for i, value in self.object_id_changes.items():
            object_ids[i] = value
        languages = list(self.means)
        dim = self.matrix.shape[1]
        arrays = {
            "matrix": self.matrix,
            "ids": self.ids,
            "languages": self.languages,
            "kinds": self.kinds,
            "audiences": self.audiences,
            "hubness": self.hubness,
            "years": self.years,
            "object_ids": object_ids,
            "means": np.array([self.means[lang] for lang in languages], dtype=np.float32).reshape(
                len(languages), dim
            ),
            "reference": np.asarray(self.reference, dtype=np.float32),
        }
        meta = {
            "size": self.size,
            "loaded_at": self.loaded_at.isoformat(),  # type: ignore[union-attr]  # a build has read
            "languages": self.language_labels.names,
            "kinds": self.kind_labels.names,
            "mean_languages": languages,
        }
        return arrays, meta


class VectorIndex:
    """The process's view of the current generation's file: read-only arrays sized with some
    headroom, so that a few changed documents are patched into the next generation's file
    (one builder per host, docs/architecture.md) and many changes reload everything."""

    def __init__(self):
        self._lock = threading.Lock()
        self.generation = -1
        self.path: Path | None = None
        self.loaded_at: datetime.datetime | None = None
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        #: each row's language and type, as numbers of these labels
        self.language_labels, self.kind_labels = Labels(), Labels()
        self.languages = np.zeros(0, dtype=np.int16)
        self.kinds = np.zeros(0, dtype=np.int16)
        self.audiences = np.zeros(0, dtype=np.int8)
        self.hubness = np.zeros(0, dtype=np.float32)
        self.years = np.zeros(0, dtype=np.int16)
        self.records = Records(self.kinds, np.zeros(0, dtype="S1"), [])
        self.position = Positions(self.ids, 0)
        self.means: dict[str, np.ndarray] = {}
        self.reference = np.zeros((0, 0), dtype=np.float32)

    # -- keeping up with the database ----------------------------------------------------

    def refresh(self) -> None:
        current = indexing.generation()
        if current == self.generation:
            return
        with self._lock:
            if current == self.generation:
                return
            directory = vectors_dir()
            if self._map_current(directory, current):
                return
            with _host_lock(directory):
                current = indexing.generation()
                if not self._map_current(directory, current):
                    self._build(directory, current)

    def _told_to_reload(self) -> bool:
        """A full load is asked for by clearing `loaded_at` (the tests do): made anew from
        the database, not mapped or patched."""
        return self.loaded_at is None and self.path is not None

    def _map_current(self, directory: Path, current: int) -> bool:
        """Map the file of generation `current` if another process has written it."""
        manifest = _read_manifest(directory)
        if not manifest or (manifest["generation"], manifest["model"]) != (
            current,
            get_embedder_name(),
        ):
            return False
        if self._told_to_reload():
            return False
        path = directory / manifest["file"]
        if path != self.path:
            try:
                self._adopt(path, *map_arrays(path))
            except (FileNotFoundError, ValueError):
                return False
        self.generation = current
        return True

    def _build(self, directory: Path, current: int) -> None:
        """Make the file of generation `current` (this process holds the host's lock): the
        last generation's patched, or a full load; then map it."""
        manifest = _read_manifest(directory)
        build, name = None, None
        if manifest and manifest["model"] == get_embedder_name() and not self._told_to_reload():
            try:
                build = _Build.patched(*map_arrays(directory / manifest["file"]))
            except (FileNotFoundError, ValueError):
                build = None
            if build is UNCHANGED:  # no vector's row changed: the generation keeps the file
                name, build = manifest["file"], None
        if name is None:
            if build is None:
                build = _Build()
                build.load()
            arrays, meta = build.arrays()
            del build  # the private copies go before the file is mapped
            meta |= {"generation": current, "model": get_embedder_name()}
            name = f"vectors-{current:x}-{secrets.token_hex(4)}.bin"
            write_arrays(directory, name, arrays, meta)
            del arrays
        _write_manifest(
            directory, {"generation": current, "model": get_embedder_name(), "file": name}
        )
        _remove_unused(directory, name)
        self._adopt(directory / name, *map_arrays(directory / name))
        self.generation = current

    def _adopt(self, path: Path, arrays: dict[str, np.ndarray], meta: dict) -> None:
        """Take the file's arrays as this process's index, in one step; the last file's map
        goes when nothing holds its arrays (a search still running keeps it until done)."""
        kind_labels = Labels.of(meta["kinds"])
        ids, kinds = arrays["ids"], arrays["kinds"]
        self.__dict__.update(
            {
                "path": path,
                "loaded_at": datetime.datetime.fromisoformat(meta["loaded_at"]),
                "size": meta["size"],
                "matrix": arrays["matrix"],
                "ids": ids,
                "languages": arrays["languages"],
                "kinds": kinds,
                "audiences": arrays["audiences"],
                "hubness": arrays["hubness"],
                "years": arrays["years"],
                "language_labels": Labels.of(meta["languages"]),
                "kind_labels": kind_labels,
                "records": Records(kinds, arrays["object_ids"], kind_labels.names),
                "position": Positions(ids, meta["size"]),
                "means": dict(zip(meta["mean_languages"], arrays["means"], strict=True)),
                "reference": arrays["reference"],
            }
        )

    @staticmethod
    def _rows():
        return (
            SearchDocument.objects.filter(vector__isnull=False, vector_model=get_embedder().name)
            .exclude(vector_hash="")
            .values_list("id", "kind", "object_id", "language", "audience", "year", "vector")
        )

    # -- searching -----------------------------------------------------------------------

    def centred_query(self, query: str) -> np.ndarray:
        vector = get_embedder().query(query).astype(np.float32)
        mean = self.means.get(query_language(query))
        if mean is None and self.means:
            mean = np.mean(list(self.means.values()), axis=0)
        if mean is not None:
            vector = vector - mean
        return vector / max(float(np.linalg.norm(vector)), 1e-6)

    def mask(self, audience: int, kinds=None, languages=None, allowed_ids=None) -> np.ndarray:
        n = self.size
        keep = self.audiences[:n] <= audience
        if kinds:
            keep &= np.isin(self.kinds[:n], self.kind_labels.codes_of(kinds))
        if languages:
            keep &= np.isin(self.languages[:n], self.language_labels.codes_of(languages))
        if allowed_ids is not None:
            keep &= np.isin(self.ids[:n], np.fromiter(allowed_ids, dtype=np.int64))
        return keep

    def search(
        self, vector: np.ndarray, keep: np.ndarray, limit: int, min_z: float | None = MIN_Z
    ) -> list[Hit]:
        """The `limit` best documents among `keep` that stand out for this vector (by at least
        `min_z` standard deviations; None takes the best whatever they are). A hit's score is
        what MIN_SCORE is compared with (services.rank does)."""
        n = self.size
        if not n or not keep.any():
            return []
        scores = similarities(self.matrix[:n], vector) - self.hubness[:n]
        mean, std = float(scores.mean()), float(scores.std()) or 1.0
        scores = np.where(keep, scores, -np.inf)
        population = int(keep.sum())
        count = min(limit, population)
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top])]
        return [
            Hit(int(self.ids[i]), float(scores[i]))
            for i in top
            if min_z is None or population < MIN_POPULATION or (scores[i] - mean) / std >= min_z
        ]

    def vector_of(self, doc_id: int) -> np.ndarray | None:
        i = self.position.get(doc_id)
        return None if i is None else self.matrix[i]


def _remove_unused(directory: Path, keep: str) -> None:
    """Remove the files the manifest no longer names, and what a builder that died left
    (called by the builder, under the host's lock: no other file is being written)."""
    for path in directory.iterdir():
        if path.name not in (keep, MANIFEST, LOCK):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def reference_sample(matrix: np.ndarray) -> np.ndarray:
    """A fixed sample of rows that each row's neighbourhood is measured against."""
    n = len(matrix)
    if n <= HUB_SAMPLE:
        return matrix.copy()
    return matrix[np.sort(np.random.default_rng(0).choice(n, size=HUB_SAMPLE, replace=False))]


def hubness(rows: np.ndarray, reference: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Each row's mean similarity to its HUB_K nearest reference rows, itself excepted."""
    out = np.zeros(len(rows), dtype=np.float32)
    k = min(HUB_K, len(reference) - 1)
    if k < 1:
        return out
    for start in range(0, len(rows), chunk):
        block = rows[start : start + chunk] @ reference.T
        # A row's own copy in the sample is its nearest neighbour: the k+1 best less the best.
        best = -np.partition(-block, k, axis=1)[:, : k + 1]
        best.sort(axis=1)
        own = best[:, -1] > 0.9999
        nearest = np.where(own[:, None], best[:, :-1], best[:, 1:])
        out[start : start + len(block)] = nearest.mean(axis=1)
    return out


def query_language(query: str) -> str:
    """The language a query is most likely written in, from its letters."""
    scripts = [text.script(w) for w in text.words(query)]
    if "kk" in scripts:
        return "kk"
    if "cyr" in scripts:
        return "ru"
    return "en"


_index = VectorIndex()


def get_index(refresh: bool = True) -> VectorIndex:
    """The process's index, brought up to date (one query to learn whether it is) unless
    `refresh` is False: for callers that refreshed it moments ago, within the same search."""
    if refresh or _index.loaded_at is None:
        _index.refresh()
    return _index
