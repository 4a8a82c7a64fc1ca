"""The knowledge base's part of core's shared pages (core.registry): the home page's count of
good practices and its list of the latest ones. Registered by KnowledgeConfig.ready()."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civhub.core import registry
from civhub.knowledge.models import Practice


def practice_count() -> int:
    return Practice.objects.published().count()


def practices_url() -> str:
    return reverse("knowledge:practices")


def latest_practices(request: HttpRequest) -> dict[str, Any]:
    return {
        "latest_practices": Practice.objects.published().order_by("-published_at", "-created_at")[
            :5
        ]
    }


def register() -> None:
    registry.register_figure(
        registry.Figure("practices", _("Good practices"), practice_count, practices_url, order=30)
    )
    registry.register_section(
        registry.Section(
            "home", "latest-practices", "knowledge/home_latest_practices.html", latest_practices, 10
        )
    )
