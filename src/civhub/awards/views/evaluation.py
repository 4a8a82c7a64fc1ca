"""The evaluator's pages: its assignments, the scoring page, declining and declaring a
conflict of interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civhub.awards.choices import AssignmentStatus
from civhub.awards.filters import AssignmentFilter
from civhub.awards.forms.evaluation import ReasonForm, ScoreForm
from civhub.awards.models import Assignment
from civhub.awards.services import assignment as assignment_services
from civhub.awards.services import scoring
from civhub.core.forms import read_version
from civhub.core.services import Conflict


def _mine(request, pk) -> Assignment:
    """The user's own assignment; anybody else's is not found."""
    return get_object_or_404(
        Assignment.objects.select_related("submission__call", "submission__category"),
        pk=pk,
        evaluator=request.user,
    )


@login_required
def assignments(request):
    rows = (
        Assignment.objects.filter(evaluator=request.user)
        .select_related("submission__call")
        .order_by("-submission__call__year", "submission__title")
    )
    if not request.user.is_evaluator and not rows.exists():
        raise PermissionDenied
    # The API's filter of the same list (?call=<slug>), so the page filters as it does.
    rows = AssignmentFilter(request.GET, queryset=rows, request=request).qs
    return render(request, "awards/assignments.html", {"assignments": rows})


@login_required
def score(request, pk):
    """The scoring page. Its form carries the version of the assignment it was opened on:
    scores saved since from another page, or sent after the scoring closed or the
    assignment ended, are not saved; the page says so (409) and keeps what was typed."""
    assignment = _mine(request, pk)
    submission, user = assignment.submission, request.user
    criteria = submission.call.criteria.all()
    stored = {s.criterion_id: s for s in assignment.scores.all()}
    can_score = submission.can_score(user)
    form = ScoreForm(request.POST or None, criteria=criteria, scores=stored)
    form_version = read_version(request) if request.method == "POST" else None
    conflict = False
    if request.method == "POST":
        final = "submit" in request.POST
        if not can_score:
            if form_version is None:
                raise PermissionDenied
            # Opened while it could be scored; it can't be now: nothing is saved.
            form.is_valid()
            form.add_error(None, scoring.not_scorable_message(assignment))
            conflict = True
        elif form.is_valid():
            try:
                scoring.record_scores(
                    user, assignment, form.scores(), final=final, version=form_version
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                conflict = True
            else:
                messages.success(
                    request,
                    _("Your scores are submitted. Thank you.")
                    if final
                    else _("Your scores are saved; submit them when you are done."),
                )
                return redirect("awards:score", pk=assignment.pk)
    others = [
        s for s in scoring.visible_scores(submission, user) if s.assignment_id != assignment.pk
    ]
    return render(
        request,
        "awards/score.html",
        {
            "assignment": assignment,
            "submission": submission,
            "call": submission.call,
            "show_identity": submission.identity_visible_to(user),
            "form": form if can_score or conflict else None,
            "form_version": form_version,
            "my_scores": [stored[c.pk] for c in criteria if c.pk in stored],
            "others": others,
            "reason_form": ReasonForm() if assignment.status == AssignmentStatus.ASSIGNED else None,
        },
        status=409 if conflict else 422 if form.errors else 200,
    )


def _step_out(request, pk, service, done: str):
    assignment = _mine(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        service(request.user, assignment, reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("awards:score", pk=assignment.pk)
    except Conflict as exc:
        messages.error(request, exc.message)
        if reason.strip():
            messages.info(request, _("What you wrote, not sent: %(text)s") % {"text": reason})
        return redirect("awards:score", pk=assignment.pk)
    messages.success(request, done)
    return redirect("awards:assignments")


@login_required
@require_POST
def decline(request, pk):
    return _step_out(request, pk, assignment_services.decline, _("You have declined."))


@login_required
@require_POST
def declare_conflict(request, pk):
    return _step_out(
        request,
        pk,
        assignment_services.declare_conflict,
        _("Your conflict of interest is recorded; you are taken off this submission."),
    )


urlpatterns = [
    path("evaluate/", assignments, name="assignments"),
    path("evaluate/<int:pk>/", score, name="score"),
    path("evaluate/<int:pk>/decline/", decline, name="decline"),
    path("evaluate/<int:pk>/conflict/", declare_conflict, name="conflict"),
]
