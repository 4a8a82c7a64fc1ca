"""What every app's API shares: the language of the answer, pagination, the pages' filter
classes turned into typed query parameters, PATCH bodies made from the read schemas, JSON
errors, and CSV export.

The apps' routers live in their own `api.py`; `civhub/api.py` puts them together.
"""

import csv
import io
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
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
from pydantic.fields import FieldInfo

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


# --- Fields ---------------------------------------------------------------------------------


def related_code(path: str, key: str = "code", *, shown=None) -> Any:
    """The resolver of a field that names a related record by its `key` (code, slug, title):
    `resolve_country = related_code("country")` answers `obj.country.code`, or null when no
    country is set. `path` may cross several relations (`"decision.prize"`), and a missing
    one-to-one record is null too. With `shown(obj, context)`, the value is null where that
    says the caller may not see it (a blind call's applicant)."""
    parts = path.split(".")

    def value(obj):
        for part in parts:
            # A null foreign key is None without a query; a missing reverse one-to-one
            # raises an AttributeError (RelatedObjectDoesNotExist): None too.
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return getattr(obj, key)

    if shown is None:
        return staticmethod(value)

    def resolve(obj, context):  # django-ninja passes the context to a resolver that asks
        return value(obj) if shown(obj, context) else None

    return staticmethod(resolve)


def related_codes(path: str, key: str = "code") -> Any:
    """The resolver of a field that lists the records of a many-to-many link by their `key`:
    `resolve_topics = related_codes("topics", "slug")` answers the slugs of `obj.topics.all()`
    (in the link's order, and from a prefetch where the queryset made one)."""

    def value(obj: Any) -> list[Any]:
        return [getattr(related, key) for related in getattr(obj, path).all()]

    return staticmethod(value)


# --- Filters --------------------------------------------------------------------------------


def _describe(name: str, f: django_filters.Filter) -> str:
    label = str(f.label or name)
    if isinstance(f, django_filters.ModelChoiceFilter):
        key = f.extra.get("to_field_name") or "pk"
        model = f.extra["queryset"].model._meta.verbose_name
        return f"{label}: the {model}'s `{key}`."
    if isinstance(f, django_filters.ChoiceFilter):
        values = ", ".join(_choices(f))
        return f"{label}: one of {values}."
    return f"{label}."


def _choices(f: django_filters.ChoiceFilter) -> list[str]:
    return [str(value) for value, _label in f.extra.get("choices") or [] if value]


def live_enum(values, *, blank: bool = True, items: bool = False) -> Any:
    """`json_schema_extra` that lists, each time the schema is made, the values the database
    holds now (`values()`): the codes and slugs a filter or a field accepts. `blank`: the empty
    string is accepted too and means "any", as on the pages' forms; `items`: the values of a
    list parameter's items."""

    def extra(schema: dict[str, Any]) -> None:
        if not _live_values.get():
            return
        enum = ["", *values()] if blank else list(values())
        if items:
            schema.setdefault("items", {})["enum"] = enum
        else:
            schema["enum"] = enum

    return extra


_live_values: ContextVar[bool] = ContextVar("live_values", default=True)


@contextmanager
def without_live_values():
    """Make the schema without the values read from the database (its shape only): for code
    that reads the parameters' names and types where no database is at hand, such as a test
    module being collected."""
    token = _live_values.set(False)
    try:
        yield
    finally:
        _live_values.reset(token)


def codes_of(model, key: str):
    """The values of `key` of every record of `model`, for `live_enum`."""
    return lambda: [str(v) for v in model.objects.order_by(key).values_list(key, flat=True)]


def _model_values(f: django_filters.ModelChoiceFilter):
    key = f.extra.get("to_field_name") or "pk"
    queryset = f.extra["queryset"]
    return lambda: [str(v) for v in queryset.order_by(key).values_list(key, flat=True)]


