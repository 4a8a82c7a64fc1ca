"""The secretariat's pages: a call's submissions with their workflow steps, the assignment
of evaluators (automatic, and overridden by hand), the consolidation of the scores, the
decisions with their prizes, the publication of the results, certificates, the winners as
good practices and their replications, and the call's audit log.

Editors only, but for the consolidation and the decision, which the steering committee
takes too: who may record an outcome is decided once, by `Submission.allowed_transitions`
(the workflow's own rules), and the services check it again."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civhub.accounts.models import User
from civhub.awards.choices import (
    ACTIVE_ASSIGNMENT,
    OUTCOME_TRANSITIONS,
    PUBLIC_STATES,
    AssignmentStatus,
    SubmissionState,
)
from civhub.awards.forms.secretariat import (
    DecisionForm,
    OverrideForm,
    PublishResultsForm,
    ReplicationForm,
)
from civhub.awards.forms.submissions import TransitionForm
from civhub.awards.models import Assignment, Call, Submission
from civhub.awards.services import assignment as assignment_services
from civhub.awards.services import auditlog, decisions, scoring
from civhub.awards.services import submissions as services
from civhub.awards.views.public import call_for
from civhub.core.permissions import visible_or_404
from civhub.core.services import Conflict

S = SubmissionState
#: the workflow step that records each outcome, and back
STEP_OUTCOMES = {name: outcome for outcome, name in OUTCOME_TRANSITIONS.items()}
LOG_PAGE_SIZE = 50


def _editor_call(request, slug) -> Call:
    call = call_for(request, slug)
    if not call.can_edit(request.user):
        raise PermissionDenied
    return call


def _editor_submission(request, pk, *related) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("call", *related), pk=pk)
    if not submission.call.can_edit(request.user):
        raise PermissionDenied
    return submission


def _to_manage(submission: Submission):
    return redirect(
        reverse("awards:manage", kwargs={"slug": submission.call.slug}) + f"#s{submission.pk}"
    )


def _outcomes(submission: Submission, user) -> list[str]:
    """The outcomes `user` may record for the submission now (none unless it awaits the
    decision), from the workflow's transitions."""
    return [
        STEP_OUTCOMES[t.name]
        for t in submission.allowed_transitions(user)
        if t.name in STEP_OUTCOMES
    ]


def _say_refused(request, exc: ValidationError | Conflict) -> None:
    """A service's refusal, told in its own words above the page: a rule it breaks, or a
    change someone made since the page was opened (Conflict)."""
    for message in [exc.message] if isinstance(exc, Conflict) else exc.messages:
        messages.error(request, message)


@login_required
def manage(request, slug):
    call = _editor_call(request, slug)
    submissions = (
        Submission.objects.in_call(call)
        .select_related(
            "country",
            "category",
            "applicant",
            "organization",
            "practice",
            "decision__prize",
            "certificate",
        )
        .prefetch_related("assignments")
        .order_by("state", "submitted_at", "pk")
    )
    user = request.user
    rows = []
    for s in submissions:
        steps = [t for t in s.allowed_transitions(user) if t.actor != "applicant"]
        published = s.state in PUBLIC_STATES
        rows.append(
            {
                "submission": s,
                "evaluators": sum(1 for a in s.assignments.all() if a.status in ACTIVE_ASSIGNMENT),
                "transitions": [t for t in steps if t.name not in STEP_OUTCOMES],
                "decide": any(t.name in STEP_OUTCOMES for t in steps),
                "decision": getattr(s, "decision", None),
                "certificate": getattr(s, "certificate", None),
                "can_certify": published and not hasattr(s, "certificate"),
                "can_publish_practice": published and not s.practice_id,
            }
        )
    return render(
        request,
        "awards/manage.html",
        {
            "call": call,
            "rows": rows,
            "form": TransitionForm(),
            "publish_form": PublishResultsForm(initial={"on": call.results_published_on}),
        },
    )


@login_required
@require_POST
def assign(request, slug):
    call = _editor_call(request, slug)
    try:
        plan = assignment_services.assign_evaluators(request.user, call)
    except (ValidationError, Conflict) as exc:
        _say_refused(request, exc)
    else:
        messages.success(
            request,
            _("Evaluators assigned to %(count)s submissions.") % {"count": len(plan)},
        )
    return redirect("awards:manage", slug=call.slug)


