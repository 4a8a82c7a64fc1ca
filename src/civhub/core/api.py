"""What every app's API shares: the language of the answer, pagination, the pages' filter
classes turned into typed query parameters, JSON errors, and CSV export.

The apps' routers live in their own `api.py`; `civhub/api.py` puts them together.
"""

import csv
import io
from collections.abc import Iterable
from functools import wraps
from typing import Any, Literal

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination
from pydantic import create_model

from civhub.core.services import Conflict

# The interface languages (settings.LANGUAGES); a test keeps the two in step.
Language = Literal["en", "ru", "kk"]
LANGUAGE_CODES = ("en", "ru", "kk")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far past any list's end, and far inside the 64-bit integer the databases take for OFFSET:
# a larger one failed there with a server error ("datatype mismatch", "bigint out of range").
MAX_OFFSET = 1_000_000_000


# --- Language -------------------------------------------------------------------------------


def in_requested_language(view):
    """Answer in the language of `?lang=` (en when absent or unknown): translated fields,
    links to pages and error messages. Applied to every operation of the API."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        language = request.GET.get("lang", "")
        if language not in LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            response.headers["Content-Language"] = language
        return response

    return wrapper


class LanguageQuery(Schema):
    lang: Language = Field(
        "en", description="Language of the translated fields and messages: en, ru or kk."
    )


# --- Pagination -----------------------------------------------------------------------------


def stable_order(queryset):
    """Offset pagination needs a total order: the list's own order, then the primary key."""
    if not isinstance(queryset, QuerySet):
        return queryset
    ordering = list(queryset.query.order_by)
    if not ordering and queryset.query.default_ordering:
        ordering = list(queryset.model._meta.ordering)
    if not any(isinstance(o, str) and o.lstrip("-") in ("pk", "id") for o in ordering):
        ordering.append("pk")
    return queryset.order_by(*ordering)


class Pagination(LimitOffsetPagination):
    """`limit` (default 20, at most 100: more is refused with 422) and `offset` (at most
    MAX_OFFSET, likewise); the answer is
    `{"items": [...], "count": <all matching records>}`."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"How many records to return, 1 to {MAX_LIMIT}.",
        )
        offset: int = Field(
            0, ge=0, le=MAX_OFFSET, description=f"How many records to skip, 0 to {MAX_OFFSET}."
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        return super().paginate_queryset(stable_order(queryset), pagination, request, **params)


# --- Filters --------------------------------------------------------------------------------


def _describe(name: str, f: django_filters.Filter) -> str:
    label = str(f.label or name)
    if isinstance(f, django_filters.ModelChoiceFilter):
        key = f.extra.get("to_field_name") or "pk"
        model = f.extra["queryset"].model._meta.verbose_name
        return f"{label}: the {model}'s `{key}`."
    if isinstance(f, django_filters.ChoiceFilter):
        choices = f.extra.get("choices") or []
        values = ", ".join(str(value) for value, _label in choices if value)
        return f"{label}: one of {values}."
    return f"{label}."


def filter_query(filterset_class: type[django_filters.FilterSet], name: str) -> type[Schema]:
    """The query parameters of a list, made from the page's filter class, so the API filters
    exactly like the page and the OpenAPI schema lists every parameter.

    Numbers and booleans are typed (a wrong type is a 422); everything else is a string that
    the filter class itself checks (an unknown value is a 400 naming the parameter).
    """
    fields: dict[str, Any] = {}
    for field_name, f in filterset_class.base_filters.items():
        if isinstance(f, django_filters.NumberFilter):
            kind: Any = float | None
        elif isinstance(f, django_filters.BooleanFilter):
            kind = bool | None
        else:
            kind = str | None
        fields[field_name] = (kind, Field(None, description=_describe(field_name, f)))
    return create_model(name, __base__=LanguageQuery, **fields)


def filtered(request: HttpRequest, filterset_class, queryset, params: Schema | None = None):
    """Filter `queryset` with the page's filter class and the request's query string.

    Raises ValidationError (a 400) naming each parameter the filter class refused.
    """
    data = request.GET.copy()
    if params is not None:
        # Booleans were parsed by the schema ("yes", "on", "1" ...); give the filter its form.
        for field_name, f in filterset_class.base_filters.items():
            if isinstance(f, django_filters.BooleanFilter):
                value = getattr(params, field_name, None)
                if value is None:
                    data.pop(field_name, None)
                else:
                    data[field_name] = "true" if value else "false"
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


# --- Errors ---------------------------------------------------------------------------------


class Message(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by field or parameter name."
    )


def validation_error_body(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        errors = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        fields = ", ".join(name for name in errors if name != "__all__")
        if fields:
            detail = _("Not valid: %(fields)s.") % {"fields": fields}
        else:
            detail = " ".join(errors.get("__all__", []))
        return {"detail": detail, "errors": errors}
    return {"detail": " ".join(exc.messages), "errors": {}}


def install_error_handlers(api) -> None:
    """Every error is JSON with a `detail` message: 400 names the fields, 401 asks for a
    token, 403 says what is not allowed, 404 covers records the caller may not see, 409 says
    that the record changed since the caller read it."""

    def bad_request(request, exc: ValidationError):
        return api.create_response(request, validation_error_body(exc), status=400)

    def unauthorized(request, exc: AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else ""
        detail = message or _(
            "Authentication required: send your API token in the header "
            "“Authorization: Bearer <token>”."
        )
        response = api.create_response(request, {"detail": detail}, status=401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="civhub"'
        return response

    def forbidden(request, exc: PermissionDenied):
        detail = str(exc) or _("Your roles do not allow this.")
        return api.create_response(request, {"detail": detail}, status=403)

    def not_found(request, exc: Http404):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    api.add_exception_handler(ValidationError, bad_request)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)

    def conflict(request, exc: Conflict):
        return api.create_response(request, {"detail": exc.message}, status=409)

    api.add_exception_handler(Conflict, conflict)


ERRORS_READ = {404: Message}
ERRORS_LIST = {400: FieldErrors}
ERRORS_WRITE = {400: FieldErrors, 401: Message, 403: Message, 404: Message}
#: an edit of a record that changed meanwhile, or that its new state no longer allows
ERRORS_EDIT = {**ERRORS_WRITE, 409: Message}


# --- CSV export -----------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    text = str(value)
    # A cell that starts like a formula is run by spreadsheets; quote it.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def csv_response(
    request: HttpRequest, objects: Iterable[Any], schema: type[Schema], filename: str
) -> HttpResponse:
    """Every record of a filtered list as CSV (UTF-8 with a byte-order mark, so spreadsheets
    read Cyrillic), with the columns of the list's JSON items."""
    rows = [
        _flatten(schema.model_validate(obj, context={"request": request}).model_dump(mode="json"))
        for obj in objects
    ]
    columns = _columns(schema)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _columns(schema: type[Schema], prefix: str = "") -> list[str]:
    columns: list[str] = []
    for name, field in schema.model_fields.items():
        annotation = field.annotation
        nested = next(
            (
                a
                for a in (annotation, *getattr(annotation, "__args__", ()))
                if isinstance(a, type) and issubclass(a, Schema)
            ),
            None,
        )
        if nested is not None:
            columns += _columns(nested, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns
