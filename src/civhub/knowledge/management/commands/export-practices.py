"""`civhub export-practices [--format json|csv|un-text] [--state published] [-o FILE]`

Writes practices as records that `civhub import-practices` reads back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from civhub.knowledge import exporters, importers
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice
from civhub.knowledge.services.imports import export_records


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, so translated when asked for
        return _("Export good practices as JSON, CSV or the text of the UN series.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=importers.FORMATS, default=importers.JSON)
        parser.add_argument(
            "--state", choices=PracticeState.values, help=_("Only practices in this state.")
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help=_("Write to this file instead of stdout.")
        )

    def handle(self, *args, format, state, output, **options):
        practices = Practice.objects.all()
        if state:
            practices = practices.filter(state=state)
        records = export_records(practices)
        text = exporters.export(records, format)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(
                _("%(count)d practices written to %(file)s.")
                % {"count": len(records), "file": output},
                style_func=lambda line: line,
            )
        else:
            self.stdout.write(text, ending="")