@login_required
@require_POST
def submission_transition(request, pk, action):
    """Any step of the workflow, by whoever may take it (services.submissions.transition
    decides); back to the page the form was on. A decision is recorded on its own page,
    with its prize (`decide`)."""
    submission = visible_or_404(Submission.objects.select_related("call"), request.user, pk=pk)
    if action in STEP_OUTCOMES:
        messages.info(request, _("Record the decision here, with its minutes and its prize."))
        return redirect("awards:decide", pk=submission.pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    # The state the page showed (its form sends it): a step asked for from it, that another
    # step has made impossible since, is refused as a conflict, not as a forbidden step.
    shown = request.POST.get("state", "")
    if shown in SubmissionState.values and shown != submission.state:
        submission.state = shown
    typed = form.cleaned_data.get("message", "")
    try:
        submission = services.transition(request.user, submission, action, typed)
    except ValidationError as exc:
        _say_refused(request, exc)
    except Conflict as exc:
        _say_refused(request, exc)
        if typed.strip():
            # What was typed is not lost with the step that was not taken.
            messages.info(request, _("What you wrote, not sent: %(text)s") % {"text": typed})
        submission.refresh_from_db()
    else:
        messages.success(
            request,
            _("Done: “%(title)s” is now “%(state)s”.")
            % {
                "title": submission.title,
                "state": SubmissionState(submission.state_shown_to(request.user)).label,
            },
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = (
            reverse("awards:manage", kwargs={"slug": submission.call.slug})
            if submission.call.can_edit(request.user)
            else reverse("awards:my_submission", kwargs={"pk": submission.pk})
        )
    return redirect(target)


@login_required
def decide(request, pk):
    """The steering committee (or an editor for the panel) records the outcome of a
    submission awaiting the decision: the prize and the minutes."""
    submission = get_object_or_404(
        Submission.objects.select_related("call", "country", "category", "organization"), pk=pk
    )
    user, call = request.user, submission.call
    back = (
        reverse("awards:manage", kwargs={"slug": call.slug}) + f"#s{submission.pk}"
        if call.can_edit(user)
        else reverse("awards:consolidation", kwargs={"slug": call.slug})
    )
    outcomes = _outcomes(submission, user)
    if not outcomes and request.method == "POST" and submission.state != S.DECISION:
        # Decided (or moved back) by someone else since this page was opened: the form
        # comes back with the minutes typed, saying so, and nothing is recorded.
        probe = copy.copy(submission)
        probe.state = S.DECISION
        could = _outcomes(probe, user)
        if could:
            form = DecisionForm(request.POST, submission=submission, outcomes=could)
            form.is_valid()
            form.add_error(
                None, services.moved_on_message(user, submission, _("Record the decision"))
            )
            return render(
                request,
                "awards/decide.html",
                {"call": call, "submission": submission, "form": form, "back": back},
                status=409,
            )
    if not outcomes:
        if scoring.can_consolidate(user) and submission.can_view(user):
            messages.error(
                request,
                _("“%(title)s” is not awaiting a decision: it is “%(state)s”.")
                % {"title": submission.title, "state": submission.get_state_display()},
            )
            return redirect(back)
        raise PermissionDenied
    form = DecisionForm(request.POST or None, submission=submission, outcomes=outcomes)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            decisions.record_decision(
                user,
                submission,
                form.cleaned_data["outcome"],
                form.cleaned_data["minutes"],
                prize=form.cleaned_data["prize"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            conflict = True
        else:
            prize = form.cleaned_data["prize"]
            outcome = SubmissionState(form.cleaned_data["outcome"]).label
            messages.success(
                request,
                (
                    _("Decision recorded: “%(title)s”, %(outcome)s (%(prize)s).")
                    if prize
                    else _("Decision recorded: “%(title)s”, %(outcome)s.")
                )
                % {"title": submission.title, "outcome": outcome, "prize": prize},
            )
            return redirect(back)
    return render(
        request,
        "awards/decide.html",
        {"call": call, "submission": submission, "form": form, "back": back},
        status=409 if conflict else 422 if form.errors else 200,
    )


@login_required
@require_POST
def publish_results(request, slug):
    call = _editor_call(request, slug)
    form = PublishResultsForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("awards:manage", slug=call.slug)
    try:
        call = decisions.publish_results(request.user, call, form.cleaned_data["on"])
    except Conflict as exc:
        _say_refused(request, exc)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(
                request, _("The results are not published. %(reason)s") % {"reason": message}
            )
    else:
        messages.success(
            request,
            _("The results are published on %(date)s.")
            % {"date": date_format(call.results_published_on)},
        )
    return redirect("awards:manage", slug=call.slug)


@login_required
@require_POST
def certificate(request, pk):
    submission = _editor_submission(request, pk)
    try:
        issued = decisions.issue_certificate(request.user, submission)
    except (ValidationError, Conflict) as exc:
        _say_refused(request, exc)
    else:
        messages.success(
            request,
            _("Certificate issued for “%(title)s”; its verification code is %(code)s.")
            % {"title": submission.title, "code": issued.code},
        )
    return _to_manage(submission)


@login_required
@require_POST
def publish_practice(request, pk):
    submission = _editor_submission(request, pk)
    try:
        practice = decisions.publish_as_practice(request.user, submission)
    except (ValidationError, Conflict) as exc:
        _say_refused(request, exc)
    else:
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("“%(title)s” is now a good practice of the knowledge base.")
                % {"title": submission.title},
                practice.get_absolute_url(),
                _("Open the good practice"),
            ),
        )
    return _to_manage(submission)


@login_required
def replication(request, pk):
    """Record a country's replication of a published winner: a knowledge transfer of its
    good practice; the submission enters follow-up."""
    submission = _editor_submission(request, pk, "country", "practice")
    if not submission.practice_id:
        messages.error(request, _("Publish it as a good practice first."))
        return _to_manage(submission)
    form = ReplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = decisions.record_replication(
                request.user,
                submission,
                data["target_country"],
                organization=data["organization"],
                kind=data["kind"],
                stage=data["stage"],
                started_on=data["started_on"],
                outcome=data["outcome"],
                evidence_urls=data["evidence_urls"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Replication in %(country)s recorded as a knowledge transfer.")
                % {"country": transfer.target_country.name},
            )
            return _to_manage(submission)
    return render(
        request,
        "awards/replication.html",
        {"call": submission.call, "submission": submission, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def evaluators(request, pk):
    """A submission's assignments, and the secretariat's override: add an evaluator, take
    one off, or both, with a reason (the conflict-of-interest rules still hold)."""
    submission = _editor_submission(request, pk, "country", "organization")
    pool = (
        assignment_services.evaluator_pool()
        .select_related("person__country")
        .order_by("display_name", "email", "pk")
    )
    assigned = (
        User.objects.filter(
            award_assignments__submission=submission,
            award_assignments__status=AssignmentStatus.ASSIGNED,
        )
        .select_related("person__country")
        .order_by("display_name", "email", "pk")
    )
    form = OverrideForm(request.POST or None, pool=pool, assigned=assigned)
    if request.method == "POST" and form.is_valid():
        add, remove = form.cleaned_data["add"], form.cleaned_data["remove"]
        try:
            assignment_services.override_assignment(
                request.user, submission, reason=form.cleaned_data["reason"], add=add, remove=remove
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            if add and remove:
                done = _("%(removed)s is replaced by %(added)s on “%(title)s”.")
            elif add:
                done = _("%(added)s is added to “%(title)s”.")
            else:
                done = _("%(removed)s is taken off “%(title)s”.")
            messages.success(
                request,
                done % {"added": add, "removed": remove, "title": submission.title},
            )
            return _to_manage(submission)
    assignments = (
        Assignment.objects.filter(submission=submission)
        .select_related("evaluator__person__country", "assigned_by")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "awards/evaluators.html",
        {
            "call": submission.call,
            "submission": submission,
            "assignments": assignments,
            "form": form,
            "can_change": submission.state in (S.ELIGIBLE, S.SCORING),
        },
        status=422 if form.errors else 200,
    )


@login_required
def audit_log(request, slug):
    call = _editor_call(request, slug)
    page = Paginator(auditlog.call_log(request.user, call), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "awards/audit_log.html", {"call": call, "page_obj": page})


@login_required
def consolidation(request, slug):
    call = call_for(request, slug)
    if not scoring.can_consolidate(request.user):
        raise PermissionDenied
    result = scoring.consolidate(call, request.user)
    submissions = {s.pk: s for s in Submission.objects.in_call(call).only("pk", "title", "state")}
    rows = [
        (
            submissions[r.submission].title if r.submission in submissions else "?",
            r,
            # the committee records its decision from here: it has no manage page
            r.submission in submissions and submissions[r.submission].state == S.DECISION,
        )
        for r in result.results
    ]
    return render(
        request,
        "awards/consolidation.html",
        {
            "call": call,
            "result": result,
            "rows": rows,
        },
    )


urlpatterns = [
    path("<slug:slug>/manage/", manage, name="manage"),
    path("<slug:slug>/manage/assign/", assign, name="assign"),
    path("<slug:slug>/manage/publish/", publish_results, name="publish_results"),
    path("<slug:slug>/manage/log/", audit_log, name="audit_log"),
    path("<slug:slug>/consolidation/", consolidation, name="consolidation"),
    # The fixed pages of a submission come before its workflow steps, whose <action> would
    # take them.
    path("submissions/<int:pk>/decide/", decide, name="decide"),
    path("submissions/<int:pk>/evaluators/", evaluators, name="evaluators"),
    path("submissions/<int:pk>/certificate/", certificate, name="certificate"),
    path("submissions/<int:pk>/practice/", publish_practice, name="publish_practice"),
    path("submissions/<int:pk>/replication/", replication, name="replication"),
    path(
        "submissions/<int:pk>/<slug:action>/",
        submission_transition,
        name="transition",
    ),
]
