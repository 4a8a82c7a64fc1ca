"""gunicorn settings for the benchmark's server: as `make run`, plus one hook that turns off
the embedder's memory of recent queries (see common.disable_query_cache)."""


def post_worker_init(worker):
    from benchmarks.common import disable_query_cache

    disable_query_cache()
