"""The directory in the API: countries and their membership, organizations, people and the
expert roster, topics and SDG targets. Reads are open to everyone; lists filter with the pages'
filter classes. Records are read in one language version as a whole, chosen for `?lang=` by the
rule of their pages (core's VersionedTextMixin). Those who may edit a record on its page may
PATCH it here (a read-and-write token), through the page's form and the same service: send the
`version` you read and a record changed since is refused with 409."""

import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from civhub.accounts.auth import PUBLIC, token_auth
from civhub.core.api import (
    ERRORS_EDIT,
    ERRORS_LIST,
    ERRORS_READ,
    Language,
    LanguageQuery,
    Pagination,
    csv_response,
    filter_query,
    filtered,
    patch_schema,
    related_code,
    related_codes,
)
from civhub.core.models import VersionedTextMixin
from civhub.directory import services
from civhub.directory.choices import OrganizationKind
from civhub.directory.filters import CountryFilter, ExpertFilter, OrganizationFilter
from civhub.directory.forms import CountryForm, OrganizationForm, PersonForm
from civhub.directory.models import (
    Country,
    Membership,
    Organization,
    Person,
    SdgTarget,
    Topic,
)

# A record the API edits (services.save_record).
Record = Country | Organization | Person

router = Router(tags=["directory"])


def _html_url(obj: Record, context: dict[str, Any]) -> str:
    return context["request"].build_absolute_uri(obj.get_absolute_url())


def _shown(obj: VersionedTextMixin, field: str) -> str:
    """`field` in the version the record's page shows for the `lang` asked."""
    return obj.shown_text(field, translation.get_language())


READING = (
    "The language of the version returned: `lang` when the record is written in it (its "
    "name and, when it has one, its text), else English, else the first language it is "
    "written in. Every translated field comes from that version, as on the record's page."
)
TRANSLATIONS = "The languages the record has a version in."
VERSION = "Send it back with a PATCH to have an edit of a record changed since refused (409)."


class VersionedOut(Schema):
    reading_language: str = Field(description=READING)
    translations: list[str] = Field(description=TRANSLATIONS)
    version: int = Field(description=VERSION)

    @staticmethod
    def resolve_reading_language(obj: VersionedTextMixin) -> str:
        return obj.reading_language(translation.get_language())

    @staticmethod
    def resolve_translations(obj: VersionedTextMixin) -> list[str]:
        return obj.available_languages


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
    def resolve_html_url(obj: Country, context: dict[str, Any]) -> str:
        return _html_url(obj, context)


class MembershipOut(Schema):
    status: str
    joined_on: datetime.date
    left_on: datetime.date | None
    note: str


class CountryDetailOut(CountryOut, VersionedOut):
    alpha3: str
    summary: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_summary(obj: Country) -> str:
        return _shown(obj, "summary")

    @staticmethod
    def resolve_memberships(obj: Country) -> QuerySet[Membership]:
        return obj.memberships.order_by("joined_on")


class OrganizationOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    country: str | None
    parent: str | None = Field(description="The parent organization's slug.")
    website: str
    is_partner: bool
    html_url: str

    @staticmethod
    def resolve_name(obj: Organization) -> str:
        return _shown(obj, "name")

    resolve_country = related_code("country")

    resolve_parent = related_code("parent", "slug")

    @staticmethod
    def resolve_html_url(obj: Organization, context: dict[str, Any]) -> str:
        return _html_url(obj, context)


class OrganizationDetailOut(OrganizationOut, VersionedOut):
    description: str

    @staticmethod
    def resolve_description(obj: Organization) -> str:
        return _shown(obj, "description")


