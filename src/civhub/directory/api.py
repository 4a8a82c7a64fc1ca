"""The directory in the API: countries and their membership, organizations, experts, topics
and SDG targets. Read-only and open to everyone; lists filter with the pages' filter classes."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from civhub.accounts.api import PUBLIC
from civhub.core.api import (
    ERRORS_LIST,
    ERRORS_READ,
    LanguageQuery,
    Pagination,
    csv_response,
    filter_query,
    filtered,
)
from civhub.directory.filters import CountryFilter, ExpertFilter, OrganizationFilter
from civhub.directory.models import Country, Organization, Person, SdgTarget, Topic

router = Router(tags=["directory"])


def _html_url(obj, context) -> str:
    return context["request"].build_absolute_uri(obj.get_absolute_url())


# --- Schemas --------------------------------------------------------------------------------


class RegionOut(Schema):
    slug: str
    name: str


class CountryOut(Schema):
    code: str
    name: str
    region: RegionOut | None
    status: str
    html_url: str

    @staticmethod
    def resolve_html_url(obj, context):
        return _html_url(obj, context)


class MembershipOut(Schema):
    status: str
    joined_on: datetime.date
    left_on: datetime.date | None
    note: str


class CountryDetailOut(CountryOut):
    alpha3: str
    summary: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj):
        return obj.memberships.order_by("joined_on")


class OrganizationOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    country: str | None
    parent: str | None
    website: str
    is_partner: bool
    html_url: str

    @staticmethod
    def resolve_country(obj):
        return obj.country.code if obj.country_id else None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_html_url(obj, context):
        return _html_url(obj, context)


class OrganizationDetailOut(OrganizationOut):
    description: str


class ExpertOut(Schema):
    slug: str
    name: str
    position: str
    organization: str | None
    country: str | None
    languages: list[str]
    topics: list[str]
    bio: str
    email: str | None
    phone: str | None
    html_url: str

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.slug if obj.organization_id else None

    @staticmethod
    def resolve_country(obj):
        return obj.country.code if obj.country_id else None

    @staticmethod
    def resolve_topics(obj):
        return [t.slug for t in obj.topics.all()]

    # Contact details: only with the person's consent, and only to a caller with a token
    # (Person.contact_visible_to, the rule of the pages).
    @staticmethod
    def resolve_email(obj, context):
        return (obj.email or None) if obj.contact_visible_to(context["request"].user) else None

    @staticmethod
    def resolve_phone(obj, context):
        return (obj.phone or None) if obj.contact_visible_to(context["request"].user) else None

    @staticmethod
    def resolve_html_url(obj, context):
        return _html_url(obj, context)


class TopicOut(Schema):
    slug: str
    name: str
    description: str


class SdgTargetOut(Schema):
    code: str
    goal: int
    goal_name: str
    text: str

    @staticmethod
    def resolve_goal(obj):
        return obj.goal.number

    @staticmethod
    def resolve_goal_name(obj):
        return obj.goal.short_name


# --- Querysets: the same as the pages' ------------------------------------------------------


def countries():
    return Country.objects.in_hub().with_status().select_related("region")


def organizations():
    return Organization.objects.select_related("country", "parent")


def experts():
    return (
        Person.objects.experts()
        .select_related("country", "organization")
        .prefetch_related("topics")
    )


CountryQuery = filter_query(CountryFilter, "CountryQuery")
OrganizationQuery = filter_query(OrganizationFilter, "OrganizationQuery")
ExpertQuery = filter_query(ExpertFilter, "ExpertQuery")


# --- Countries ------------------------------------------------------------------------------


@router.get("/countries", response={200: list[CountryOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_countries(request, params: Query[CountryQuery]):
    """The hub's countries (members now or before), filtered like the Countries page."""
    return filtered(request, CountryFilter, countries(), params)


@router.get("/countries.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_countries(request, params: Query[CountryQuery]):
    """The filtered countries as CSV, every row."""
    rows = filtered(request, CountryFilter, countries(), params)
    return csv_response(request, rows, CountryOut, "countries.csv")


@router.get(
    "/countries/{code}", response={200: CountryDetailOut, **ERRORS_READ}, openapi_extra=PUBLIC
)
def get_country(request, code: str, params: Query[LanguageQuery]):
    """One country by ISO code, with its membership history."""
    return get_object_or_404(
        Country.objects.with_status().select_related("region"), code=code.upper()
    )


# --- Organizations --------------------------------------------------------------------------


@router.get(
    "/organizations", response={200: list[OrganizationOut], **ERRORS_LIST}, openapi_extra=PUBLIC
)
@paginate(Pagination)
def list_organizations(request, params: Query[OrganizationQuery]):
    """Organizations, filtered like the Organizations page."""
    return filtered(request, OrganizationFilter, organizations(), params)


@router.get("/organizations.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_organizations(request, params: Query[OrganizationQuery]):
    """The filtered organizations as CSV, every row."""
    rows = filtered(request, OrganizationFilter, organizations(), params)
    return csv_response(request, rows, OrganizationOut, "organizations.csv")


@router.get(
    "/organizations/{slug}",
    response={200: OrganizationDetailOut, **ERRORS_READ},
    openapi_extra=PUBLIC,
)
def get_organization(request, slug: str, params: Query[LanguageQuery]):
    return get_object_or_404(organizations(), slug=slug)


# --- Experts --------------------------------------------------------------------------------


@router.get("/experts", response={200: list[ExpertOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_experts(request, params: Query[ExpertQuery]):
    """The expert roster, filtered like the Experts page. E-mail and phone are given only
    with the expert's consent, and only to a caller with a token."""
    return filtered(request, ExpertFilter, experts(), params)


@router.get("/experts.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_experts(request, params: Query[ExpertQuery]):
    """The filtered expert roster as CSV, every row (contact details as in the list)."""
    rows = filtered(request, ExpertFilter, experts(), params)
    return csv_response(request, rows, ExpertOut, "experts.csv")


# --- Reference lists ------------------------------------------------------------------------


@router.get("/topics", response=list[TopicOut], openapi_extra=PUBLIC)
@paginate(Pagination)
def list_topics(request, params: Query[LanguageQuery]):
    """The topics records are tagged with (the `topic` filter takes their slug)."""
    return Topic.objects.all()


@router.get("/sdg-targets", response=list[SdgTargetOut], openapi_extra=PUBLIC)
@paginate(Pagination)
def list_sdg_targets(request, params: Query[LanguageQuery]):
    """The SDG targets (the `sdg` filter takes their code)."""
    return SdgTarget.objects.select_related("goal")
