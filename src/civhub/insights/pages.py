"""The insights' part of core's shared pages (core.registry): the about page's funding.
Registered by InsightsConfig.ready()."""

from typing import Any

from django.http import HttpRequest

from civhub.core import registry
from civhub.insights.models import Contribution


def funding(request: HttpRequest) -> dict[str, Any]:
    return {"contributions": Contribution.objects.select_related("donor", "managed_by")}


def register() -> None:
    registry.register_section(
        registry.Section("about", "funding", "insights/about_funding.html", funding, 20)
    )