class ExpertOut(Schema):
    slug: str
    name: str
    position: str
    organization: str | None = Field(description="The organization's slug.")
    country: str | None = Field(description="ISO code.")
    languages: list[str] = Field(description="ISO 639-1 codes.")
    topics: list[str] = Field(description="Topic slugs.")
    bio: str
    email: str | None
    phone: str | None
    html_url: str

    @staticmethod
    def resolve_position(obj: Person) -> str:
        return _shown(obj, "position")

    @staticmethod
    def resolve_bio(obj: Person) -> str:
        return _shown(obj, "bio")

    resolve_organization = related_code("organization", "slug")

    resolve_country = related_code("country")

    resolve_topics = related_codes("topics", "slug")

    # Contact details: only with the person's consent, and only to a caller with a token
    # (Person.contact_visible_to, the rule of the pages).
    @staticmethod
    def resolve_email(obj: Person, context: dict[str, Any]) -> str | None:
        return (obj.email or None) if obj.contact_visible_to(context["request"].user) else None

    @staticmethod
    def resolve_phone(obj: Person, context: dict[str, Any]) -> str | None:
        return (obj.phone or None) if obj.contact_visible_to(context["request"].user) else None

    @staticmethod
    def resolve_html_url(obj: Person, context: dict[str, Any]) -> str:
        return _html_url(obj, context)


class PersonOut(ExpertOut, VersionedOut):
    on_roster: bool


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
    def resolve_goal(obj: SdgTarget) -> int:
        return obj.goal.number

    @staticmethod
    def resolve_goal_name(obj: SdgTarget) -> str:
        return obj.goal.short_name


# --- Querysets: the same as the pages' ------------------------------------------------------


def countries() -> QuerySet[Country]:
    return Country.objects.in_hub().with_status().select_related("region")


def organizations() -> QuerySet[Organization]:
    return Organization.objects.select_related("country", "parent")


def experts() -> QuerySet[Person]:
    return (
        Person.objects.experts()
        .select_related("country", "organization")
        .prefetch_related("topics")
    )


CountryQuery = filter_query(CountryFilter, "CountryQuery")
OrganizationQuery = filter_query(OrganizationFilter, "OrganizationQuery")
ExpertQuery = filter_query(ExpertFilter, "ExpertQuery")
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    CountryQueryType: TypeAlias = LanguageQuery
    OrganizationQueryType: TypeAlias = LanguageQuery
    ExpertQueryType: TypeAlias = LanguageQuery
else:
    CountryQueryType = CountryQuery
    OrganizationQueryType = OrganizationQuery
    ExpertQueryType = ExpertQuery


# --- Countries ------------------------------------------------------------------------------


