"""`civhub search "QUERY" [--type T] [--country XX] [--region R] [--topic T] [--sdg CODE]
[--lang L] [--year-from Y] [--year-to Y] [--mode M] [--limit N] [--offset N] [--json]`

Searches as a visitor does (published records only), like the API without a token. Repeat an
option for "any of" (`--country KZ --country GE`). With --json it prints exactly what
`GET /api/v1/search` answers for the same parameters; an unusable query or filter is an error
(exit status 1) after that.
"""

import html
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civhub.search import registry, services
from civhub.search.api import answer_language


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, so translated when asked for
        return _("Search every published record, as the search page and the API do.")

    def add_arguments(self, parser):
        kinds = [search_type.kind for search_type in registry.types()]
        parser.add_argument("query", help=_("The words to search for."))
        for name, help_text in (
            ("--type", _("A record type: %(types)s.") % {"types": ", ".join(kinds)}),
            ("--country", _("A country's ISO code, e.g. KZ.")),
            ("--region", _("A region's slug.")),
            ("--topic", _("A topic's slug.")),
            ("--sdg", _("An SDG target's code, e.g. 16.6.")),
            ("--lang", _("A content language: en, ru or kk (also the output's language).")),
        ):
            parser.add_argument(name, action="append", default=[], help=help_text)
        parser.add_argument("--year-from", type=int, help=_("Records of this year or later."))
        parser.add_argument("--year-to", type=int, help=_("Records of this year or earlier."))
        parser.add_argument(
            "--mode",
            choices=services.MODES,
            default="hybrid",
            help=_("hybrid (words and meaning), lexical (words) or semantic (meaning)."),
        )
        parser.add_argument(
            "--limit", type=int, default=20, help=_("How many results, 1 to 100 (20).")
        )
        parser.add_argument("--offset", type=int, default=0, help=_("How many to skip."))
        parser.add_argument(
            "--json", action="store_true", help=_("Print the API's JSON answer instead.")
        )

    def handle(self, *args, **options):
        if not 1 <= options["limit"] <= services.MAX_LIMIT:
            raise CommandError(_("--limit: from 1 to %(max)s.") % {"max": services.MAX_LIMIT})
        # The API's parameters, by its names: one parser for the page, the API and this.
        params = services.parse(options | {"q": options["query"]})
        # The language of titles, links and messages, chosen as the API chooses it.
        with translation.override(answer_language(params.languages)):
            try:
                results = services.search(params)
            except services.InvalidFilter as exc:
                raise CommandError(str(exc)) from exc
            if options["json"]:
                self.stdout.write(json.dumps(results.as_json(), ensure_ascii=False))
            else:
                self._print(results)
            if results.error:
                raise CommandError(str(results.error))

    def _print(self, results: services.Results) -> None:
        if results.error:
            return
        self.stdout.write(
            ngettext(
                "%(count)d result for “%(query)s”",
                "%(count)d results for “%(query)s”",
                results.total,
            )
            % {"count": results.total, "query": results.params.q}
        )
        for number, result in enumerate(results.results, start=results.params.offset + 1):
            details = ", ".join(str(part) for part in (result.language, result.year) if part)
            self.stdout.write(f"\n{number}. [{result.kind_label}] {result.title} ({details})")
            self.stdout.write(f"   {result.url}")
            snippet = html.unescape(strip_tags(result.snippet)).strip()
            if snippet:
                self.stdout.write(f"   {snippet}")
        if results.facets:
            self.stdout.write("")
            for name, values in results.facets.items():
                counts = ", ".join(f"{value.label} {value.count}" for value in values[:10])
                self.stdout.write(f"{name}: {counts}")
