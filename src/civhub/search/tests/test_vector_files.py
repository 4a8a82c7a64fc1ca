"""The search vectors' shared files (search/vectors.py): one file per generation of the index,
written once on a host and mapped read-only by every process; a file half-written is never used.

These run on SQLite and on PostgreSQL, like the rest of the suite."""

import datetime
import json
import mmap
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from civhub.search import indexing, table, vectors
from civhub.search.tests.factories import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(settings, tmp_path):
    """A directory of vector files of this test's own."""
    settings.CIVHUB_VECTORS_DIR = tmp_path / "vectors"
    return vectors.vectors_dir()


@pytest.fixture
def records():
    made = {
        "appraisal": practice(
            "Remote working arrangements for civil servants",
            "Civil servants may work from home up to two days a week under a written agreement.",
            countries=("EE",),
        ),
        "mentoring": practice(
            "Наставничество для молодых государственных служащих",
            "Каждому новому служащему назначается опытный наставник на первый год работы.",
            language="ru",
            countries=("AZ", "KZ"),
        ),
        "ethics": practice(
            "Мемлекеттік қызметшілердің әдеп кодексі",
            "Әдеп жөніндегі уәкілдер әдеп нормаларының сақталуын бақылайды.",
            language="kk",
        ),
    }
    indexing.embed_documents()
    return made


@pytest.fixture
def writes(monkeypatch):
    """The names of the vector files written from here on."""
    written = []
    real = vectors.write_arrays

    def counting(directory, name, arrays, meta):
        written.append(name)
        return real(directory, name, arrays, meta)

    monkeypatch.setattr(vectors, "write_arrays", counting)
    return written


def vector_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".bin"))


def manifest(directory: Path) -> dict:
    return json.loads((directory / vectors.MANIFEST).read_text())


def mapped_from_file(array: np.ndarray) -> bool:
    """Whether the array is a view of a memory map (no copy of its own)."""
    base: object = array
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, memoryview):
        base = base.obj
    return isinstance(base, mmap.mmap)


def hits(index: vectors.VectorIndex) -> list[tuple[int, float]]:
    vector = index.matrix[0]
    return [(h.doc_id, h.score) for h in index.search(vector, index.mask(127), 10, min_z=None)]


def test_two_loads_of_one_generation_share_one_file(records, directory, writes):
    first, second = vectors.VectorIndex(), vectors.VectorIndex()
    first.refresh()
    second.refresh()
    assert len(writes) == 1  # the second load mapped what the first wrote
    assert first.path == second.path and vector_files(directory) == [first.path.name]
    assert manifest(directory)["generation"] == indexing.generation()
    for index in (first, second):
        assert mapped_from_file(index.matrix) and not index.matrix.flags.writeable
        assert index.size == 3
    assert hits(first) == hits(second)
    mentoring = str(records["mentoring"].pk)
    (doc_id,) = [
        doc_id for doc_id in first.position if first.records[first.position[doc_id]][1] == mentoring
    ]
    assert doc_id in second.position
    # Its links are the document table's, read without the vectors (table.py).
    documents = table.DocumentTable()
    documents.refresh()
    assert documents.links["countries"][documents.position[doc_id]] == tuple(
        sorted(records["mentoring"].countries.values_list("pk", flat=True))
    )


def test_a_second_process_maps_the_file_without_building_it(records, directory, tmp_path):
    """Another process (no database of its own to build from: only the file and the
    generation) maps the same file and finds the same documents."""
    index = vectors.VectorIndex()
    index.refresh()
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import django\n"
        "django.setup()\n"
        "from civhub.search import indexing, vectors\n"
        "directory, generation = Path(sys.argv[1]), int(sys.argv[2])\n"
        "vectors.vectors_dir = lambda: directory\n"
        "indexing.generation = lambda: generation\n"
        "def refuse(*args, **kwargs):\n"
        "    raise SystemExit('the second process tried to build the file')\n"
        "vectors._Build.load = vectors._Build.patched = refuse\n"
        "index = vectors.VectorIndex()\n"
        "index.refresh()\n"
        "hits = index.search(index.matrix[0], index.mask(127), 10, min_z=None)\n"
        "print(json.dumps({'path': str(index.path), 'size': index.size,\n"
        "                  'hits': [[h.doc_id, h.score] for h in hits]}))\n"
    )
    env = dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "civhub.settings",
        "CIVHUB_VAR_DIR": str(tmp_path / "other-var"),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script, str(directory), str(index.generation)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    other = json.loads(done.stdout.strip().splitlines()[-1])
    assert other["path"] == str(index.path) and other["size"] == index.size
    assert [tuple(hit) for hit in other["hits"]] == hits(index)
    assert vector_files(directory) == [index.path.name]


