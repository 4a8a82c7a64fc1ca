from contextlib import ExitStack
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from civhub.core import registry
from civhub.core.services import audit

# The steps are the apps' (core.registry.demo_steps, in their registered order: each may use
# what the ones before it made).


class Command(BaseCommand):
    help = "Load the demonstration data: the hub as its source documents describe it. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has member countries.",
        )
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Load the demo into a database that holds data the demo did not make.",
        )

    def handle(
        self, *args: Any, if_empty: bool = False, allow_real_data: bool = False, **options: Any
    ) -> None:
        def log(line: str) -> None:
            self.stdout.write(line)

        if if_empty and any(present() for present in registry.registry.demo_present):
            self.stdout.write("The database already has data; demo data not loaded.")
            if not self._data_not_from_the_demo():
                for summary in registry.registry.demo_summaries:
                    summary(log)
            return
        reasons = self._data_not_from_the_demo()
        if reasons and not allow_real_data:
            raise CommandError(
                "This database holds data that the demo did not make ("
                + "; ".join(reasons)
                + "). The demo adds invented records and accounts: load it into a database "
                "of its own, or pass --allow-real-data to load it here all the same."
            )
        steps = registry.demo_steps()
        with transaction.atomic(), ExitStack() as wrappers:
            for wrapper in registry.registry.demo_wrappers:
                wrappers.enter_context(wrapper())
            for number, step in enumerate(steps, start=1):
                self.stdout.write(f"[{number}/{len(steps)}] {step.label}")
                step.load(log=log)
            audit(None, "demo.loaded", summary="civhub demo")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    @staticmethod
    def _data_not_from_the_demo() -> list[str]:
        return [reason for guard in registry.registry.demo_guards for reason in guard()]
