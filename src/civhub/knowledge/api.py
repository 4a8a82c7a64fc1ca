"""The knowledge base in the API: good practices (read, write, workflow), laws and by-laws,
knowledge transfers.

Reads show what `visible_to(caller)` allows: published records for everyone, and with a token
whatever the caller's roles add (an author's drafts, a focal point's country). A record the
caller may not see is a 404. Writes need a token and go through the services, which check the
permission again; the form of the submission page validates the fields, so the API and the page
accept exactly the same records.
"""

import copy
import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic.config import JsonDict

from civhub.accounts.auth import PUBLIC, token_auth
from civhub.core.api import (
    ERRORS_EDIT,
    ERRORS_LIST,
    ERRORS_READ,
    ERRORS_WRITE,
    LANGUAGE_CODES,
    Language,
    LanguageQuery,
    Pagination,
    csv_response,
    filter_query,
    filtered,
    live_enum,
    patch_schema,
    related_code,
    related_codes,
)
from civhub.core.permissions import visible_or_404
from civhub.core.services import Conflict
from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.choices import (
    PRACTICE_TRANSITIONS,
    LegalActKind,
    LegalActStatus,
    PracticeState,
    ProjectStatus,
    PublicationState,
    TransferKind,
    TransferStage,
    TransferSubject,
)
from civhub.knowledge.filters.legal import LegalActFilter
from civhub.knowledge.filters.practices import PracticeFilter
from civhub.knowledge.filters.transfers import TransferFilter
from civhub.knowledge.forms.legal import LegalActForm
from civhub.knowledge.forms.practices import PracticeForm
from civhub.knowledge.forms.transfers import TransferForm
from civhub.knowledge.models import KnowledgeTransfer, LegalAct, Practice
from civhub.knowledge.services import legal as legal_services
from civhub.knowledge.services import practices as practice_services
from civhub.knowledge.services import transfers as transfer_services

router = Router(tags=["knowledge"])


# --- Translated content ---------------------------------------------------------------------


def shown_text(obj, field: str, language: str | None = None) -> str:
    """A translated field in the version the reader gets for the `lang` asked (the record's
    one rule, `reading_language`): the same version as the record's page."""
    return obj.shown_text(field, language or translation.get_language())


def _html_url(obj, context) -> str | None:
    try:
        return context["request"].build_absolute_uri(obj.get_absolute_url())
    except NoReverseMatch:  # the record's page is not built (yet)
        return None


ORIGINAL = "The original language of the record."
READING = (
    "The language of the version returned: the one asked for with `lang` when the record has "
    "a title and body in it, else the original language. Every text field comes from that "
    "version (empty where the version lacks it), as on the record's page."
)
TRANSLATIONS = "The languages the record has a version (title and body) in."
VERSION = "Send it back with a PATCH to refuse stale edits."
STALE = "The version you read; a record changed since is a 409."


def _reading_language(obj) -> str:
    return obj.reading_language(translation.get_language())


# --- Practices: schemas ---------------------------------------------------------------------


class PracticeOut(Schema):
    slug: str
    title: str
    summary: str
    state: str
    countries: list[str] = Field(description="ISO codes of the countries involved.")
    topics: list[str] = Field(description="Topic slugs.")
    sdg_targets: list[str] = Field(description="SDG target codes, e.g. 16.6.")
    project_status: str
    period_start: int | None
    period_end: int | None
    publication_date: datetime.date | None
    published_at: datetime.datetime | None
    html_url: str | None
    language: str = Field(description=ORIGINAL)
    reading_language: str = Field(description=READING)
    translations: list[str] = Field(description=TRANSLATIONS)

    @staticmethod
    def resolve_reading_language(obj):
        return _reading_language(obj)

    @staticmethod
    def resolve_translations(obj):
        return obj.available_languages

    @staticmethod
    def resolve_title(obj):
        return shown_text(obj, "title")

    @staticmethod
    def resolve_summary(obj):
        return shown_text(obj, "summary")

    resolve_countries = related_codes("countries")

    resolve_topics = related_codes("topics", "slug")

    resolve_sdg_targets = related_codes("sdg_targets")

    @staticmethod
    def resolve_html_url(obj, context):
        return _html_url(obj, context)


class ContactOut(Schema):
    name: str
    position: str
    email: str | None = Field(description="Only for a logged-in caller (null otherwise).")