def test_a_new_generation_writes_a_new_file_and_readers_switch(records, directory, writes):
    reader, builder = vectors.VectorIndex(), vectors.VectorIndex()
    reader.refresh()
    old_path, old_matrix, old_hits = reader.path, reader.matrix, hits(reader)
    saved = np.array(old_matrix)

    records["ethics"].delete()
    added = practice("Open data portal of government spending", "Every ministry publishes.")
    indexing.embed_documents()
    builder.refresh()  # the first to need the new generation builds its file (a patch)
    assert builder.path != old_path and manifest(directory)["file"] == builder.path.name
    assert vector_files(directory) == [builder.path.name]  # the old file is gone from disk
    assert hits(reader) == old_hits  # ... and still readable where it is mapped
    assert np.array_equal(old_matrix, saved)

    reader.refresh()
    assert writes == [old_path.name, builder.path.name]  # the reader built nothing
    assert reader.path == builder.path and reader.generation == indexing.generation()
    held = {reader.records[reader.position[doc_id]][1] for doc_id in reader.position}
    assert str(added.pk) in held and str(records["ethics"].pk) not in held


def test_a_generation_that_changed_no_vector_keeps_the_file(
    records, directory, writes, monkeypatch
):
    monkeypatch.setattr(vectors, "CLOCK_SKEW", datetime.timedelta(0))
    index = vectors.VectorIndex()
    index.refresh()
    indexing.bump_generation()  # e.g. a change of a record's text not embedded yet
    index.refresh()
    assert len(writes) == 1 and manifest(directory)["generation"] == indexing.generation()
    assert manifest(directory)["file"] == index.path.name


def test_a_crash_mid_write_leaves_no_half_file_in_use(records, directory, writes, monkeypatch):
    index = vectors.VectorIndex()
    index.refresh()
    complete = index.path
    practice("Open data portal of government spending", "Every ministry publishes.")
    indexing.embed_documents()

    def dies_half_way(out, data):
        out.write(data.reshape(-1).view(np.uint8)[: data.nbytes // 2].data)
        raise OSError("the disk went away")

    with monkeypatch.context() as patched:
        patched.setattr(vectors, "_write_chunks", dies_half_way)
        with pytest.raises(OSError):
            vectors.VectorIndex().refresh()
    # What was written lies under a temporary name that nothing maps; the file in use is
    # still the complete one.
    assert manifest(directory)["file"] == complete.name
    assert vector_files(directory) == [complete.name]
    assert [p for p in directory.iterdir() if p.name.endswith(".tmp")]

    reader = vectors.VectorIndex()
    reader.refresh()  # the next builder writes the file in full and removes the leftover
    assert reader.path != complete and reader.size == 4
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        [reader.path.name, vectors.MANIFEST, vectors.LOCK]
    )


def test_an_incomplete_file_is_never_mapped(records, directory):
    index = vectors.VectorIndex()
    index.refresh()
    path, expected = index.path, hits(index)
    del index  # its map is not read again: the pages cut off below are gone
    with open(path, "r+b") as handle:
        handle.truncate(os.path.getsize(path) // 2)
    with pytest.raises(ValueError, match="incomplete"):
        vectors.map_arrays(path)
    other = vectors.VectorIndex()
    other.refresh()  # rebuilt from the database, not mapped
    assert other.path != path and hits(other) == expected
    assert vector_files(directory) == [other.path.name]


def test_the_files_live_under_the_configured_directory(settings, tmp_path, records):
    settings.CIVHUB_VECTORS_DIR = tmp_path / "elsewhere"
    index = vectors.VectorIndex()
    index.refresh()
    assert index.path.parent.parent == tmp_path / "elsewhere"
