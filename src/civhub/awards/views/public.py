"""Public pages: the calls, a call with its results and transparency figures, a winner."""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from civhub.awards.choices import ApplicantKind, SubmissionState
from civhub.awards.models import Call, Submission
from civhub.awards.services import scoring
from civhub.awards.services import submissions as submission_services
from civhub.awards.services.decisions import PRACTICE_FILES
from civhub.awards.services.transparency import transparency
from civhub.core import attachments
from civhub.core.permissions import visible_or_404


def call_for(request, slug) -> Call:
    """The call, if the caller may see it; else 404 (the pages of every call ask this)."""
    return visible_or_404(Call, request.user, slug=slug)


def call_list(request):
    calls = Call.objects.visible_to(request.user).prefetch_related("categories")
    now = timezone.now()
    return render(request, "awards/call_list.html", {"calls": calls, "now": now})


def call_detail(request, slug):
    call = call_for(request, slug)
    winners = list(
        Submission.objects.public()
        .filter(call=call)
        .select_related("country", "decision__prize", "organization")
        .order_by("decision__prize__order", "title")
    )
    prizes = [
        s
        for s in winners
        if getattr(s, "decision", None) and s.decision.outcome == SubmissionState.AWARDED
    ]
    context = {
        "call": call,
        "categories": call.categories.all(),
        "criteria": call.criteria.all(),
        "prizes": call.prizes.all(),
        "winners": prizes,
        "mentions": [s for s in winners if s not in prizes],
        "results_out": call.results_out(),
        "stages": call.stages(),
        "is_open": call.is_open(),
        "can_apply": submission_services.can_apply(request.user, call),
        "transparency": transparency(call),
        "can_manage": call.can_edit(request.user),
        "can_consolidate": scoring.can_consolidate(request.user),
        "eligible": [
            ApplicantKind(k).label for k in call.eligible_kinds if k in ApplicantKind.values
        ],
    }
    return render(request, "awards/call_detail.html", context)


def winner_detail(request, slug, pk):
    call = call_for(request, slug)
    submission = get_object_or_404(
        Submission.objects.public().select_related("country", "organization", "category"),
        call=call,
        pk=pk,
    )
    return render(
        request,
        "awards/winner_detail.html",
        {
            "call": call,
            "submission": submission,
            "decision": getattr(submission, "decision", None),
            "files": attachments.attachments_of(submission).filter(kind__in=PRACTICE_FILES),
        },
    )


urlpatterns = [
    path("", call_list, name="calls"),
    path("<slug:slug>/", call_detail, name="call"),
    path("<slug:slug>/winners/<int:pk>/", winner_detail, name="winner"),
]
