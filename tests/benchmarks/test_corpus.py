"""`python -m benchmarks corpus`: the benchmarks' synthetic documents, written straight into
the index.

Run on SQLite and PostgreSQL like the rest of the suite. No timing is asserted here (the
benchmarks measure time, in benchmarks/).
"""

from collections import Counter
from io import StringIO

import numpy as np
import pytest

from benchmarks import corpus
from benchmarks.corpus import Refused
from civhub.search import embeddings, lexical, registry, text
from civhub.search.lexical import Filters
from civhub.search.models import Audience, SearchDocument
from civhub.search.tests.factories import practice
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


def bench(*args: str) -> str:
    """The command's output; what it refuses raises Refused."""
    out = StringIO()
    corpus.run(corpus.parser().parse_args(["--quiet", *args]), out)
    return out.getvalue()


class FakeEmbedder(embeddings.Embedder):
    """Small vectors from the text's hash: no model to load; counts what it embeds."""

    name = "fake-for-bench-tests"
    dim = 8
    embedded = 0

    def passages(self, texts):
        FakeEmbedder.embedded += len(texts)
        return np.array(
            [np.random.default_rng(abs(hash(t)) % 2**32).random(self.dim) for t in texts],
            dtype=np.float32,
        )

    queries = passages


@pytest.fixture
def fake_embedder(settings):
    settings.CIVHUB_EMBEDDER = f"{__name__}.FakeEmbedder"
    embeddings.get_embedder.cache_clear()
    FakeEmbedder.embedded = 0
    yield FakeEmbedder
    embeddings.get_embedder.cache_clear()


def test_documents_are_written_spread_and_found_by_lexical_search():
    assert "Wrote 50 benchmark documents" in bench("--n", "50", "--no-vectors")
    docs = list(corpus.bench_documents())
    assert len(docs) == 50
    assert {d.language for d in docs} <= {"en", "ru", "kk"}
    assert {d.kind for d in docs} <= {t.kind for t in registry.types()}
    for doc in docs:
        assert doc.object_id.startswith("bench-")
        assert doc.audience == Audience.PUBLIC
        assert doc.title_terms == text.index_terms(doc.title, doc.language)
        assert 60 <= len(doc.body.split()) <= 450
        assert doc.countries.exists()
    for doc in docs[:10]:
        hits = lexical.search(text.parse(doc.title), Filters())
        assert doc.pk in [doc_id for doc_id, _score in hits]


def test_lexical_search_shows_a_reader_only_what_they_may_see_by_either_path():
    """On SQLite a search without filters takes the index's best matches first and checks
    their audience after; with a filter it joins the documents. Both find the same."""
    bench("--n", "60", "--no-vectors")
    docs = list(corpus.bench_documents().order_by("pk"))
    hidden = {doc.pk for doc in docs[::2]}
    SearchDocument.objects.filter(pk__in=hidden).update(audience=Audience.EDITORS)
    counts = Counter(term for doc in docs for term in set(doc.body_terms.split()))
    common = text.parse(counts.most_common(1)[0][0])
    every_kind = [t.kind for t in registry.types()]
    for limit in (3, 10, 1000):
        plain = lexical.search(common, Filters(audience=Audience.PUBLIC), limit)
        joined = lexical.search(common, Filters(audience=Audience.PUBLIC, kinds=every_kind), limit)
        assert plain == joined
        assert plain and not hidden & {doc_id for doc_id, _score in plain}
    editor = lexical.search(common, Filters(audience=Audience.EDITORS), 1000)
    assert hidden & {doc_id for doc_id, _score in editor}


def test_the_same_seed_writes_the_same_documents():
    bench("--n", "20", "--seed", "7", "--no-vectors")
    first = sorted(corpus.bench_documents().values_list("object_id", "language", "body"))
    bench("--n", "20", "--seed", "7", "--no-vectors", "--replace")
    again = sorted(corpus.bench_documents().values_list("object_id", "language", "body"))
    assert first == again


def test_replace_and_clear_remove_only_benchmark_documents():
    record = practice("Performance appraisal of civil servants", "Results against indicators.")
    real = set(SearchDocument.objects.values_list("pk", flat=True))
    assert real  # the practice's own document
    bench("--n", "30", "--no-vectors")
    with pytest.raises(Refused, match="--replace"):
        bench("--n", "10", "--no-vectors")
    bench("--n", "10", "--no-vectors", "--replace")
    assert corpus.count() == 10
    assert real <= set(SearchDocument.objects.values_list("pk", flat=True))
    assert "Removed 10 benchmark documents" in bench("--clear")
    assert set(SearchDocument.objects.values_list("pk", flat=True)) == real
    assert record.title_en == "Performance appraisal of civil servants"


@pytest.mark.parametrize("n", ["0", "-5", "ten", "2000000"])
def test_a_bad_n_is_a_clear_error(n, capsys):
    with pytest.raises(SystemExit) as exit:
        bench("--n", n)
    assert exit.value.code == 2
    assert "--n: must be a whole number from 1 to" in capsys.readouterr().err
    assert corpus.count() == 0


def test_n_is_required_unless_clearing():
    with pytest.raises(Refused, match="--n"):
        bench()
    with pytest.raises(Refused, match="give no --n"):
        bench("--clear", "--n", "5")


def test_it_refuses_a_database_with_real_data(capsys):
    make_user("minister@gov.example", "member")
    with pytest.raises(Refused, match="other than the demo"):
        bench("--n", "5", "--no-vectors")
    assert not corpus.bench_documents().exists()
    # As a command: exit status 1, the reason on stderr.
    assert corpus.main(["--n", "5", "--no-vectors", "--quiet"]) == 1
    assert "other than the demo" in capsys.readouterr().err
    assert not corpus.bench_documents().exists()
    assert "Wrote 5 benchmark documents" in bench("--n", "5", "--no-vectors", "--allow-real-data")


def test_vectors_come_from_the_sentence_pool_and_its_cache(fake_embedder, tmp_path):
    bench("--n", "50", "--cache-dir", str(tmp_path))
    pool_size = len(corpus.build_pool().texts)
    assert fake_embedder.embedded == pool_size
    assert len(list(tmp_path.glob("pool-*.npy"))) == 1
    for doc in corpus.bench_documents():
        assert doc.vector_model == fake_embedder.name
        assert doc.vector_hash == doc.text_hash == embeddings.text_hash(doc.title, doc.body)
        vector = np.frombuffer(doc.vector, dtype=np.float32)
        assert vector.shape == (fake_embedder.dim,)
        assert np.linalg.norm(vector) == pytest.approx(1, abs=1e-4)
    # Again: the pool's vectors come from the cache, nothing is embedded.
    bench("--n", "50", "--cache-dir", str(tmp_path), "--replace")
    assert fake_embedder.embedded == pool_size