@router.get("/countries", response={200: list[CountryOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_countries(request: HttpRequest, params: Query[CountryQueryType]) -> QuerySet[Country]:
    """The hub's countries (members now or before), filtered like the Countries page."""
    return filtered(request, CountryFilter, countries(), params)


@router.get("/countries.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_countries(request: HttpRequest, params: Query[CountryQueryType]) -> HttpResponse:
    """The filtered countries as CSV, every row."""
    rows = filtered(request, CountryFilter, countries(), params)
    return csv_response(request, rows, CountryOut, "countries.csv")


@router.get(
    "/countries/{code}", response={200: CountryDetailOut, **ERRORS_READ}, openapi_extra=PUBLIC
)
def get_country(request: HttpRequest, code: str, params: Query[LanguageQuery]) -> Country:
    """One country by ISO code, with its membership history."""
    return get_object_or_404(
        Country.objects.with_status().select_related("region"), code=code.upper()
    )


# --- Organizations --------------------------------------------------------------------------


@router.get(
    "/organizations", response={200: list[OrganizationOut], **ERRORS_LIST}, openapi_extra=PUBLIC
)
@paginate(Pagination)
def list_organizations(
    request: HttpRequest, params: Query[OrganizationQueryType]
) -> QuerySet[Organization]:
    """Organizations, filtered like the Organizations page."""
    return filtered(request, OrganizationFilter, organizations(), params)


@router.get("/organizations.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_organizations(
    request: HttpRequest, params: Query[OrganizationQueryType]
) -> HttpResponse:
    """The filtered organizations as CSV, every row."""
    rows = filtered(request, OrganizationFilter, organizations(), params)
    return csv_response(request, rows, OrganizationOut, "organizations.csv")


@router.get(
    "/organizations/{slug}",
    response={200: OrganizationDetailOut, **ERRORS_READ},
    openapi_extra=PUBLIC,
)
def get_organization(request: HttpRequest, slug: str, params: Query[LanguageQuery]) -> Organization:
    return get_object_or_404(organizations(), slug=slug)


# --- Experts --------------------------------------------------------------------------------


@router.get("/experts", response={200: list[ExpertOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_experts(request: HttpRequest, params: Query[ExpertQueryType]) -> QuerySet[Person]:
    """The expert roster, filtered like the Experts page. E-mail and phone are given only
    with the expert's consent, and only to a caller with a token."""
    return filtered(request, ExpertFilter, experts(), params)


@router.get("/experts.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_experts(request: HttpRequest, params: Query[ExpertQueryType]) -> HttpResponse:
    """The filtered expert roster as CSV, every row (contact details as in the list)."""
    rows = filtered(request, ExpertFilter, experts(), params)
    return csv_response(request, rows, ExpertOut, "experts.csv")


# --- Reference lists ------------------------------------------------------------------------


@router.get("/topics", response=list[TopicOut], openapi_extra=PUBLIC)
@paginate(Pagination)
def list_topics(request: HttpRequest, params: Query[LanguageQuery]) -> QuerySet[Topic]:
    """The topics records are tagged with (the `topic` filter takes their slug)."""
    return Topic.objects.all()


@router.get("/sdg-targets", response=list[SdgTargetOut], openapi_extra=PUBLIC)
@paginate(Pagination)
def list_sdg_targets(request: HttpRequest, params: Query[LanguageQuery]) -> QuerySet[SdgTarget]:
    """The SDG targets (the `sdg` filter takes their code)."""
    return SdgTarget.objects.select_related("goal")


# --- Editing --------------------------------------------------------------------------------
# A PATCH goes through the record's page form (the same validation) and services.save_record
# (the same permission, lock, version check and audit): only the fields sent change. Its
# body has the read schema's fields (core.api.patch_schema), each optional.


def _version_in() -> Any:  # a pydantic Field
    return Field(
        None, ge=1, description="The version you read; a record changed since is refused with 409."
    )


def _translations(texts: type[Schema], example: str) -> tuple[Any, Any]:
    return (dict[Language, texts] | None, Field(None, description=example))  # type: ignore[valid-type]


CountryTexts = patch_schema("CountryTexts", CountryDetailOut, "summary")
CountryChange = patch_schema(
    "CountryChange",
    CountryDetailOut,
    "version translations",
    version=_version_in(),
    translations=_translations(
        CountryTexts, 'The summary by language, e.g. {"ru": {"summary": "..."}}.'
    ),
)

OrganizationKindValue = Literal[tuple(OrganizationKind.values)]  # type: ignore[valid-type]
OrganizationTexts = patch_schema("OrganizationTexts", OrganizationDetailOut, "name description")
OrganizationChange = patch_schema(
    "OrganizationChange",
    OrganizationDetailOut,
    "version translations acronym kind country parent website",
    version=_version_in(),
    translations=_translations(
        OrganizationTexts, 'Name and description by language, e.g. {"kk": {"name": "..."}}.'
    ),
    kind=OrganizationKindValue,
    country=Field(None, description="ISO code; empty for international ones."),
)

PersonTexts = patch_schema("PersonTexts", PersonOut, "position bio")
PersonChange = patch_schema(
    "PersonChange",
    PersonOut,
    "version name translations organization country languages topics on_roster email phone "
    "contact_consent",
    version=_version_in(),
    translations=_translations(
        PersonTexts, 'Position and biography by language, e.g. {"ru": {"bio": "..."}}.'
    ),
    contact_consent=bool,
)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    CountryChangeType: TypeAlias = Schema
    OrganizationChangeType: TypeAlias = Schema
    PersonChangeType: TypeAlias = Schema
else:
    CountryChangeType = CountryChange
    OrganizationChangeType = OrganizationChange
    PersonChangeType = PersonChange


# The API names related records by code or slug; the page's forms take primary keys.
RELATIONS: dict[str, tuple[Any, str]] = {
    "country": (Country, "code"),
    "parent": (Organization, "slug"),
    "organization": (Organization, "slug"),
    "topics": (Topic, "slug"),
}


def _primary_key(errors: dict[str, list[str]], name: str, value: Any) -> list[int] | int | str:
    model, key = RELATIONS[name]
    values = value if isinstance(value, list) else [value]
    wanted = [str(v).upper() if model is Country else str(v) for v in values if v]
    found = dict(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, "pk"))
    unknown = [v for v in wanted if v not in found]
    if unknown:
        errors[name] = [_("Unknown: %(values)s.") % {"values": ", ".join(unknown)}]
    keys = [found[v] for v in wanted if v in found]
    return keys if isinstance(value, list) else (keys[0] if keys else "")


def _patch(
    request: HttpRequest, record: Record, form_class: type[ModelForm], change: dict[str, Any]
) -> Record:
    """Fill the page's form with the record as stored and the change over it, and save it
    through the service. Errors name the API's fields (`translations.ru.name`)."""
    if not record.can_edit(request.user):
        raise PermissionDenied(_("You may not edit this record."))
    version = change.pop("version", None)
    kwargs: dict[str, Any] = {} if form_class is CountryForm else {"user": request.user}
    stored = form_class(instance=record, **kwargs)
    data = {name: stored[name].value() for name in stored.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    for code, texts in (change.pop("translations", None) or {}).items():
        for field, value in texts.items():
            data[f"{field}_{code}"] = value or ""
    errors: dict[str, list[str]] = {}
    for name, value in change.items():
        if name in RELATIONS:
            data[name] = _primary_key(errors, name, value or ([] if name == "topics" else ""))
        else:
            data[name] = "" if value is None else value
    if errors:
        raise ValidationError(errors)
    form = form_class(data=data, instance=record, **kwargs)
    if not form.is_valid():
        named: dict[str, list[str]] = {}
        for name, messages in form.errors.items():
            base, _sep, code = name.rpartition("_")
            if base and code in ("en", "ru", "kk"):
                name = f"translations.{code}.{base}"
            named.setdefault(name, []).extend(str(m) for m in messages)
        raise ValidationError(named)
    return services.save_record(
        request.user, form.save(commit=False), m2m_form=form, version=version
    )


@router.patch(
    "/countries/{code}",
    auth=token_auth,
    response={200: CountryDetailOut, **ERRORS_EDIT},
    url_name="update_country",
)
def update_country(
    request: HttpRequest, code: str, payload: CountryChangeType, params: Query[LanguageQuery]
) -> Country:
    """Change a country's summary (editors; a focal point its own country)."""
    country = get_object_or_404(Country, code=code.upper())
    saved = _patch(request, country, CountryForm, payload.model_dump(exclude_unset=True))
    return get_object_or_404(Country.objects.with_status().select_related("region"), pk=saved.pk)


@router.patch(
    "/organizations/{slug}",
    auth=token_auth,
    response={200: OrganizationDetailOut, **ERRORS_EDIT},
    url_name="update_organization",
)
def update_organization(
    request: HttpRequest, slug: str, payload: OrganizationChangeType, params: Query[LanguageQuery]
) -> Organization:
    """Change the fields sent (editors; a focal point its own country's organizations)."""
    organization = get_object_or_404(Organization, slug=slug)
    saved = _patch(request, organization, OrganizationForm, payload.model_dump(exclude_unset=True))
    return organizations().get(pk=saved.pk)


def people() -> QuerySet[Person]:
    return Person.objects.select_related("country", "organization").prefetch_related("topics")


@router.get("/people/{slug}", response={200: PersonOut, **ERRORS_READ}, openapi_extra=PUBLIC)
def get_person(request: HttpRequest, slug: str, params: Query[LanguageQuery]) -> Person:
    """One person, as on the person's page (contact details as in the expert list)."""
    return get_object_or_404(people(), slug=slug)


@router.patch(
    "/people/{slug}",
    auth=token_auth,
    response={200: PersonOut, **ERRORS_EDIT},
    url_name="update_person",
)
def update_person(
    request: HttpRequest, slug: str, payload: PersonChangeType, params: Query[LanguageQuery]
) -> Person:
    """Change the fields sent (the person themself, editors, their country's focal points)."""
    person = get_object_or_404(Person, slug=slug)
    saved = _patch(request, person, PersonForm, payload.model_dump(exclude_unset=True))
    return people().get(pk=saved.pk)
