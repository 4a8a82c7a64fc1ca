"""The directory's part of core's shared pages (core.registry): the home page's figures of
members, partners and experts, its lists of the latest members and the partners, and the
about page's membership over time. Registered by DirectoryConfig.ready()."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civhub.core import registry
from civhub.directory.models import Country, Membership, Organization, Person, member_count_on
from civhub.directory.services import membership_growth


def member_count() -> int:
    return member_count_on(timezone.localdate())


def partner_count() -> int:
    return Organization.objects.partners().count()


def expert_count() -> int:
    return Person.objects.experts().count()


def members_url() -> str:
    return reverse("directory:countries") + "?status=participating"


def partners_url() -> str:
    return reverse("directory:organizations") + "?is_partner=true"


def experts_url() -> str:
    return reverse("directory:experts")


def latest_members(request: HttpRequest) -> dict[str, Any]:
    return {
        "latest_members": Membership.objects.select_related("country").order_by(
            "-joined_on", "-id"
        )[:5]
    }


def partners(request: HttpRequest) -> dict[str, Any]:
    return {"partners": Organization.objects.partners().order_by("name")[:8]}


def growth(request: HttpRequest) -> dict[str, Any]:
    return {"growth": membership_growth(), "country_count": Country.objects.in_hub().count()}


def register() -> None:
    registry.register_figure(
        registry.Figure("members", _("Member countries"), member_count, members_url, order=10)
    )
    registry.register_figure(
        registry.Figure(
            "partners", _("Partner organizations"), partner_count, partners_url, order=20
        )
    )
    registry.register_figure(
        registry.Figure("experts", _("Experts on the roster"), expert_count, experts_url, order=40)
    )
    registry.register_section(
        registry.Section(
            "home", "latest-members", "directory/home_latest_members.html", latest_members, 20
        )
    )
    registry.register_section(
        registry.Section("home", "partners", "directory/home_partners.html", partners, 30)
    )
    registry.register_section(
        registry.Section("about", "growth", "directory/about_growth.html", growth, 10)
    )
