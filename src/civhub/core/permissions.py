"""Permission helpers shared by views: object-level rules live on the models (`can_edit`)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


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