class PracticeDetailOut(PracticeOut):
    challenge: str
    solution: str
    results: str
    lessons: str
    countries_text: list[str]
    supported_by: list[str] = Field(description="Organization slugs.")
    supported_by_text: list[str]
    implementing_entities: list[str] = Field(description="Organization slugs.")
    implementing_text: list[str]
    url: str = Field(description="The practice's own website.")
    source: str
    endorsed_by: list[str] = Field(description="ISO codes of the countries that endorse it.")
    contacts: list[ContactOut] = Field(
        description="Names and positions for everyone; e-mail addresses as on the page."
    )
    changes_requested: str | None = Field(
        description="The editors' message to the author; only for those who may edit."
    )
    can_edit: bool
    version: int = Field(description="Send it back with a PATCH to refuse stale edits.")
    transitions: list[str] = Field(description="The workflow steps the caller may take now.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_challenge(obj):
        return shown_text(obj, "challenge")

    @staticmethod
    def resolve_solution(obj):
        return shown_text(obj, "solution")

    @staticmethod
    def resolve_results(obj):
        return shown_text(obj, "results")

    @staticmethod
    def resolve_lessons(obj):
        return shown_text(obj, "lessons")

    resolve_supported_by = related_codes("supported_by", "slug")

    resolve_implementing_entities = related_codes("implementing_entities", "slug")

    @staticmethod
    def resolve_endorsed_by(obj):
        return sorted(e.country.code for e in obj.endorsements.all())

    @staticmethod
    def resolve_contacts(obj, context):
        return [
            {**contact, "email": contact["email"] or None}
            for contact in obj.contacts_for(context["request"].user)
        ]

    @staticmethod
    def resolve_changes_requested(obj, context):
        return obj.changes_requested if obj.can_edit(context["request"].user) else None

    @staticmethod
    def resolve_can_edit(obj, context):
        return obj.can_edit(context["request"].user)

    @staticmethod
    def resolve_transitions(obj, context):
        return [t.name for t in obj.allowed_transitions(context["request"].user)]


TEXT_FIELDS = ("title", "summary", "challenge", "solution", "results", "lessons")
ProjectStatusValue = Literal[("", *ProjectStatus.values)]  # type: ignore[valid-type]


# What the submission form accepts, written into the schema (the form stays the judge: 400).
TITLE: JsonDict = {"maxLength": 300}
YEAR_RANGE: JsonDict = {"minimum": 1900, "maximum": 2100}
# A web address Django's URLValidator takes (http or https, a host with a top-level domain).
URL: JsonDict = {
    "maxLength": 500,
    "pattern": r"^$|^https?://[a-z0-9]+(\.[a-z0-9]+)*\.[a-z]{2,63}(/[A-Za-z0-9._~-]*)*$",
}


def _codes(model, key: str, queryset=None):
    objects = queryset if queryset is not None else model.objects.all()
    return lambda: [str(v) for v in objects.order_by(key).values_list(key, flat=True)]


def _enum_items(values):
    return live_enum(values, blank=False, items=True)


PracticeTexts = patch_schema(
    "PracticeTexts", PracticeDetailOut, TEXT_FIELDS, title=Field(None, json_schema_extra=TITLE)
)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    PracticeTextsType: TypeAlias = Schema
else:
    PracticeTextsType = PracticeTexts
PracticeChange = patch_schema(
    "PracticeChange",
    PracticeDetailOut,
    "version language title summary challenge solution results lessons translations countries "
    "countries_text supported_by supported_by_text implementing_entities implementing_text "
    "topics sdg_targets project_status period_start period_end publication_date url source",
    doc="""Every field of a practice, all optional (PATCH changes only the fields sent).

    The text fields (title ... lessons) are in the record's original `language`; `translations`
    holds the other languages, e.g. {"ru": {"title": "..."}}.
    """,
    version=Field(
        None, ge=1, description="The version you read; a practice changed since is a 409."
    ),
    language=Language,
    title=Field(None, json_schema_extra=TITLE),
    translations=dict[Language, PracticeTextsType],
    countries=Field(
        None,
        json_schema_extra=_enum_items(
            _codes(Country, "code", Country.objects.with_civil_service())
        ),
    ),
    supported_by=Field(None, json_schema_extra=_enum_items(_codes(Organization, "slug"))),
    implementing_entities=Field(None, json_schema_extra=_enum_items(_codes(Organization, "slug"))),
    topics=Field(None, json_schema_extra=_enum_items(_codes(Topic, "slug"))),
    sdg_targets=Field(None, json_schema_extra=_enum_items(_codes(SdgTarget, "code"))),
    project_status=ProjectStatusValue,
    period_start=Field(None, json_schema_extra=YEAR_RANGE),
    period_end=Field(
        None,
        description="The same year as `period_start` or later.",
        json_schema_extra=YEAR_RANGE,
    ),
    url=Field(None, json_schema_extra=URL),
    source=Field(None, json_schema_extra={"maxLength": 300}),
)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    PracticeChangeType: TypeAlias = Schema
else:
    PracticeChangeType = PracticeChange


class PracticeIn(PracticeChangeType):
    """A new practice; it is saved as a draft of the caller's."""

    language: Language = "en"
    title: str = Field(json_schema_extra={**TITLE, "pattern": r"\S"})


class TransitionIn(Schema):
    message: str = Field("", description="Required when asking for changes.")


TransitionName = Literal[tuple(PRACTICE_TRANSITIONS)]  # type: ignore[valid-type]
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    TransitionNameType: TypeAlias = str
else:
    TransitionNameType = TransitionName


# --- Practices: reading ---------------------------------------------------------------------

LIST_RELATED = ("countries", "topics", "sdg_targets")
DETAIL_RELATED = (
    *LIST_RELATED,
    "supported_by",
    "implementing_entities",
    "contacts",
    "endorsements__country",
)

PracticeQuery = filter_query(PracticeFilter, "PracticeQuery")
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    PracticeQueryType: TypeAlias = LanguageQuery
else:
    PracticeQueryType = PracticeQuery


def practices_for(user):
    return Practice.objects.visible_to(user).prefetch_related(*LIST_RELATED)


def practice_for(request, slug: str) -> Practice:
    """The practice, if the caller may see it; else 404 (as on the page)."""
    return visible_or_404(
        Practice.objects.prefetch_related(*DETAIL_RELATED), request.user, slug=slug
    )


def _reloaded(practice: Practice) -> Practice:
    return Practice.objects.prefetch_related(*DETAIL_RELATED).get(pk=practice.pk)


@router.get("/practices", response={200: list[PracticeOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_practices(request, params: Query[PracticeQueryType]):
    """Good practices the caller may see, filtered and sorted like the Good practices page."""
    return filtered(request, PracticeFilter, practices_for(request.user), params)


@router.get("/practices.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_practices(request, params: Query[PracticeQueryType]):
    """The filtered practices as CSV, every row."""
    rows = filtered(request, PracticeFilter, practices_for(request.user), params)
    return csv_response(request, rows, PracticeOut, "practices.csv")


@router.get(
    "/practices/{slug}", response={200: PracticeDetailOut, **ERRORS_READ}, openapi_extra=PUBLIC
)
def get_practice(request, slug: str, params: Query[LanguageQuery]):
    """One practice. Contacts only for a caller with a token."""
    return practice_for(request, slug)


# --- Practices: writing ---------------------------------------------------------------------

# The API names relations by code or slug; the page's form takes primary keys.
RELATIONS: dict[str, tuple[Any, str]] = {
    "countries": (Country, "code"),
    "supported_by": (Organization, "slug"),
    "implementing_entities": (Organization, "slug"),
    "topics": (Topic, "slug"),
    "sdg_targets": (SdgTarget, "code"),
}
LINES = ("countries_text", "supported_by_text", "implementing_text")
PLAIN = ("project_status", "period_start", "period_end", "publication_date", "url", "source")


def _primary_keys(errors: dict, name: str, values: list[str]) -> list[int]:
    model, key = RELATIONS[name]
    wanted = [v.upper() if key == "code" and model is Country else v for v in values]
    found = dict(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, "pk"))
    unknown = [v for v in wanted if v not in found]
    if unknown:
        errors[name] = [_("Unknown: %(values)s.") % {"values": ", ".join(unknown)}]
    return [found[v] for v in wanted if v in found]


def _form_for(practice: Practice, change: dict[str, Any]) -> tuple[PracticeForm, str]:
    """The submission page's form, filled with the record as stored and the change over it."""
    stored = PracticeForm(instance=practice)
    data = {name: stored[name].value() for name in stored.fields}
    language = change.get("language") or data.get("language") or "en"
    data["language"] = language
    for code, texts in (change.get("translations") or {}).items():
        for field, value in texts.items():
            data[f"{field}_{code}"] = value or ""
    for field in TEXT_FIELDS:
        if field in change:
            data[f"{field}_{language}"] = change[field] or ""
    errors: dict[str, list[str]] = {}
    for name in RELATIONS:
        if name in change:
            data[name] = _primary_keys(errors, name, change[name] or [])
    if errors:
        raise ValidationError(errors)
    for name in LINES:
        if name in change:
            data[name] = "\n".join(change[name] or [])
    for name in PLAIN:
        if name in change:
            data[name] = "" if change[name] is None else change[name]
    return PracticeForm(data=data, instance=practice), language


def _form_errors(form: PracticeForm, language: str) -> ValidationError:
    """The form's errors under the names the API uses: `title` for the original language,
    `translations.ru.title` for a translation."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        base, _sep, code = name.rpartition("_")
        if base in TEXT_FIELDS and code in LANGUAGE_CODES:
            name = base if code == language else f"translations.{code}.{base}"
        errors.setdefault(name, []).extend(str(m) for m in messages)
    return ValidationError(errors)


def _save(
    request, practice: Practice, change: dict[str, Any], version: int | None = None
) -> Practice:
    form, language = _form_for(practice, change)
    if not form.is_valid():
        raise _form_errors(form, language)
    saved = practice_services.save_practice(
        request.user, form.save(commit=False), m2m_form=form, version=version
    )
    return _reloaded(saved)


@router.post(
    "/practices",
    auth=token_auth,
    response={201: PracticeDetailOut, **ERRORS_WRITE},
    url_name="create_practice",
)
def create_practice(request, payload: PracticeIn, params: Query[LanguageQuery]):
    """Submit a practice (members): it is saved as the caller's draft."""
    if not request.user.is_member:
        raise PermissionDenied(_("Only members can submit practices."))
    return Status(201, _save(request, Practice(), payload.model_dump(exclude_unset=True)))


@router.patch(
    "/practices/{slug}",
    auth=token_auth,
    response={200: PracticeDetailOut, **ERRORS_EDIT},
    url_name="update_practice",
)
def update_practice(request, slug: str, payload: PracticeChangeType, params: Query[LanguageQuery]):
    """Change the fields sent (`can_edit`: the author while it is a draft, and editors); the
    others stay as they are, whatever else changes them meanwhile. Send the `version` you
    read to be refused (409) when someone changed the practice since; a practice that can no
    longer be edited by the caller (e.g. submitted meanwhile) is refused with 409 too."""
    practice = practice_for(request, slug)
    if not practice.can_edit(request.user):
        raise PermissionDenied(_("You may not edit this practice."))
    change = payload.model_dump(exclude_unset=True)
    version = change.pop("version", None)
    return _save(request, practice, change, version=version)


def _may_ever_take(practice: Practice, user, name: str) -> bool:
    """Whether `user` could take the step if the practice were in a state it starts from:
    asks the model's own rule (`can_transition`) about a copy in that state."""
    probe = copy.copy(practice)
    probe.state = PRACTICE_TRANSITIONS[name].sources[0]
    return probe.can_transition(user, name)


@router.post(
    "/practices/{slug}/transitions/{name}",
    auth=token_auth,
    response={200: PracticeDetailOut, **ERRORS_EDIT},
    url_name="practice_transition",
)
def transition_practice(
    request,
    slug: str,
    name: TransitionNameType,
    params: Query[LanguageQuery],
    payload: TransitionIn | None = None,
):
    """Move a practice along its workflow: submit, withdraw (author); start_review,
    request_changes (with a message), publish, archive, restore (editors).

    403 when the caller's role may not take this step; 409 when the step does not start from
    the practice's present state, or the practice is not ready for it (a draft to submit
    lacks fields): the request is right, the practice's state refuses it; 400 when a step
    that needs a message has none."""
    practice = practice_for(request, slug)
    user = request.user
    if not practice.can_transition(user, name):
        step = PRACTICE_TRANSITIONS[name]
        if not _may_ever_take(practice, user, name):
            raise PermissionDenied(
                _("Your role does not allow “%(action)s” on this practice.")
                % {"action": step.label}
            )
        raise Conflict(
            _("The practice is “%(state)s”; “%(action)s” needs it to be: %(sources)s.")
            % {
                "state": PracticeState(practice.state).label,
                "action": step.label,
                "sources": ", ".join(str(PracticeState(s).label) for s in step.sources),
            }
        )
    missing = practice_services.missing_for_submission(practice) if name == "submit" else []
    if missing:
        raise Conflict(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
    message = payload.message if payload is not None else ""
    practice = practice_services.transition(user, practice, name, message)
    return _reloaded(practice)


# --- Laws and by-laws -----------------------------------------------------------------------


class LegalActOut(Schema):
    slug: str
    title: str
    country: str = Field(description="ISO code.")
    kind: str
    number: str
    adopted_on: datetime.date | None
    effective_on: datetime.date | None
    status: str
    state: str
    topics: list[str] = Field(description="Topic slugs.")
    official_url: str
    html_url: str | None
    language: str = Field(description=ORIGINAL)
    reading_language: str = Field(description=READING)
    translations: list[str] = Field(description=TRANSLATIONS)

    @staticmethod
    def resolve_reading_language(obj):
        return _reading_language(obj)

    @staticmethod
    def resolve_translations(obj):
        return obj.available_languages

    @staticmethod
    def resolve_title(obj):
        return legal_services.shown_text(obj, "title", translation.get_language() or "en")[0]

    @staticmethod
    def resolve_country(obj):
        return obj.country.code

    resolve_topics = related_codes("topics", "slug")

    @staticmethod
    def resolve_html_url(obj, context):
        return _html_url(obj, context)


class LegalActDetailOut(LegalActOut):
    summary: str
    relations: dict[str, list[str]] = Field(
        description="Slugs of the linked acts the caller may see: amends, amended_by, "
        "repeals, repealed_by, drew_on (other countries' acts it learned from), inspired."
    )
    can_edit: bool
    version: int = Field(description=VERSION)

    @staticmethod
    def resolve_summary(obj):
        return legal_services.shown_text(obj, "summary", translation.get_language() or "en")[0]

    @staticmethod
    def resolve_relations(obj, context):
        relations = legal_services.relations(obj, context["request"].user)
        return {name: [act.slug for act in acts] for name, acts in relations.items()}

    @staticmethod
    def resolve_can_edit(obj, context):
        return obj.can_edit(context["request"].user)


LegalActQuery = filter_query(LegalActFilter, "LegalActQuery")
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    LegalActQueryType: TypeAlias = LanguageQuery
else:
    LegalActQueryType = LegalActQuery


def legal_acts_for(user):
    """As on the Laws page: what the caller may see, by country, newest first."""
    return (
        LegalAct.objects.visible_to(user)
        .select_related("country")
        .prefetch_related("topics")
        .order_by("country__name", "-adopted_on", "pk")
    )


def legal_act_for(request, slug: str) -> LegalAct:
    """The act, if the caller may see it; else 404 (as on the page)."""
    acts = LegalAct.objects.select_related("country").prefetch_related("topics")
    return visible_or_404(acts, request.user, slug=slug)


def _filtered_acts(request, params):
    return filtered(request, LegalActFilter, legal_acts_for(request.user), params).distinct()


@router.get("/laws", response={200: list[LegalActOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_legal_acts(request, params: Query[LegalActQueryType]):
    """Laws and by-laws the caller may see, filtered like the Laws page."""
    return _filtered_acts(request, params)


@router.get("/laws.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_legal_acts(request, params: Query[LegalActQueryType]):
    """The filtered laws and by-laws as CSV, every row."""
    return csv_response(request, _filtered_acts(request, params), LegalActOut, "laws.csv")


@router.get("/laws/{slug}", response={200: LegalActDetailOut, **ERRORS_READ}, openapi_extra=PUBLIC)
def get_legal_act(request, slug: str, params: Query[LanguageQuery]):
    """One law or by-law, with the acts it amends, repeals or drew on, and the reverse."""
    return legal_act_for(request, slug)


# --- Writing laws and transfers: the page's form, filled with the record and the change ------


def _stored_data(form) -> dict[str, Any]:
    """What an unbound model form shows for its record, as the data it would post back."""
    return {name: form[name].value() for name in form.fields}


def _lookup(errors: dict, name: str, model, key: str, values: list[str]) -> list[int]:
    """Primary keys of the records named by `key` (a code or slug); unknown ones are an error
    on `name`."""
    wanted = [v.upper() if key == "code" else v for v in values]
    found = dict(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, "pk"))
    unknown = [v for v in wanted if v not in found]
    if unknown:
        errors[name] = [_("Unknown: %(values)s.") % {"values": ", ".join(unknown)}]
    return [found[v] for v in wanted if v in found]


def _renamed_errors(form, texts: tuple[str, ...], language: str, names=None) -> ValidationError:
    """A form's errors under the names the API uses: `title` for the text in `language`,
    `translations.ru.title` for another, and `names` for the rest."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        base, _sep, code = name.rpartition("_")
        if base in texts and code in LANGUAGE_CODES:
            name = base if code == language else f"translations.{code}.{base}"
        name = (names or {}).get(name, name)
        errors.setdefault(name, []).extend(str(m) for m in messages)
    return ValidationError(errors)


def _put_texts(data: dict, change: dict, texts: tuple[str, ...], language: str) -> None:
    for code, values in (change.get("translations") or {}).items():
        for field, value in values.items():
            data[f"{field}_{code}"] = value or ""
    for field in texts:
        if field in change:
            data[f"{field}_{language}"] = change[field] or ""


LegalActKindValue = Literal[tuple(LegalActKind.values)]  # type: ignore[valid-type]
LegalActStatusValue = Literal[tuple(LegalActStatus.values)]  # type: ignore[valid-type]
PublicationStateValue = Literal[tuple(PublicationState.values)]  # type: ignore[valid-type]
LAW_TEXTS = ("title", "summary")
LAW_RELATIONS = ("amends", "repeals", "drew_on")
LAW_PLAIN = ("kind", "number", "adopted_on", "effective_on", "status", "official_url", "state")


LegalActTexts = patch_schema("LegalActTexts", LegalActDetailOut, LAW_TEXTS)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    LegalActTextsType: TypeAlias = Schema
else:
    LegalActTextsType = LegalActTexts
SAME_COUNTRY = "Slugs of acts of the same country."
LegalActChange = patch_schema(
    "LegalActChange",
    LegalActDetailOut,
    "version country kind language title summary translations number adopted_on "
    "effective_on status official_url state topics amends repeals drew_on",
    doc="""The fields of a law or by-law, all optional: a PATCH changes only the fields sent.

    `title` and `summary` are in the act's original `language`; `translations` holds the
    others, e.g. {"ru": {"title": "..."}}.""",
    version=Field(None, ge=1, description=STALE),
    kind=LegalActKindValue,
    language=Language,
    translations=dict[Language, LegalActTextsType],
    status=LegalActStatusValue,
    state=(
        PublicationStateValue | None,
        Field(None, description="Drafts are seen only by editors and the country's focal points."),
    ),
    amends=(list[str] | None, Field(None, description=SAME_COUNTRY)),
    repeals=(list[str] | None, Field(None, description=SAME_COUNTRY)),
    drew_on=(list[str] | None, Field(None, description="Slugs of other countries' acts.")),
)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    LegalActChangeType: TypeAlias = Schema
else:
    LegalActChangeType = LegalActChange


@router.patch(
    "/laws/{slug}",
    auth=token_auth,
    response={200: LegalActDetailOut, **ERRORS_EDIT},
    url_name="update_legal_act",
)
def update_legal_act(request, slug: str, payload: LegalActChangeType, params: Query[LanguageQuery]):
    """Change the fields sent (`can_edit`: editors, and the focal points of the act's
    country); the others stay as they are, whatever else changes them meanwhile. Send the
    `version` you read to be refused (409) when someone changed the act since."""
    act = legal_act_for(request, slug)
    if not act.can_edit(request.user):
        raise PermissionDenied(_("You may not edit this act."))
    change = payload.model_dump(exclude_unset=True)
    version = change.pop("version", None)
    data = _stored_data(LegalActForm(instance=act, user=request.user))
    language = change.get("language") or data.get("language") or "en"
    data["language"] = language
    _put_texts(data, change, LAW_TEXTS, language)
    errors: dict[str, list[str]] = {}
    if "country" in change:
        found = _lookup(errors, "country", Country, "code", [change["country"] or ""])
        data["country"] = found[0] if found else ""
    if "topics" in change:
        data["topics"] = _lookup(errors, "topics", Topic, "slug", change["topics"] or [])
    for name in LAW_RELATIONS:
        if name in change:
            data[name] = _lookup(errors, name, LegalAct, "slug", change[name] or [])
    if errors:
        raise ValidationError(errors)
    for name in LAW_PLAIN:
        if name in change:
            data[name] = "" if change[name] is None else change[name]
    form = LegalActForm(data=data, instance=act, user=request.user)
    if not form.is_valid():
        raise _renamed_errors(form, LAW_TEXTS, language)
    saved = legal_services.save_legal_act(
        request.user,
        form.save(commit=False),
        **form.relations(),
        changed=form.changed_data,
        version=version,
    )
    return get_object_or_404(legal_acts_for(request.user), pk=saved.pk)


# --- Knowledge transfers --------------------------------------------------------------------


class TransferOut(Schema):
    id: int
    source_country: str | None = Field(description="ISO code.")
    source_organization: str | None = Field(description="Organization slug.")
    target_country: str = Field(description="ISO code.")
    target_organization: str | None = Field(description="Organization slug.")
    subject_kind: str
    subject: str
    practice: str | None = Field(description="The practice's slug, if the caller may see it.")
    legal_act: str | None = Field(description="The act's slug, if the caller may see it.")
    institution: str | None = Field(description="Organization slug.")
    kind: str
    stage: str
    started_on: datetime.date | None
    ended_on: datetime.date | None
    outcome: str
    evidence_urls: list[str]
    state: str
    html_url: str | None

    resolve_source_country = related_code("source_country")

    resolve_source_organization = related_code("source_organization", "slug")

    resolve_target_country = related_code("target_country")

    resolve_target_organization = related_code("target_organization", "slug")

    @staticmethod
    def resolve_subject(obj):
        return shown_text(obj, "subject")

    @staticmethod
    def resolve_outcome(obj):
        return shown_text(obj, "outcome")

    resolve_institution = related_code("institution", "slug")

    @staticmethod
    def resolve_practice(obj, context):
        practice = obj.practice
        if practice is None:
            return None
        visible = practice.state == PracticeState.PUBLISHED or practice.can_view(
            context["request"].user
        )
        return practice.slug if visible else None

    @staticmethod
    def resolve_legal_act(obj, context):
        act = obj.legal_act
        if act is None:
            return None
        visible = (
            act.state == PublicationState.PUBLISHED
            or LegalAct.objects.visible_to(context["request"].user).filter(pk=act.pk).exists()
        )
        return act.slug if visible else None

    @staticmethod
    def resolve_html_url(obj, context):
        try:
            url = reverse("knowledge:transfer", kwargs={"pk": obj.pk})
        except NoReverseMatch:  # the transfer pages are not built (yet)
            return None
        return context["request"].build_absolute_uri(url)


TransferQuery = filter_query(TransferFilter, "TransferQuery")
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    TransferQueryType: TypeAlias = LanguageQuery
else:
    TransferQueryType = TransferQuery


def _filtered_transfers(request, params):
    """As in the table of the Knowledge transfers page: what the caller may see, newest
    first."""
    visible = transfer_services.visible_transfers(request.user)
    return filtered(request, TransferFilter, visible, params).order_by(
        F("started_on").desc(nulls_last=True), F("created_at").desc(), F("pk").desc()
    )


@router.get("/transfers", response={200: list[TransferOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_transfers(request, params: Query[TransferQueryType]):
    """Knowledge transfers the caller may see, filtered like the Knowledge transfers page."""
    return _filtered_transfers(request, params)


@router.get("/transfers.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_transfers(request, params: Query[TransferQueryType]):
    """The filtered knowledge transfers as CSV, every row."""
    return csv_response(request, _filtered_transfers(request, params), TransferOut, "transfers.csv")


class TransferDetailOut(TransferOut):
    can_edit: bool
    version: int = Field(description=VERSION)

    @staticmethod
    def resolve_can_edit(obj, context):
        return obj.can_edit(context["request"].user)


def transfer_for(request, transfer_id: int) -> KnowledgeTransfer:
    """The transfer, if the caller may see it; else 404 (as on the page)."""
    return get_object_or_404(transfer_services.visible_transfers(request.user), pk=transfer_id)


@router.get(
    "/transfers/{id}",
    response={200: TransferDetailOut, **ERRORS_READ},
    openapi_extra=PUBLIC,
)
def get_transfer(request, id: int, params: Query[LanguageQuery]):
    """One knowledge transfer."""
    return transfer_for(request, id)


TransferKindValue = Literal[tuple(TransferKind.values)]  # type: ignore[valid-type]
TransferStageValue = Literal[tuple(TransferStage.values)]  # type: ignore[valid-type]
TransferSubjectValue = Literal[tuple(TransferSubject.values)]  # type: ignore[valid-type]
TRANSFER_TEXTS = ("subject", "outcome")
# The API's name of a link -> (model, the key it is named by).
TRANSFER_LINKS: dict[str, tuple[Any, str]] = {
    "source_country": (Country, "code"),
    "source_organization": (Organization, "slug"),
    "target_country": (Country, "code"),
    "target_organization": (Organization, "slug"),
    "practice": (Practice, "slug"),
    "legal_act": (LegalAct, "slug"),
    "institution": (Organization, "slug"),
}
TRANSFER_PLAIN = ("subject_kind", "kind", "stage", "started_on", "ended_on", "source_note", "state")


TransferTexts = patch_schema("TransferTexts", TransferDetailOut, TRANSFER_TEXTS)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    TransferTextsType: TypeAlias = Schema
else:
    TransferTextsType = TransferTexts
TransferChange = patch_schema(
    "TransferChange",
    TransferDetailOut,
    "version language subject outcome translations source_country source_organization "
    "target_country target_organization subject_kind practice legal_act institution kind "
    "stage started_on ended_on evidence_urls source_note state",
    doc="""The fields of a knowledge transfer, all optional: a PATCH changes only the fields sent.

    `subject` and `outcome` are in `language` (English unless said); `translations` holds
    the others, e.g. {"ru": {"subject": "..."}}. Links are named by ISO code (countries) or
    slug; null clears one.""",
    version=Field(None, ge=1, description=STALE),
    language=(Language, "en"),
    translations=dict[Language, TransferTextsType],
    subject_kind=TransferSubjectValue,
    # The read's "if the caller may see it" is about reading.
    practice=Field(None, description="The practice's slug."),
    legal_act=Field(None, description="The act's slug."),
    kind=TransferKindValue,
    stage=TransferStageValue,
    source_note=str,
    state=PublicationStateValue,
)
if TYPE_CHECKING:  # made at run time: see core/api.py, "Schemas made at run time"
    TransferChangeType: TypeAlias = Schema
else:
    TransferChangeType = TransferChange


@router.patch(
    "/transfers/{id}",
    auth=token_auth,
    response={200: TransferDetailOut, **ERRORS_EDIT},
    url_name="update_transfer",
)
def update_transfer(
    request,
    id: int,
    payload: TransferChangeType,
    params: Query[LanguageQuery],
):
    """Change the fields sent (`can_edit`: editors, and the focal points of its two
    countries); the others stay as they are, whatever else changes them meanwhile (its
    stage, its publication). Send the `version` you read to be refused (409) when someone
    changed the transfer since."""
    record = transfer_for(request, id)
    if not record.can_edit(request.user):
        raise PermissionDenied(_("You may not edit this transfer."))
    change = payload.model_dump(exclude_unset=True)
    version = change.pop("version", None)
    language = change.pop("language", "en")
    form = TransferForm(instance=record, user=request.user)
    data = _stored_data(form)
    data["evidence_urls"] = "\n".join(record.evidence_urls or [])
    _put_texts(data, change, TRANSFER_TEXTS, language)
    errors: dict[str, list[str]] = {}
    for name, (model, key) in TRANSFER_LINKS.items():
        if name in change:
            value = change[name]
            found = _lookup(errors, name, model, key, [value]) if value else []
            data[name] = found[0] if found else ""
    if errors:
        raise ValidationError(errors)
    if "evidence_urls" in change:
        data["evidence_urls"] = "\n".join(change["evidence_urls"] or [])
    for name in TRANSFER_PLAIN:
        if name in change:
            data[name] = "" if change[name] is None else change[name]
    form = TransferForm(data=data, instance=record, user=request.user)
    if not form.is_valid():
        raise _renamed_errors(form, TRANSFER_TEXTS, language)
    saved = transfer_services.save_transfer(
        request.user, form.save(commit=False), changed=form.changed_data, version=version
    )
    return transfer_for(request, saved.pk)