def _schema_of(f: django_filters.Filter) -> tuple[Any, dict[str, Any]]:
    """The type and the schema-only constraints of a filter's parameter.

    The filter class stays the one judge of a value (its message names the parameter, as on
    the page: a 400), so these constraints are written into the schema without being checked
    by it: they say exactly what the filter class accepts."""
    if isinstance(f, django_filters.NumberFilter):
        bounds = {}
        if f.extra.get("min_value") is not None:
            bounds["minimum"] = f.extra["min_value"]
        if f.extra.get("max_value") is not None:
            bounds["maximum"] = f.extra["max_value"]
        # A whole number (a year) is an integer: "2.5" is of the wrong type, a 422.
        kind = int if f.extra.get("decimal_places") == 0 else float
        return kind, bounds
    if isinstance(f, django_filters.BooleanFilter):
        return bool, {}
    if isinstance(f, django_filters.ModelChoiceFilter):
        return str, {"json_schema_extra": live_enum(_model_values(f))}
    if isinstance(f, django_filters.ChoiceFilter):
        return str, {"json_schema_extra": {"enum": ["", *_choices(f)]}}
    return str, {}


# Schemas made at run time (filter_query, patch_schema) and types alike: mypy takes a class
# made by a call as a value (`type[Schema]`, which is checked), never as a type. So an app
# names each one `…Type` for its handlers' annotations, in an `if TYPE_CHECKING:` block: to
# mypy the name is the class it is made from (LanguageQuery, Schema; `str` for a Literal made
# from a list), at run time it is the made class itself, which django-ninja reads:
#
#     PracticeQuery = filter_query(PracticeFilter, "PracticeQuery")
#     if TYPE_CHECKING:
#         PracticeQueryType: TypeAlias = LanguageQuery
#     else:
#         PracticeQueryType = PracticeQuery
#
#     def list_practices(request: HttpRequest, params: Query[PracticeQueryType]) -> ...
#
# The handlers read such a schema only as its base class (`model_dump`, `filtered`).


def filter_query(filterset_class: type[django_filters.FilterSet], name: str) -> type[Schema]:
    """The query parameters of a list, made from the page's filter class, so the API filters
    exactly like the page and the OpenAPI schema lists every parameter with its values.

    Numbers and booleans are typed (a wrong type is a 422); everything else is a string that
    the filter class itself checks (an unknown value is a 400 naming the parameter). Choices
    and the codes or slugs of records are listed as the parameter's `enum`, and a number's
    range as its `minimum` and `maximum`.
    """
    fields: dict[str, Any] = {}
    for field_name, f in filterset_class.base_filters.items():
        kind, constraints = _schema_of(f)
        extra = constraints.pop("json_schema_extra", None)
        if constraints:
            extra = {**(extra or {}), **constraints}
        fields[field_name] = (
            kind | None,
            Field(None, description=_describe(field_name, f), json_schema_extra=extra),
        )
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
    # The request too, for filters whose choices depend on the caller (the calls it may see).
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


# --- Writes ---------------------------------------------------------------------------------


def patch_schema(
    name: str,
    read: type[Schema],
    fields: str | Iterable[str],
    *,
    doc: str | None = None,
    **declared: Any,
) -> type[Schema]:
    """The body of a PATCH (or of a language version's texts): the fields named in `fields`
    (a space-separated string or names), in that order, every one optional: what is not sent
    is not changed.

    A field of the read schema `read` is taken from it, its type and description, so that the
    two say the same of it and what a client reads it can send back. `declared` gives the
    fields `read` has not, and those a write takes otherwise:

    - a type (`kind=KindValue`): that type or null;
    - a Field with its default (`url=Field(None, json_schema_extra=...)`): `read`'s type or
      null, with this Field's constraints, and `read`'s description unless it gives one;
    - a `(type, default or Field)` pair, as pydantic's `create_model` takes it.
    """
    names = fields.split() if isinstance(fields, str) else list(fields)
    definitions: dict[str, Any] = {}
    for field_name in names:
        given = declared.pop(field_name, None)
        shown = read.model_fields.get(field_name)
        if isinstance(given, tuple):
            definitions[field_name] = given
        elif isinstance(given, FieldInfo) and shown is not None:
            if given.is_required():
                raise TypeError(f"{name}.{field_name}: a PATCH's field needs a default.")
            if given.description is None:
                given = FieldInfo.merge_field_infos(given, description=shown.description)
            definitions[field_name] = (_or_null(shown.annotation), given)
        elif given is not None and not isinstance(given, FieldInfo):
            definitions[field_name] = (given | None, None)
        elif shown is not None:
            copied = Field(
                None, description=shown.description, json_schema_extra=shown.json_schema_extra
            )
            definitions[field_name] = (_or_null(shown.annotation), copied)
        else:
            raise TypeError(f"{read.__name__} has no field {field_name!r}: give its type.")
    if declared:
        raise TypeError(f"{name}: not in its fields: {', '.join(declared)}.")
    return create_model(
        name, __base__=Schema, __doc__=doc, __module__=read.__module__, **definitions
    )


