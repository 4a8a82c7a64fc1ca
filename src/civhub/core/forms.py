from django.core.exceptions import ValidationError
from django.forms import Form


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: on the field it names when the form has
    that field, otherwise above the form, always naming the field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages)
        elif field == "__all__":
            form.add_error(None, messages)
        else:
            label = (
                form.instance._meta.get_field(field).verbose_name
                if hasattr(form, "instance")
                else field
            )
            form.add_error(None, [f"{label}: {message}" for message in messages])


def read_version(request) -> int | None:
    """The version of the record a form was opened on (its hidden `version` input), or None
    (a new record, or a form without it)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


class VersionedEditMixin:
    """For the create and update views of a `VersionedModel` (with the hidden input of
    `includes/version_input.html`): the service's Conflict becomes the page again, status
    409, with the message above the form and what was typed kept. A form posted back keeps
    the version it was opened on, so that a stale edit stays refused until its author
    reopens the record."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form_version", read_version(self.request))
        return super().get_context_data(**kwargs)

    def edit_conflict(self, form, exc):
        form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=409)
