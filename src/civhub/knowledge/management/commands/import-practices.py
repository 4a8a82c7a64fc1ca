"""`civhub import-practices [--format un-text|json|csv] [--dry-run] [--json] [--publish]
[--update] [--strict] [--user EMAIL] PATH...`, or `civhub import-practices --recover`

Each file is read and saved on its own, all or nothing (see services/imports.py). Progress, the
fields found in each record, warnings and errors go to stderr; the counts end the output, and
when a file failed, the error names the files that were saved and those that were not. With --json the parsed records are printed to
stdout as a JSON list (with --dry-run, nothing else is), which --format json reads back.
Before it imports, and alone with --recover, it undoes the imports killed half-way
(services.imports.recover_abandoned_runs) and says what it undid.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civhub.knowledge import importers
from civhub.knowledge.services.imports import (
    ImportReport,
    can_import,
    describe_recovery,
    import_records,
    recover_abandoned_runs,
)


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, so translated when asked for
        return _(
            "Import good practices from the text of the UN series “Good Practices in South-South "
            "and Triangular Cooperation”, or from JSON or CSV."
        )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help=_("Files to import."))
        parser.add_argument(
            "--format",
            choices=importers.FORMATS,
            help=_("The files' format. By default .json and .csv by their extension, else text."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Read and check everything; save nothing.")
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("Print the records read, as a JSON list, to standard output."),
        )
        parser.add_argument(
            "--publish", action="store_true", help=_("Publish the records instead of drafts.")
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=_("Update records imported before (same title and file) instead of skipping."),
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help=_("Refuse a text file in which a field had to be guessed or is missing."),
        )
        parser.add_argument(
            "--user", metavar="EMAIL", help=_("The editor the import is recorded under.")
        )
        parser.add_argument(
            "--recover",
            action="store_true",
            help=_(
                "Undo the imports that were killed half-way, say what was undone, and import "
                "nothing (unless files are given too)."
            ),
        )

    def handle(
        self, *args, paths, format, dry_run, json, publish, update, strict, user, recover, **options
    ):
        if not paths and not recover:
            raise CommandError(_("Give the files to import, or --recover."))
        actor = self._actor(user)
        # with --json, stdout holds the JSON list only: everything else goes to stderr
        say = self._err if json else self.stdout.write
        if recover or not dry_run:  # a dry run writes nothing, not even an undo
            self._recover(actor, say, report_nothing=recover, fail=recover and not paths)
        if not paths:
            return
        total = ImportReport(dry_run=dry_run)
        failed_files: list[str] = []
        saved_files: list[str] = []
        printed: list[dict] = []
        for n, path in enumerate(paths, start=1):
            name = Path(path).name
            fmt = format or importers.format_for(path)
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                failed_files.append(name)
                total.failed += 1
                self._err(
                    _("%(file)s: cannot be read (%(error)s).")
                    % {"file": path, "error": exc.strerror or exc}
                )
                continue
            try:
                parsed = importers.read(data, fmt, name, strict=strict)
            except importers.ParseError as exc:
                failed_files.append(name)
                total.failed += 1
                self._err(str(exc))
                continue
            if len(paths) > 1:
                count = len(parsed.records)
                self._err(
                    ngettext(
                        "[%(n)d/%(total)d] %(file)s: %(count)d record",
                        "[%(n)d/%(total)d] %(file)s: %(count)d records",
                        count,
                    )
                    % {"n": n, "total": len(paths), "file": name, "count": count}
                )
            self._report_fields(parsed)
            printed += parsed.records
            report = import_records(
                actor,
                parsed.records,
                publish=publish,
                update=update,
                file_name=name,
                source=importers.SERIES if fmt == importers.UN_TEXT else "",
                lines=parsed.lines,
                dry_run=dry_run,
            )
            for error in report.errors:
                self._err(error)
            if report.errors:
                failed_files.append(name)
            elif not dry_run:
                saved_files.append(name)
            total.add(report)
        if json:
            self.stdout.write(_dumps(printed))
        if dry_run:
            say(_("Dry run: nothing was saved."))
        say(
            _("Created %(created)d, updated %(updated)d, skipped %(skipped)d, failed %(failed)d.")
            % {
                "created": total.created,
                "updated": total.updated,
                "skipped": total.skipped,
                "failed": total.failed,
            }
        )
        if failed_files:
            message = ngettext(
                "%(count)d of %(total)d files failed, and nothing from it was saved: %(failed)s.",
                "%(count)d of %(total)d files failed, and nothing from them was saved: %(failed)s.",
                len(failed_files),
            ) % {"count": len(failed_files), "total": len(paths), "failed": ", ".join(failed_files)}
            if saved_files:
                message += " " + _("Saved: %(saved)s.") % {"saved": ", ".join(saved_files)}
            raise CommandError(message, returncode=1)

    def _recover(self, actor, say, *, report_nothing: bool, fail: bool) -> None:
        recoveries = recover_abandoned_runs(actor)
        for recovery in recoveries:
            for line in describe_recovery(recovery):
                say(line)
        if not recoveries and report_nothing:
            say(_("No unfinished imports to undo."))
        failed = [r for r in recoveries if r.error]
        if failed and fail:
            raise CommandError(
                ngettext(
                    "%(count)d unfinished import could not be undone.",
                    "%(count)d unfinished imports could not be undone.",
                    len(failed),
                )
                % {"count": len(failed)},
                returncode=1,
            )

    def _report_fields(self, parsed: importers.ParsedFile) -> None:
        """Per record, the fields found and not found; then what was guessed or missing."""
        for record, line in zip(parsed.records, parsed.lines, strict=True):
            found = importers.fields_found(record)
            params = {
                "file": parsed.name,
                "line": line or 0,
                "title": record.get("title") or "",
                "found": ", ".join(map(importers.report_field_label, found)),
                "missing": ", ".join(
                    importers.report_field_label(key)
                    for key in importers.REPORT_FIELDS
                    if key not in found
                ),
            }
            if params["missing"]:
                text = _(
                    "%(file)s, line %(line)d “%(title)s”: found %(found)s; not found %(missing)s."
                )
            else:
                text = _("%(file)s, line %(line)d “%(title)s”: every field found.")
            self._err(text % params)
        for warning in parsed.warnings:
            self._err(_("Warning: %(warning)s") % {"warning": warning})

    def _err(self, message: str) -> None:
        self.stderr.write(message, style_func=lambda text: text)

    def _actor(self, email: str | None):
        if not email:
            return None
        User = get_user_model()
        try:
            actor = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise CommandError(_("No user with the e-mail %(email)s.") % {"email": email}) from None
        if not can_import(actor):
            raise CommandError(_("%(email)s is not an editor.") % {"email": email})
        return actor


def _dumps(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)
