"""Permission helpers shared by views: object-level rules live on the models (`can_edit`)."""

from typing import Any, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


def visible_or_404(source: type[M] | QuerySet[M], user: Any, **lookup: Any) -> M:
    """The record that `lookup` names, if `user` may see it (its model's `can_view`); else 404.

    One answer for "not there" and "not yours", so a page or an API answer never tells a
    visitor that a hidden record exists. Pages and the API call this, never their own copy.
    """
    obj = get_object_or_404(source, **lookup)
    if not obj.can_view(user):  # type: ignore[attr-defined]  # the models it serves have can_view
        raise Http404
    return obj


class CanEditObjectMixin(LoginRequiredMixin):
    """For update views: the object's own `can_edit(user)` decides."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not obj.can_edit(self.request.user):
            raise PermissionDenied
        return obj


class EditorRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_editor:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
