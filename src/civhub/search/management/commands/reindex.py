"""`civhub reindex [--type T ...] [--check] [--vectors | --no-vectors]`

Rebuilds the search index from the records (every type, or those named), then makes the
vectors that are missing or out of date, with progress bars on stderr. `--check` changes
nothing: it lists, on stdout, each record the index gets wrong (tab-separated: type, record,
problem: missing, stale, orphan or no vector) and fails when there is any.
"""

import argparse
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from civhub.core.management.progress import ProgressFile
from civhub.search import indexing, registry
from civhub.search.embeddings import get_embedder_name
from civhub.search.models import SearchDocument

#: document ids handed to embed_documents at a time (an SQL IN list must stay short)
EMBED_CHUNK = 5000


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, so translated when asked for
        return _("Rebuild the search index and its vectors, or check it with --check.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--type",
            action="append",
            default=[],
            dest="types",
            metavar="TYPE",
            help=_("Only this type of record (repeat for more): %(types)s.")
            % {"types": ", ".join(t.kind for t in registry.types())},
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Change nothing; list what the index gets wrong and fail if anything."),
        )
        parser.add_argument(
            "--vectors",
            action=argparse.BooleanOptionalAction,
            default=True,
            help=_("Make the missing vectors after the rebuild (the default)."),
        )

    def handle(self, *args, types, check, vectors, **options):
        kinds = self._known(types)
        if check:
            self._check(kinds)
            return
        self._rebuild(kinds)
        if vectors:
            self._embed(kinds)

    def _known(self, types: list[str]) -> list[str]:
        unknown = [kind for kind in types if registry.get(kind) is None]
        if unknown:
            raise CommandError(
                _("Unknown type: %(unknown)s. Known types: %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "known": ", ".join(t.kind for t in registry.types()),
                }
            )
        return list(dict.fromkeys(types))

    def _bar(self, total: int, description: str) -> tqdm:
        return tqdm(total=total, desc=description, file=ProgressFile(self.stderr))

    def _rebuild(self, kinds: list[str]) -> None:
        bars: dict[str, tqdm] = {}

        def progress(search_type, indexed: int) -> None:
            bar = bars.get(search_type.kind)
            if bar is None:
                for earlier in bars.values():
                    earlier.close()
                total = search_type.queryset().count()
                bar = bars[search_type.kind] = self._bar(total, str(search_type.label_plural))
            bar.update(indexed - bar.n)

        try:
            reports = indexing.reindex(kinds or None, progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
        for report in reports:
            self.stdout.write(
                _("%(type)s: %(indexed)d indexed, %(removed)d removed.")
                % {"type": report.kind, "indexed": report.indexed, "removed": report.removed}
            )

    def _embed(self, kinds: list[str]) -> None:
        # The documents embed_documents makes a vector for: none yet, or made from other text
        # or by another model.
        docs = SearchDocument.objects.exclude(
            vector_hash=F("text_hash"), vector_model=get_embedder_name()
        )
        if kinds:
            docs = docs.filter(kind__in=kinds)
        ids = list(docs.order_by("pk").values_list("pk", flat=True))
        made = 0
        if ids:
            with self._bar(len(ids), _("vectors")) as bar:
                for start in range(0, len(ids), EMBED_CHUNK):
                    before = made
                    made += indexing.embed_documents(
                        ids[start : start + EMBED_CHUNK],
                        progress=lambda done, before=before: bar.update(before + done - bar.n),
                    )
        self.stdout.write(
            ngettext("%(count)d vector made.", "%(count)d vectors made.", made) % {"count": made}
        )

    def _check(self, kinds: list[str]) -> None:
        problems = indexing.check(kinds or None)
        for problem in problems:
            self.stdout.write(f"{problem.kind}\t{problem.object_id}\t{problem.problem}")
        if not problems:
            self.stdout.write(_("The index matches the records."))
            return
        counts = Counter(problem.problem for problem in problems)
        summary = ", ".join(f"{name}: {count}" for name, count in sorted(counts.items()))
        raise CommandError(
            ngettext(
                "%(count)d problem in the search index (%(summary)s); run `civhub reindex`.",
                "%(count)d problems in the search index (%(summary)s); run `civhub reindex`.",
                len(problems),
            )
            % {"count": len(problems), "summary": summary}
        )
