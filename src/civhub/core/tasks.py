"""The background worker's heartbeat, which /healthz reads to tell a live worker from a dead
one (`civhub run_huey` loads this module with every app's tasks)."""

import logging
import threading
import time
from typing import Any

from huey.contrib.djhuey import HUEY, on_startup

from civhub.core.services import HEARTBEAT_EVERY, HEARTBEAT_KEY

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_thread: threading.Thread | None = None


def beat(huey: Any = HUEY) -> None:
    huey.put(HEARTBEAT_KEY, time.time())


def _beat_forever() -> None:
    while True:
        try:
            beat()
        except Exception:  # the store may be back at the next beat; /healthz shows the gap
            logger.warning("The worker's heartbeat could not be written.", exc_info=True)
        time.sleep(HEARTBEAT_EVERY)


@on_startup()
def start_heartbeat() -> None:
    """A thread of its own beats, so a long task (a reindex) does not look like a dead worker;
    it dies with the worker's process, and the heartbeat goes stale."""
    global _thread
    with _lock:  # each worker thread runs the start-up hooks; one heartbeat is enough
        if _thread is None:
            _thread = threading.Thread(target=_beat_forever, name="civhub-heartbeat", daemon=True)
            _thread.start()
