"""Background work of the knowledge base (huey, see civhub/search/tasks.py for the set-up):
undoing imports that died half-way."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civhub.knowledge.services import imports

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def recover_abandoned_imports() -> int:
    """Every minute: undo the imports whose process is gone (services.imports). A killed
    import's batches stay written at most this long after it is taken for dead (or until the
    next import starts, which recovers first); when there is nothing to undo it is one read."""
    recoveries = imports.recover_abandoned_runs()
    for recovery in recoveries:
        for message in imports.describe_recovery(recovery):
            logger.warning(message)
    return len(recoveries)
