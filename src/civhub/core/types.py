"""Type names shared by the apps: read by mypy; at run time they are plain aliases."""

from typing import TYPE_CHECKING, Any, TypeAlias

from django.utils.functional import Promise

# Who is asking: a signed-in accounts.User or an anonymous visitor (request.user). Loose on
# purpose: the permission methods read User's role properties (is_editor, focal_country_ids)
# after `user.is_authenticated`, and mypy cannot narrow the union on that; core names no app.
Viewer: TypeAlias = Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    # A plain or a lazily translated string (gettext_lazy); django-stubs-ext is for mypy only.
    StrOrPromise = str | Promise
