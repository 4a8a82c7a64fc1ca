from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy

from civhub.core.services import Conflict

if TYPE_CHECKING:
    from django.views.generic.base import TemplateResponseMixin
    from django.views.generic.edit import ModelFormMixin

    # What the mixin is mixed into (a CreateView or an UpdateView), for mypy only.
    class _EditView(TemplateResponseMixin, ModelFormMixin[Any, Any]):
        object: Any

else:
    _EditView = object


def add_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's validation error on the form: on the field it names when the form has
    that field, otherwise above the form, always naming the field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        elif field == "__all__":
            form.add_error(None, errors)
        else:
            label = (
                form.instance._meta.get_field(field).verbose_name
                if hasattr(form, "instance")
                else field
            )
            form.add_error(None, [f"{label}: {message}" for message in errors])


def read_version(request: HttpRequest) -> int | None:
    """The version of the record a form was opened on (its hidden `version` input), or None
    (a new record, or a form without it)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


class VersionedEditMixin(_EditView):
    """For the create and update views of a `VersionedModel` (with the hidden input of
    `includes/version_input.html`): the service's Conflict becomes the page again, status
    409, with the message above the form and what was typed kept. A form posted back keeps
    the version it was opened on, so that a stale edit stays refused until its author
    reopens the record.

    `form_valid` saves through the app's service (`save_record`): its ValidationError shows
    on the form (status `invalid_status`), its Conflict as above, else `saved_message` and
    on to `get_success_url()` (the record's page)."""

    invalid_status = 200
    saved_message = gettext_lazy("Saved.")
    #: the form is given `user=` (its choices depend on who edits: a focal point's country)
    form_takes_user = False

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form_version", read_version(self.request))
        return super().get_context_data(**kwargs)

    def edit_conflict(self, form: ModelForm, exc: Conflict) -> HttpResponse:
        form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=409)

    def save_record(self, form: ModelForm) -> Model:
        """The saved record: the app's service given `form.save(commit=False)` (the unsaved
        record) and the version the form was opened on (`read_version`)."""
        raise NotImplementedError

    def form_valid(self, form: ModelForm) -> HttpResponse:
        try:
            self.object = self.save_record(form)
        except Conflict as exc:
            # What was typed stays in the form; nothing of it was saved.
            return self.edit_conflict(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
            response = self.form_invalid(form)
            response.status_code = self.invalid_status
            return response
        messages.success(self.request, self.saved_message)
        return HttpResponseRedirect(self.get_success_url())
