"""A reader's own registrations: register, withdraw, accept an offered place, and the list of
one's registrations. Small POST views that call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civhub.events.choices import RegistrationStatus
from civhub.events.forms import RegistrationForm
from civhub.events.models import Registration
from civhub.events.services import registrations as services
from civhub.events.views.public import detail_context, event_for

DONE = {
    RegistrationStatus.CONFIRMED: gettext_lazy("Your place is confirmed."),
    RegistrationStatus.PENDING: gettext_lazy("Your registration awaits the organizer's approval."),
    RegistrationStatus.WAITING: gettext_lazy("The event is full: you are on its waiting list."),
}


def show_errors(form, exc: ValidationError) -> None:
    """A service's error on the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def register(request, slug):
    event = event_for(request, slug)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register(
                request.user,
                event,
                country=form.cleaned_data["country"],
                consent_public=form.cleaned_data["consent_public"],
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, DONE[registration.status])
            return redirect(event)
    return render(
        request, "events/event_detail.html", detail_context(request, event, form), status=400
    )


def _own(request, slug) -> Registration:
    event = event_for(request, slug)
    return get_object_or_404(
        Registration.objects.select_related("event"), event=event, user=request.user
    )


def _act(request, slug, action, done: str):
    registration = _own(request, slug)
    try:
        action(request.user, registration)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return render(
            request,
            "events/event_detail.html",
            detail_context(request, registration.event),
            status=400,
        )
    messages.success(request, done)
    return redirect(registration.event)


@login_required
@require_POST
def withdraw(request, slug):
    return _act(request, slug, services.withdraw, _("You have withdrawn your registration."))


@login_required
@require_POST
def accept_offer(request, slug):
    return _act(request, slug, services.accept_offer, _("Your place is confirmed."))


@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("event", "event__country", "country")
        .order_by("-event__starts_at")
    )
    return render(request, "events/my_registrations.html", {"registrations": registrations})


urlpatterns = [path("my/", my_registrations, name="my_registrations")]

detail_patterns = [
    path("<slug:slug>/register/", register, name="register"),
    path("<slug:slug>/withdraw/", withdraw, name="withdraw"),
    path("<slug:slug>/accept/", accept_offer, name="accept_offer"),
]
