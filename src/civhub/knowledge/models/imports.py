"""The run of one file's import, and its undo journal (see services/imports.py).

On SQLite an import writes a file in batches, each in a transaction of its own; the run row and
its journal are written in the same transactions, so what the journal says was written always
matches what is committed. A run still "running" whose process is gone is undone from it.
"""

import datetime
import os
import socket
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: A run whose heartbeat is older than this is taken for dead, wherever it ran. A live import
#: on SQLite commits a batch (and its heartbeat) at least every ~21 s: a batch takes half a
#: second (services.imports.BATCH_SECONDS), the pause between two 0.12 s, and waiting for the
#: write lock at most the 20 s busy timeout (settings.SQLITE_OPTIONS) before the batch fails
#: and the import undoes itself. Six times that leaves room for a loaded machine and clocks a
#: few seconds apart, and bounds how long a killed import on another host (or one whose pid
#: was reused) stays written. On PostgreSQL a run is never seen running: the whole file and
#: its run are one transaction.
STALE_AFTER = datetime.timedelta(minutes=2)


class ImportRunState(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    UNDONE = "undone", _("undone")


def this_host() -> str:
    return socket.gethostname()[:255]


def this_pid() -> int:
    return os.getpid()


def process_alive(pid: int) -> bool:
    """Whether a process of this host has the id `pid`."""
    if pid <= 0:  # 0 and -1 would signal process groups
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, run by another user
        return True
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # no /proc: the signal's answer is all there is
        return True
    # a killed process its parent has not reaped yet (a zombie) still answers the signal
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


class ImportRun(models.Model):
    file_name = models.CharField(_("file"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ImportRunState.choices, default=ImportRunState.RUNNING
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    host = models.CharField(_("host"), max_length=255, default=this_host)
    pid = models.PositiveIntegerField(_("process id"), default=this_pid)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    def is_abandoned(self, now: datetime.datetime | None = None) -> bool:
        """Running, and its process is gone: no sign of life for STALE_AFTER, or it ran on
        this host and its process is no more."""
        if self.state != ImportRunState.RUNNING:
            return False
        if (now or timezone.now()) - self.heartbeat_at > STALE_AFTER:
            return True
        return self.host == this_host() and not process_alive(self.pid)


class ImportRunEntry(models.Model):
    """One practice a run created (to be deleted) or updated (`before`: as it was, to be put
    back). Not a foreign key: a created practice is deleted by the undo, and the entry must
    not hold it."""

    run = models.ForeignKey(
        ImportRun, verbose_name=_("import run"), on_delete=models.CASCADE, related_name="entries"
    )
    practice_id = models.PositiveIntegerField(_("practice"))
    created = models.BooleanField(_("created by the import"), default=False)
    #: the practice and its contacts as Django's serializer gives them, and its SDG targets in
    #: the order they were linked (the serializer's order is the targets' own)
    before = models.JSONField(_("as it was before"), null=True, blank=True)
    #: the practice's version as the import left it: a different one now means someone
    #: changed it since
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("import journal entry")
        verbose_name_plural = _("import journal entries")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.practice_id}"
