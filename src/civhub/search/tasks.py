"""Background work (huey): Redis-backed when REDIS_URL is set, else a SQLite file in var/;
`civhub run_huey` is the worker. Tests and CIVHUB_TASKS_IMMEDIATE=1 run tasks in-process."""

from huey.contrib.djhuey import db_task

from civhub.search import indexing


@db_task(retries=2, retry_delay=10)
def embed_documents(doc_ids: list[int]) -> int:
    return indexing.embed_documents(doc_ids)