def _or_null(annotation: Any) -> Any:
    """`annotation | None`: a field's annotation is a type form mypy takes as `type | None`."""
    return annotation | None


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


class SchemaError(Schema):
    type: str = Field(description="What is wrong, e.g. `missing`, `int_parsing`.")
    loc: list[str | int] = Field(
        description="Where: `query`, `path` or `body`, then the parameter or field."
    )
    msg: str


class SchemaErrors(Schema):
    """django-ninja's answer to a request that does not fit the schema."""

    detail: list[SchemaError]


# What every operation may answer besides what it declares (document_answers).
_ANSWERS: dict[str, tuple[str, type[Schema]]] = {
    "401": ("A token that is wrong, revoked or expired, or whose owner's roles changed.", Message),
    "422": ("The request does not fit the schema: `loc` says where.", SchemaErrors),
    "500": ("A fault on the server's side (logged, and mailed to the administrators).", Message),
    "503": ("The database cannot be reached for now: try again later (`Retry-After`).", Message),
}
_FORBIDDEN: tuple[str, type[Schema]] = (
    "The caller's roles, or a read-only token, do not allow this.",
    Message,
)
_NOT_FOUND: tuple[str, type[Schema]] = ("No such record, or one the caller may not see.", Message)
_CSV = "Every matching record as CSV (UTF-8 with a byte-order mark), the list's columns."
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of the OpenAPI `schema` the answers every operation of its kind
    can give, so that no operation has to declare them itself:

    - every operation: 401 (a bad token is refused on reads too), 422 (django-ninja's
      validation of the request), 500 and 503, JSON with a `detail`;
    - an operation that needs a token, or writes: 403 (roles, or a read-only token);
    - an operation with a path parameter: 404;
    - a CSV export (`….csv`): its 200 is `text/csv`.

    What an operation declares itself (e.g. its 400 with `errors`, its 409) is kept."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    ref_template = "#/components/schemas/{model}"
    for model in (Message, SchemaErrors):
        definition = model.model_json_schema(ref_template=ref_template)
        components.update(definition.pop("$defs", {}))
        components.setdefault(model.__name__, definition)

    def answer(description: str, model: type[Schema]) -> dict[str, Any]:
        ref = {"$ref": ref_template.format(model=model.__name__)}
        return {"description": description, "content": {"application/json": {"schema": ref}}}

    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            wanted = dict(_ANSWERS)
            security = operation.get("security") or []
            if method in _WRITE_METHODS or {} not in security:
                wanted["403"] = _FORBIDDEN
            if "{" in path:
                wanted["404"] = _NOT_FOUND
            for status, (description, body) in wanted.items():
                responses.setdefault(status, answer(description, body))
            if path.endswith(".csv"):
                responses["200"] = {
                    "description": _CSV,
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                }
    return schema


ERRORS_READ = {404: Message}
ERRORS_LIST = {400: FieldErrors}
ERRORS_WRITE = {400: FieldErrors, 401: Message, 403: Message, 404: Message}
#: an edit of a record that changed meanwhile, or that its new state no longer allows
ERRORS_EDIT = {**ERRORS_WRITE, 409: Message}


# --- CSV export -----------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(csv_cell(v) for v in value)
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
        writer.writerow([csv_cell(row.get(column)) for column in columns])
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
