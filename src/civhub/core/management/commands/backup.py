"""`civhub backup PATH [--force]`: the database, the uploaded files and the search index in
one archive (core/backup.py; docs/operations.md, section 10)."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civhub.core import backup
from civhub.core.management.progress import ProgressFile


def progress_bars(command: BaseCommand, verbosity: int):
    """Progress bars on stderr, on a terminal only (none in cron's mail or a log)."""
    if verbosity < 1:
        return None
    from tqdm import tqdm

    def bar(total: int, unit: str, description: str):
        return tqdm(
            total=total,
            unit=unit,
            unit_scale=unit == "B",
            desc=description,
            file=ProgressFile(command.stderr),
            disable=None if command.stderr.isatty() else True,
            leave=False,
        )

    return bar


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Write the database, the uploaded files and the search index to one archive "
            "that `civhub restore` reads (on SQLite or PostgreSQL)."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The archive to write, e.g. civhub-2026-01-31.tar.gz."))
        parser.add_argument(
            "--force", action="store_true", help=_("Replace the file if it exists.")
        )

    def handle(self, *args, path, force, verbosity, **options):
        try:
            report = backup.backup(path, force=force, progress=progress_bars(self, verbosity))
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        if verbosity >= 1:
            self.stdout.write(
                _("Backup written to %(path)s (%(size)s): %(rows)s in %(tables)s, %(files)s.")
                % {
                    "path": report.path,
                    "size": filesizeformat(report.size),
                    "rows": ngettext("%(count)d row", "%(count)d rows", report.rows)
                    % {"count": report.rows},
                    "tables": ngettext("%(count)d table", "%(count)d tables", report.tables)
                    % {"count": report.tables},
                    "files": ngettext(
                        "%(count)d uploaded file", "%(count)d uploaded files", report.files
                    )
                    % {"count": report.files},
                }
            )
        if report.missing_files:
            self.stderr.write(
                ngettext(
                    "%(count)d file named by the database is not in MEDIA_ROOT: %(names)s",
                    "%(count)d files named by the database are not in MEDIA_ROOT: %(names)s",
                    len(report.missing_files),
                )
                % {
                    "count": len(report.missing_files),
                    "names": ", ".join(report.missing_files[:10]),
                }
            )
