from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civhub.accounts import demo as accounts_demo
from civhub.awards import demo as awards_demo
from civhub.directory import demo as directory_demo
from civhub.insights import demo as insights_demo
from civhub.knowledge import demo_legal, demo_practices, demo_profiles

# In dependency order: each loader may use what the ones before it made.
LOADERS = [
    ("directory", directory_demo.load),
    ("contributions", insights_demo.load),
    ("accounts", accounts_demo.load),
    ("laws and knowledge transfers", demo_legal.load),
    ("country profiles", demo_profiles.load),
    ("good practices", demo_practices.load),
    ("innovative solutions scheme", awards_demo.load),
]


class Command(BaseCommand):
    help = "Load the demonstration data: the hub as its source documents describe it. Safe to run again."

    def add_arguments(self, parser):
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

    def handle(self, *args, if_empty=False, allow_real_data=False, **options):
        from civhub.core.services import audit
        from civhub.directory.models import Membership

        def log(line):
            self.stdout.write(line)

        if if_empty and Membership.objects.exists():
            self.stdout.write("The database already has data; demo data not loaded.")
            if not accounts_demo.data_not_from_the_demo():
                accounts_demo.describe(log)
            return
        reasons = accounts_demo.data_not_from_the_demo()
        if reasons and not allow_real_data:
            raise CommandError(
                "This database holds data that the demo did not make ("
                + "; ".join(reasons)
                + "). The demo adds invented records and accounts: load it into a database "
                "of its own, or pass --allow-real-data to load it here all the same."
            )
        from civhub.search.signals import batched

        with transaction.atomic(), batched():
            for step, (name, load) in enumerate(LOADERS, start=1):
                self.stdout.write(f"[{step}/{len(LOADERS)}] {name}")
                load(log=log)
            audit(None, "demo.loaded", summary="civhub demo")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
