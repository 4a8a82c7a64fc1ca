"""The REST API, version 1, at /api/v1/: the apps' routers put together.

The OpenAPI schema is at /api/v1/openapi.json and the interactive reference (Swagger UI, served
from django-ninja's own static files, so it works under the site's Content-Security-Policy)
at /api/v1/docs. See docs/api.md.
"""

from django.http import Http404
from django.urls import reverse
from ninja import NinjaAPI, Router, Schema
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from civhub.accounts.api import router as accounts_router
from civhub.accounts.auth import OPTIONAL_TOKEN, PUBLIC
from civhub.awards.api import router as awards_router
from civhub.core.api import document_answers, in_requested_language, install_error_handlers
from civhub.directory.api import router as directory_router
from civhub.events.api import router as events_router
from civhub.knowledge.api import router as knowledge_router
from civhub.search.api import router as search_router

DESCRIPTION = """\
The open data of the Regional Hub of Civil Service: countries and their membership,
organizations, experts, good practices, laws and knowledge transfers, and the calls of the
Innovative Solutions Scheme (awards) with their published results.

Reading needs no account. Send a personal API token (made on your account page, under
“API tokens”) as `Authorization: Bearer <token>` to see what your roles let you see and to
write; the scheme's submissions, assignments, scores and consolidation are read with a token,
by role. Lists take the same filters as the pages, `limit` (at most 100) and `offset`, and
`lang` (en, ru or kk) for translated fields. Errors are JSON with a `detail` message.
"""


class JSON(JSONRenderer):
    """UTF-8 JSON: Cyrillic names stay readable instead of \\u-escaped."""

    json_dumps_params = {"ensure_ascii": False}


class CivhubAPI(NinjaAPI):
    """The schema of every operation lists, besides what it declares, the answers every
    operation of its kind can give (core.api.document_answers: 401, 403, 404, 422, 500, 503;
    CSV's content type)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_answers(schema)


api = CivhubAPI(
    title="civhub API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No validator badge: it would load an image from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    # Every operation runs as the token's user or as an anonymous visitor, never as the
    # browser session; writes ask for a token themselves.
    auth=OPTIONAL_TOKEN,
    renderer=JSON(),
)
api.add_decorator(in_requested_language, mode="view")
install_error_handlers(api)

api.add_router("", accounts_router)
api.add_router("", directory_router)
api.add_router("", knowledge_router)
api.add_router("", search_router)
api.add_router("", awards_router)
api.add_router("", events_router)


class IndexOut(Schema):
    title: str
    version: str
    openapi: str
    docs: str


@api.get("/", response=IndexOut, tags=["api"], openapi_extra=PUBLIC, url_name="index")
def index(request):
    """Where the schema and the reference are."""
    return {
        "title": api.title,
        "version": api.version,
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
    }


# Any other path under /api/v1/ is a JSON 404, not the site's HTML page. Its router is
# mounted after every other, so it catches only what they do not.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def not_found(request, rest: str):
    raise Http404


api.add_router("", fallback)
