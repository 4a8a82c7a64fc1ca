"""`civhub restore PATH [--force] [--check]`: put back what `civhub backup` saved
(core/backup.py; docs/operations.md, section 11)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civhub.core import backup
from civhub.core.management.commands.backup import progress_bars


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Replace the database, the uploaded files and the search index with those of an "
            "archive made by `civhub backup`; --check only verifies the archive."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The archive to read."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace the data of a database that holds some."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_(
                "Change nothing: verify the archive's checksums and that this code and "
                "database can restore it."
            ),
        )

    def handle(self, *args, path, force, check, verbosity, **options):
        try:
            archive = backup.open_archive(path)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        try:
            manifest = archive.manifest
            if check:
                self._check(archive)
                return
            report = backup.restore(archive, force=force, progress=progress_bars(self, verbosity))
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        finally:
            archive.cleanup()
        if report.replaced:
            self.stdout.write(
                _("Replaced: %(tables)s.") % {"tables": backup.describe_counts(report.replaced)}
            )
        search = report.contributors.get("search", {})
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(path)s, made %(made)s by civhub %(version)s on %(vendor)s: "
                    "%(rows)s, %(files)s; search: %(vectors)s."
                )
                % {
                    "path": archive.path,
                    "made": manifest.get("created_at", "?"),
                    "version": manifest.get("civhub_version", "?"),
                    "vendor": manifest.get("database", {}).get("vendor", "?"),
                    "rows": ngettext("%(count)d row", "%(count)d rows", report.rows)
                    % {"count": report.rows},
                    "files": ngettext(
                        "%(count)d uploaded file", "%(count)d uploaded files", report.files
                    )
                    % {"count": report.files},
                    "vectors": ngettext(
                        "%(count)d vector made",
                        "%(count)d vectors made",
                        search.get("vectors_made", 0),
                    )
                    % {"count": search.get("vectors_made", 0)},
                }
            )
        )

    def _check(self, archive: backup.Archive) -> None:
        manifest = archive.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = manifest.get("media", {}).get("files", 0)
        self.stdout.write(
            _(
                "%(path)s is complete: every checksum matches. Made %(made)s by civhub "
                "%(version)s on %(vendor)s: %(rows)s, %(files)s."
            )
            % {
                "path": archive.path,
                "made": manifest.get("created_at", "?"),
                "version": manifest.get("civhub_version", "?"),
                "vendor": manifest.get("database", {}).get("vendor", "?"),
                "rows": ngettext("%(count)d row", "%(count)d rows", rows) % {"count": rows},
                "files": ngettext("%(count)d uploaded file", "%(count)d uploaded files", files)
                % {"count": files},
            }
        )
        problems = backup.migration_problems(manifest)
        if problems:
            raise CommandError(" ".join(problems))
        holds, counts = backup.held_data()
        if holds:
            self.stdout.write(
                _("This database holds data; restoring would need --force and replace: %(tables)s.")
                % {"tables": backup.describe_counts(counts)}
            )
        else:
            self.stdout.write(_("This database can take it: it is migrated and holds no data."))
