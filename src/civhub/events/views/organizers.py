"""The organizer's pages: an event's registrations and waiting list, approving, declining,
promoting and moving in line, and the event's workflow. Editors run every event; the
organizers an event names run that one (`Event.can_manage`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civhub.events.choices import RegistrationStatus
from civhub.events.forms import MessageForm, PositionForm, ReasonForm
from civhub.events.models import Registration
from civhub.events.services import events as event_services
from civhub.events.services import registrations as services
from civhub.events.views.public import event_for

R = RegistrationStatus


def managed_event(request, slug):
    event = event_for(request, slug)
    if not event.can_manage(request.user):
        raise PermissionDenied
    return event


def _page(request, event, status=200, **forms):
    regs = event.registrations.select_related("user", "country").order_by("created_at", "pk")
    waiting = list(event.registrations.waiting_list().select_related("user", "country"))
    posted = request.POST.get("row") if request.method == "POST" else None
    for r in [*regs, *waiting]:
        # Each row's forms have ids of their own; the row just posted shows its errors.
        mine = posted == str(r.pk)
        r.reason_form = (mine and forms.get("reason_form")) or ReasonForm(auto_id=f"id_%s_{r.pk}")
        r.position_form = (mine and forms.get("position_form")) or PositionForm(
            auto_id=f"id_%s_{r.pk}"
        )
    context = {
        "event": event,
        "registrations": [r for r in regs if r.status != R.WAITING],
        "waiting": waiting,
        "places_left": services.places_left(event),
    }
    return render(request, "events/registrations.html", context, status=status)


@login_required
def registrations(request, slug):
    return _page(request, managed_event(request, slug))


def _registration(request, slug, pk):
    event = managed_event(request, slug)
    return event, get_object_or_404(Registration, event=event, pk=pk)


def _done(request, event, text):
    messages.success(request, text)
    return redirect(reverse("events:registrations", kwargs={"slug": event.slug}))


def _refused(request, event, exc, **forms):
    for message in exc.messages:
        messages.error(request, message)
    return _page(request, event, status=400, **forms)


@login_required
@require_POST
def approve(request, slug, pk):
    event, registration = _registration(request, slug, pk)
    try:
        services.approve(request.user, registration)
    except ValidationError as exc:
        return _refused(request, event, exc)
    return _done(request, event, _("Registration approved."))


@login_required
@require_POST
def decline(request, slug, pk):
    event, registration = _registration(request, slug, pk)
    form = ReasonForm(request.POST, auto_id=f"id_%s_{pk}")
    if not form.is_valid():
        return _page(request, event, status=400, reason_form=form)
    try:
        services.decline(request.user, registration, form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused(request, event, exc, reason_form=form)
    return _done(request, event, _("Registration declined."))


@login_required
@require_POST
def promote(request, slug, pk):
    event, registration = _registration(request, slug, pk)
    try:
        services.promote(request.user, registration)
    except ValidationError as exc:
        return _refused(request, event, exc)
    return _done(request, event, _("Registration confirmed ahead of the waiting list."))


@login_required
@require_POST
def move(request, slug, pk):
    event, registration = _registration(request, slug, pk)
    form = PositionForm(request.POST, auto_id=f"id_%s_{pk}")
    if not form.is_valid():
        return _page(request, event, status=400, position_form=form)
    try:
        services.move_in_line(request.user, registration, form.cleaned_data["position"])
    except ValidationError as exc:
        return _refused(request, event, exc, position_form=form)
    return _done(request, event, _("The waiting list was reordered."))


@login_required
@require_POST
def transition(request, slug, name):
    event = event_for(request, slug)
    form = MessageForm(request.POST)
    form.is_valid()
    try:
        event_services.change_state(request.user, event, name, form.cleaned_data.get("message", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The event's state was changed."))
    return redirect(event)


detail_patterns = [
    path("<slug:slug>/registrations/", registrations, name="registrations"),
    path("<slug:slug>/registrations/<int:pk>/approve/", approve, name="approve"),
    path("<slug:slug>/registrations/<int:pk>/decline/", decline, name="decline"),
    path("<slug:slug>/registrations/<int:pk>/promote/", promote, name="promote"),
    path("<slug:slug>/registrations/<int:pk>/move/", move, name="move"),
    path("<slug:slug>/state/<str:name>/", transition, name="transition"),
]
