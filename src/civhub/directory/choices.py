from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembershipStatus(models.TextChoices):
    """A period of membership; a country whose periods have all ended is a former member."""

    PARTICIPATING = "participating", _("Participating")
    OBSERVER = "observer", _("Observer")


class CountryStatus(models.TextChoices):
    """A country's standing on a given date, derived from its membership history."""

    PARTICIPATING = "participating", _("Participating")
    OBSERVER = "observer", _("Observer")
    FORMER = "former", pgettext_lazy("membership status", "Former member")


class OrganizationKind(models.TextChoices):
    CIVIL_SERVICE_AGENCY = "agency", _("National civil-service agency")
    ACADEMY = "academy", _("Academy or school of public administration")
    INTERNATIONAL = "international", _("International organization")
    DONOR = "donor", _("Donor")
    RESEARCH = "research", _("Research centre")
    GOVERNMENT = "government", _("Government body")
    NGO = "ngo", _("Non-governmental organization")
    OTHER = "other", pgettext_lazy("organization kind", "Other")


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering Committee")
    ADVISORY_BOARD = "advisory_board", _("Advisory Board")
    SECRETARIAT = "secretariat", _("Secretariat")
    WORKING_GROUP = "working_group", _("Working group")


class SeatRole(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("seat role", "Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", pgettext_lazy("seat role", "Member")
    HEAD = "head", _("Head")
    SECRETARY = "secretary", _("Secretary")
    STAFF = "staff", _("Staff")
    OBSERVER = "observer", pgettext_lazy("seat role", "Observer")
