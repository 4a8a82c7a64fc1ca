"""Kazakhstan's commitment (seed 003): $14 million for the hub's institutional support,
agreed with UNDP on 17 September 2014, "until 2017"."""

import datetime
from decimal import Decimal

from civhub.directory.models import Organization
from civhub.insights.models import Contribution


def load(log=print) -> None:
    donor = Organization.objects.get(slug="government-of-kazakhstan")
    Contribution.objects.update_or_create(
        donor=donor,
        period_start=datetime.date(2014, 9, 17),
        defaults={
            "managed_by": Organization.objects.get(slug="undp"),
            "amount": Decimal("14000000"),
            "currency": "USD",
            "signed_on": datetime.date(2014, 9, 17),
            "period_end": datetime.date(2017, 12, 31),
            "purpose": "Institutional and financial support to the Regional Hub",
            "source_note": "Agreement between the Government of Kazakhstan and UNDP, Astana, 17 September 2014",
        },
    )
    log(f"  contributions: {Contribution.objects.count()}")
