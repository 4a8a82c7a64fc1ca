"""The applicant's pages: apply to an open call, save and submit a draft, follow the
submission, answer a question, attach files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civhub.awards.choices import SubmissionState
from civhub.awards.forms.submissions import AnswerForm, AttachmentForm, SubmissionForm
from civhub.awards.models import Submission
from civhub.awards.services import submissions as services
from civhub.awards.views.public import call_for
from civhub.core import attachments
from civhub.core.forms import add_errors, read_version
from civhub.core.services import Conflict

S = SubmissionState


def _own(request, pk) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("call"), pk=pk)
    if submission.applicant_id != request.user.pk:
        raise Http404
    return submission


def apply(request, slug):
    call = call_for(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_member:
        raise PermissionDenied
    if not call.is_open():
        messages.error(request, _("This call is not open for submissions."))
        return redirect(call)
    if request.method == "GET" and services.free_slot(request.user, call) is None:
        return _at_the_limit(request, call)
    return _draft_form(request, call, Submission(call=call, language=request.LANGUAGE_CODE))


def _at_the_limit(request, call):
    """The applicant has as many open submissions as the call accepts: back to its draft
    (the one it most likely means to finish), or to its list when none is a draft."""
    draft = (
        services.open_submissions(request.user, call)
        .filter(state=S.DRAFT)
        .order_by("-updated_at")
        .first()
    )
    if draft is not None:
        messages.info(
            request, _("You already have a draft for this call: here it is, to finish and submit.")
        )
        return redirect("awards:my_submission", pk=draft.pk)
    messages.error(request, services.limit_reached(call).messages[0])
    return redirect("awards:my_submissions")


@login_required
def my_submissions(request):
    submissions = (
        Submission.objects.filter(applicant=request.user)
        .select_related("call")
        .order_by("-call__year", "-updated_at")
    )
    rows = [(s, S(s.state_shown_to(request.user)).label) for s in submissions]
    return render(request, "awards/my_submissions.html", {"rows": rows})


@login_required
def my_submission(request, pk):
    submission = _own(request, pk)
    # A post comes from the draft's form: even when the draft was submitted or withdrawn
    # since, it gets the form back, with what was typed and why it was not saved.
    if request.method == "POST" or (submission.state == S.DRAFT and submission.call.is_open()):
        # "?check=missing": sent here by "Submit" on a first draft that is not complete yet
        return _draft_form(
            request, submission.call, submission, check=request.GET.get("check") == "missing"
        )
    return _status_page(request, submission)


def _status_page(request, submission, answer_form=None, status=200):
    user = request.user
    return render(
        request,
        "awards/my_submission.html",
        {
            "submission": submission,
            "call": submission.call,
            "state_label": S(submission.state_shown_to(user)).label,
            "notes": submission.notes_for(user),
            "answer_form": answer_form
            or (AnswerForm() if submission.can_transition(user, "answer") else None),
            "can_withdraw": submission.can_transition(user, "withdraw"),
            "files": attachments.attachments_of(submission),
            "attachment_form": AttachmentForm() if submission.can_edit(user) else None,
        },
        status=status,
    )


def _draft_form(request, call, submission, check=False):
    """The draft's form: "Save draft" keeps what is written, "Submit" saves it and submits
    it when it is complete, or lists what is missing (services.completeness).

    A first draft is created at the call's "apply" address; from then on the form is the
    draft's own page, so that submitting again works on the same draft and never starts a
    second one.

    The form carries the version of the draft it was opened on: a draft changed since (in
    another tab), submitted or withdrawn is not saved over; the page says so (409) and keeps
    what was typed, and keeps the version it was opened on until the draft is reopened."""
    user = request.user
    form = SubmissionForm(request.POST or None, instance=submission, call=call)
    creating = submission.pk is None
    missing: list[str] = services.completeness(submission) if check and not creating else []
    refused: list[str] = []
    form_version = read_version(request) if request.method == "POST" else None
    conflict = False
    if request.method == "POST":
        submitting = "submit" in request.POST
        if submitting and submission.pk and not call.is_open():
            return _refuse_submit(request, submission)
        if form.is_valid():
            try:
                draft = services.save_draft(
                    user,
                    form.save(commit=False),
                    topics=form.cleaned_data["topics"],
                    sdg_targets=form.cleaned_data["sdg_targets"],
                    version=form_version,
                    changed=None if creating else form.changed_data,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except Conflict as exc:
                # What was typed stays in the form; nothing of it was saved.
                form.add_error(None, exc.message)
                conflict = True
            else:
                if not submitting:
                    messages.success(
                        request, _("Saved as a draft. You can come back and finish it later.")
                    )
                    return redirect("awards:my_submission", pk=draft.pk)
                missing = services.completeness(draft)
                if not missing:
                    try:
                        services.submit(user, draft)
                    except ValidationError as exc:
                        refused = exc.messages
                    except Conflict as exc:
                        refused = [exc.message]
                    else:
                        messages.success(
                            request, _("Submitted. We have e-mailed you a confirmation.")
                        )
                        return redirect("awards:my_submission", pk=draft.pk)
                messages.info(request, _("Your draft is saved, but not submitted yet."))
                if creating:
                    for message in refused:
                        messages.error(request, message)
                    url = reverse("awards:my_submission", args=[draft.pk])
                    return redirect(f"{url}?check=missing#missing" if missing else url)
                submission = draft
                form = SubmissionForm(instance=draft, call=call)
                form_version = None  # the form shows the draft as saved now
    failed = request.method == "POST" and bool(form.errors or missing or refused)
    return render(
        request,
        "awards/submission_form.html",
        {
            "form": form,
            "call": call,
            "submission": submission,
            "missing": missing,
            "refused": refused,
            "files": attachments.attachments_of(submission) if submission.pk else [],
            "attachment_form": AttachmentForm() if submission.pk else None,
            "can_withdraw": bool(submission.pk) and submission.can_transition(user, "withdraw"),
            "form_version": form_version,
        },
        status=409 if conflict else 422 if failed else 200,
    )


def _refuse_submit(request, submission):
    try:
        services.submit(request.user, submission)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("awards:my_submission", pk=submission.pk)


@login_required
@require_POST
def answer(request, pk):
    submission = _own(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(request.user, submission, form.cleaned_data["message"])
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            # The answer typed stays in the form, above the state it is in now.
            form.add_error(None, exc.message)
            submission.refresh_from_db()
            return _status_page(request, submission, answer_form=form, status=409)
        else:
            messages.success(request, _("Your answer is sent to the secretariat."))
            return redirect("awards:my_submission", pk=submission.pk)
    return _status_page(request, submission, answer_form=form, status=422)


@login_required
@require_POST
def attach(request, pk):
    submission = _own(request, pk)
    attachments.attach_from_form(request, submission, AttachmentForm(request.POST, request.FILES))
    return redirect("awards:my_submission", pk=submission.pk)


urlpatterns = [
    path("my/", my_submissions, name="my_submissions"),
    path("my/<int:pk>/", my_submission, name="my_submission"),
    path("my/<int:pk>/answer/", answer, name="answer"),
    path("my/<int:pk>/files/", attach, name="attach"),
    path("<slug:slug>/apply/", apply, name="apply"),
]
