"""The Innovative Solutions Scheme in the API, read-only: calls and their published results for
everyone; submissions, assignments, scores and the consolidation by role.

Every answer asks the models and services the pages ask (`Call.objects.visible_to`,
`Submission.objects.visible_to`, `can_view`, `state_shown_to`, `identity_visible_to`,
`notes_for`, `scoring.visible_scores`, `scoring.can_consolidate`) and filters with the
pages' filter classes (awards.filters), so the API shows exactly what the pages show. The workflow's steps (applying, screening, scoring, deciding) are taken
on the pages; the API does not write.
"""

import datetime
from collections.abc import Hashable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from civhub.accounts.auth import PUBLIC, token_auth
from civhub.awards.choices import PUBLIC_STATES, AssignmentStatus, SubmissionState
from civhub.awards.filters import AssignmentFilter, SubmissionFilter
from civhub.awards.models import Assignment, Call, Submission
from civhub.awards.services import scoring
from civhub.awards.services.transparency import transparency
from civhub.core.api import (
    ERRORS_LIST,
    ERRORS_READ,
    ERRORS_WRITE,
    LanguageQuery,
    Pagination,
    filtered,
    live_enum,
    related_code,
    related_codes,
)
from civhub.core.permissions import visible_or_404
from civhub.knowledge.choices import PracticeState

router = Router(tags=["awards"])

S = SubmissionState
#: reads that need a token: 400 for a bad filter, 401 without a token, 403, 404
ERRORS_PRIVATE = {**ERRORS_WRITE}


def _absolute(context, url: str) -> str:
    return context["request"].build_absolute_uri(url)


def _user(context):
    return context["request"].user


# --- Calls: schemas -------------------------------------------------------------------------


class TimelineOut(Schema):
    opens_at: datetime.datetime
    closes_at: datetime.datetime = Field(description="Nothing is accepted from this moment on.")
    screening_ends_at: datetime.datetime
    scoring_ends_at: datetime.datetime
    decision_at: datetime.datetime
    results_published_on: datetime.date | None = Field(
        description="From this day on the results are public; null until it is set."
    )


class CallOut(Schema):
    slug: str
    year: int
    title: str
    state: str
    is_open: bool = Field(description="Open for submissions now.")
    results_out: bool = Field(description="The results are published.")
    timeline: TimelineOut
    html_url: str

    @staticmethod
    def resolve_is_open(obj):
        return obj.is_open()

    @staticmethod
    def resolve_results_out(obj):
        return obj.results_out()

    @staticmethod
    def resolve_timeline(obj):
        return obj

    @staticmethod
    def resolve_html_url(obj, context):
        return _absolute(context, obj.get_absolute_url())


class CategoryOut(Schema):
    slug: str
    title: str
    description: str


class CriterionOut(Schema):
    slug: str
    title: str
    description: str
    weight: float = Field(description="Relative weight; the weights need not add up to anything.")
    scale_min: int
    scale_max: int


class PrizeOut(Schema):
    kind: str
    title: str
    count: int
    description: str


class CountOut(Schema):
    name: str
    count: int


class DistributionOut(Schema):
    criterion: str = Field(description="The criterion's slug.")
    title: str
    count: int = Field(description="How many scores were given on the criterion.")
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


class TransparencyOut(Schema):
    total: int = Field(description="Submissions received.")
    by_country: list[CountOut]
    by_category: list[CountOut]
    funnel: list[CountOut] = Field(description="How many submissions passed each stage.")
    distributions: list[DistributionOut] = Field(
        description="The spread of all the evaluators' scores per criterion, anonymized."
    )


class WinnerOut(Schema):
    id: int
    title: str
    country: str | None = Field(description="ISO code.")
    country_name: str | None
    organization: str | None = Field(description="The organization's slug, if in the directory.")
    organization_name: str
    category: str | None = Field(description="The category's slug.")
    outcome: str | None = Field(description="awarded or honourable_mention.")
    prize: str | None = Field(description="The prize's title.")
    html_url: str
    practice_url: str | None = Field(
        description="The good practice it became in the knowledge base, once published there."
    )
    certificate_url: str | None = Field(
        description="Where anyone can verify its certificate, once issued."
    )

    resolve_country = related_code("country")
    resolve_country_name = related_code("country", "name")
    resolve_organization = related_code("organization", "slug")

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name if obj.organization_id else obj.organization_name

    resolve_category = related_code("category", "slug")
    resolve_outcome = related_code("decision", "outcome")
    resolve_prize = related_code("decision.prize", "title")

    @staticmethod
    def resolve_html_url(obj, context):
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_practice_url(obj, context):
        practice = obj.practice
        if practice is None or practice.state != PracticeState.PUBLISHED:
            return None
        return _absolute(context, practice.get_absolute_url())

    @staticmethod
    def resolve_certificate_url(obj, context):
        certificate = getattr(obj, "certificate", None)
        if certificate is None:
            return None
        try:
            url = reverse("awards:certificate_verify", kwargs={"code": certificate.code})
        except NoReverseMatch:  # no public verification page in this build
            return None
        return _absolute(context, url)


class CallDetailOut(CallOut):
    description: str
    eligible_kinds: list[str] = Field(description="Who may apply: kinds of applicant.")
    min_months_in_operation: int = Field(
        description="How long a solution must have run, by the day the call closes."
    )
    evaluators_per_submission: int
    submissions_per_applicant: int = Field(
        description="How many open submissions one applicant may have in the call at a time "
        "(withdrawn and ineligible ones do not count)."
    )
    blind_identity: bool = Field(description="The evaluators do not see who applied.")
    tie_break: str
    tie_break_criterion: str | None = Field(description="The criterion's slug.")
    categories: list[CategoryOut]
    criteria: list[CriterionOut]
    prizes: list[PrizeOut]
    transparency: TransparencyOut | None = Field(
        description="The call in figures; null until the results are published."
    )
    winners: list[WinnerOut] | None = Field(
        description="The published winners and honourable mentions; null until the results "
        "are published."
    )

    resolve_tie_break_criterion = related_code("tie_break_criterion", "slug")

    @staticmethod
    def resolve_categories(obj):
        return obj.categories.all()

    @staticmethod
    def resolve_criteria(obj):
        return obj.criteria.all()

    @staticmethod
    def resolve_prizes(obj):
        return obj.prizes.all()

    @staticmethod
    def resolve_transparency(obj):
        figures = transparency(obj)
        if figures is None:
            return None
        return {
            "total": figures.total,
            "by_country": _counts(figures.by_country),
            "by_category": _counts(figures.by_category),
            "funnel": _counts(figures.funnel),
            "distributions": [
                {
                    "criterion": d.criterion.slug,
                    "title": d.criterion.title,
                    "count": d.count,
                    "minimum": d.minimum,
                    "q1": d.q1,
                    "median": d.median,
                    "q3": d.q3,
                    "maximum": d.maximum,
                }
                for d in figures.distributions
            ],
        }

    @staticmethod
    def resolve_winners(obj):
        if not obj.results_out():
            return None
        return list(winners(obj))


def _counts(pairs) -> list[dict]:
    return [{"name": str(name), "count": count} for name, count in pairs]


# --- Calls: reading -------------------------------------------------------------------------


def winners(call: Call):
    """The call's published winners and mentions, in the order of the call's page."""
    return (
        Submission.objects.public()
        .filter(call=call)
        .select_related(
            "call",
            "country",
            "organization",
            "category",
            "decision__prize",
            "practice",
            "certificate",
        )
        .order_by(F("decision__prize__order").asc(nulls_last=True), "title", "pk")
    )


@router.get("/awards/calls", response={200: list[CallOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_calls(request, params: Query[LanguageQuery]):
    """The scheme's calls the caller may see (announced ones; editors also drafts), newest
    first, as on the Calls page."""
    return Call.objects.visible_to(request.user)


@router.get(
    "/awards/calls/{slug}", response={200: CallDetailOut, **ERRORS_READ}, openapi_extra=PUBLIC
)
def get_call(request, slug: str, params: Query[LanguageQuery]):
    """One call: who may apply, its timeline, categories, criteria and prizes; once its
    results are out, its figures and its winners."""
    return visible_or_404(
        Call.objects.select_related("tie_break_criterion").prefetch_related(
            "categories", "criteria", "prizes"
        ),
        request.user,
        slug=slug,
    )


@router.get(
    "/awards/calls/{slug}/results",
    response={200: list[WinnerOut], **ERRORS_READ},
    openapi_extra=PUBLIC,
)
@paginate(Pagination)
def list_results(request, slug: str, params: Query[LanguageQuery]):
    """The call's published winners and honourable mentions; 404 until the results are
    published."""
    call = visible_or_404(Call, request.user, slug=slug)
    if not call.results_out():
        raise Http404
    return winners(call)


# --- Submissions ----------------------------------------------------------------------------


class SubmissionOut(Schema):
    id: int
    call: str = Field(description="The call's slug.")
    title: str
    state: str = Field(
        description="The state as the caller is told it: before the results are published an "
        "applicant (and an evaluator) sees `decision` in place of the outcome."
    )
    state_label: str
    category: str | None = Field(description="The category's slug.")
    language: str = Field(description="The language the submission is written in.")
    submitted_at: datetime.datetime | None
    is_mine: bool = Field(description="The caller is the applicant.")
    html_url: str | None = Field(
        description="The caller's page of it: the applicant's own page, the secretariat's "
        "page of the call, or the public page of a published winner; null otherwise."
    )

    resolve_call = related_code("call", "slug")

    @staticmethod
    def resolve_state(obj, context):
        return obj.state_shown_to(_user(context))

    @staticmethod
    def resolve_state_label(obj, context):
        return str(S(obj.state_shown_to(_user(context))).label)

    resolve_category = related_code("category", "slug")

    @staticmethod
    def resolve_is_mine(obj, context):
        return obj.applicant_id == _user(context).pk

    @staticmethod
    def resolve_html_url(obj, context):
        user = _user(context)
        if obj.applicant_id == user.pk:
            url = reverse("awards:my_submission", kwargs={"pk": obj.pk})
        elif obj.call.can_edit(user):
            url = reverse("awards:manage", kwargs={"slug": obj.call.slug}) + f"#s{obj.pk}"
        elif obj.state in PUBLIC_STATES and obj.call.results_out():
            url = obj.get_absolute_url()
        else:
            return None
        return _absolute(context, url)


class NoteOut(Schema):
    kind: str
    kind_label: str
    text: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())


class DecisionOut(Schema):
    outcome: str
    prize: str | None = Field(description="The prize's title.")

    resolve_prize = related_code("prize", "title")


def _identity(obj: Submission, context) -> bool:
    """Submission.identity_visible_to, asked once (get_submission) for the whole answer."""
    shown = getattr(obj, "identity_shown", None)
    if shown is None:
        # cached on the instance for the whole answer; Submission declares no such field
        shown = obj.identity_shown = obj.identity_visible_to(_user(context))  # type: ignore[attr-defined]
    return shown


class SubmissionDetailOut(SubmissionOut):
    identity_visible: bool = Field(
        description="False for an evaluator of a call scored blind: then applicant_kind, "
        "organization, organization_name, country and partners are null."
    )
    applicant_kind: str | None
    organization: str | None = Field(description="The organization's slug, if in the directory.")
    organization_name: str | None
    country: str | None = Field(description="ISO code.")
    partners: str | None
    summary: str
    problem: str
    solution: str
    running_since: datetime.date | None
    results: str
    evidence: str
    novelty: str
    replication: str
    costs: str
    topics: list[str] = Field(description="Topic slugs.")
    sdg_targets: list[str] = Field(description="SDG target codes.")
    notes: list[NoteOut] = Field(
        description="The reasons, questions, answers and minutes the caller may read."
    )
    decision: DecisionOut | None = Field(
        description="The outcome and prize, once the caller may know them."
    )

    @staticmethod
    def resolve_identity_visible(obj, context):
        return _identity(obj, context)

    @staticmethod
    def resolve_applicant_kind(obj, context):
        return obj.applicant_kind if _identity(obj, context) else None

    resolve_organization = related_code("organization", "slug", shown=_identity)

    @staticmethod
    def resolve_organization_name(obj, context):
        if not _identity(obj, context):
            return None
        return obj.organization.name if obj.organization_id else obj.organization_name

    resolve_country = related_code("country", shown=_identity)

    @staticmethod
    def resolve_partners(obj, context):
        return obj.partners if _identity(obj, context) else None

    resolve_topics = related_codes("topics", "slug")

    resolve_sdg_targets = related_codes("sdg_targets")

    @staticmethod
    def resolve_notes(obj, context):
        return list(obj.notes_for(_user(context)))

    @staticmethod
    def resolve_decision(obj, context):
        decision = getattr(obj, "decision", None)
        # Only when the caller is told the true state (the outcome is not held back).
        if decision is None or obj.state_shown_to(_user(context)) != obj.state:
            return None
        return decision


STATE_VALUES = ", ".join(SubmissionState.values)


def _public_calls() -> list[str]:
    """The slugs the schema lists for `call`: the calls everyone may see (never a draft's)."""
    calls = Call.objects.visible_to(AnonymousUser()).order_by("slug")
    return list(calls.values_list("slug", flat=True))


class SubmissionQuery(LanguageQuery):
    call: str | None = Field(
        None, description="Call: the call's `slug`.", json_schema_extra=live_enum(_public_calls)
    )
    state: str | None = Field(
        None,
        description=f"State, as shown to the caller: one of {STATE_VALUES}.",
        json_schema_extra={"enum": list(SubmissionState.values)},
    )


class AssignmentQuery(LanguageQuery):
    call: str | None = Field(
        None, description="Call: the call's `slug`.", json_schema_extra=live_enum(_public_calls)
    )


def submissions_for(request, params: SubmissionQuery):
    """What Submission.objects.visible_to allows the caller, filtered by call and by the
    state the caller is told (awards.filters.SubmissionFilter)."""
    rows = (
        Submission.objects.visible_to(request.user)
        .select_related("call", "category")
        .order_by("-call__year", "call__slug", "pk")
    )
    return filtered(request, SubmissionFilter, rows, params)


@router.get(
    "/awards/submissions",
    response={200: list[SubmissionOut], **ERRORS_PRIVATE},
    auth=token_auth,
)
@paginate(Pagination)
def list_submissions(request, params: Query[SubmissionQuery]):
    """The submissions the caller may see (needs a token): an applicant its own, an
    evaluator those assigned to it, the steering committee every submitted one, editors
    all; and everyone the published winners."""
    return submissions_for(request, params)


@router.get(
    "/awards/submissions/{id}",
    response={200: SubmissionDetailOut, **ERRORS_PRIVATE},
    auth=token_auth,
)
def get_submission(request, id: int, params: Query[LanguageQuery]):
    """One submission (needs a token), with the notes the caller may read. Evaluators of a
    call scored blind do not see who applied."""
    submission = visible_or_404(
        Submission.objects.select_related(
            "call", "category", "country", "organization", "decision__prize"
        ).prefetch_related("topics", "sdg_targets"),
        request.user,
        pk=id,
    )
    # read by _identity for the whole answer; Submission declares no such field
    submission.identity_shown = submission.identity_visible_to(request.user)  # type: ignore[attr-defined]
    return submission


# --- Scores ---------------------------------------------------------------------------------


class ScoreOut(Schema):
    criterion: str = Field(description="The criterion's slug.")
    criterion_title: str
    value: int
    comment: str
    evaluator: str = Field(
        description="“Evaluator #<assignment>”: the same label on every score of one evaluator."
    )
    evaluator_name: str | None = Field(description="Only for the secretariat's editors.")
    mine: bool = Field(description="The caller gave this score.")
    submitted: bool = Field(description="False while the evaluator has only saved it.")
    updated_at: datetime.datetime

    resolve_criterion = related_code("criterion", "slug")
    resolve_criterion_title = related_code("criterion", "title")

    @staticmethod
    def resolve_evaluator(obj):
        return _("Evaluator #%(n)s") % {"n": obj.assignment_id}

    @staticmethod
    def resolve_evaluator_name(obj, context):
        return str(obj.assignment.evaluator) if _user(context).is_editor else None

    @staticmethod
    def resolve_mine(obj, context):
        return obj.assignment.evaluator_id == _user(context).pk

    @staticmethod
    def resolve_submitted(obj):
        return obj.assignment.status == AssignmentStatus.COMPLETED


@router.get(
    "/awards/submissions/{id}/scores",
    response={200: list[ScoreOut], **ERRORS_PRIVATE},
    auth=token_auth,
)
@paginate(Pagination)
def list_scores(request, id: int, params: Query[LanguageQuery]):
    """The scores of a submission the caller may read (needs a token), blind as on the
    pages: an evaluator sees its own, and the others' once its own are submitted; the
    applicant none until the results are published; the steering committee from
    consolidation on; editors all. Empty when there are none the caller may read."""
    submission = visible_or_404(Submission.objects.select_related("call"), request.user, pk=id)
    scores = scoring.visible_scores(submission, request.user)
    return scores.select_related("criterion", "assignment__evaluator").order_by(
        "assignment", "criterion__order", "criterion__slug"
    )


# --- Assignments ----------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    status: str
    status_label: str
    submission: int = Field(description="The submission's id.")
    title: str = Field(description="The submission's title.")
    call: str = Field(description="The call's slug.")
    due: datetime.datetime = Field(description="The end of the call's scoring.")
    assigned_at: datetime.datetime
    completed_at: datetime.datetime | None
    evaluator: str | None = Field(description="Only for the secretariat's editors.")
    html_url: str | None = Field(description="The scoring page, for the evaluator itself.")

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_submission(obj):
        return obj.submission_id

    resolve_title = related_code("submission", "title")
    resolve_call = related_code("submission.call", "slug")
    resolve_due = related_code("submission.call", "scoring_ends_at")

    @staticmethod
    def resolve_assigned_at(obj):
        return obj.created_at

    @staticmethod
    def resolve_evaluator(obj, context):
        return str(obj.evaluator) if _user(context).is_editor else None

    @staticmethod
    def resolve_html_url(obj, context):
        if obj.evaluator_id != _user(context).pk:
            return None
        return _absolute(context, reverse("awards:score", kwargs={"pk": obj.pk}))


@router.get(
    "/awards/assignments",
    response={200: list[AssignmentOut], **ERRORS_PRIVATE},
    auth=token_auth,
)
@paginate(Pagination)
def list_assignments(request, params: Query[AssignmentQuery]):
    """An evaluator's own assignments, as on its page “To evaluate”; editors see every
    evaluator's (needs a token; 403 for anyone else)."""
    user = request.user
    rows = Assignment.objects.select_related("submission__call", "evaluator").order_by(
        "-submission__call__year", "submission__title", "pk"
    )
    if not user.is_editor:
        rows = rows.filter(evaluator=user)
        if not user.is_evaluator and not rows.exists():
            raise PermissionDenied(_("Only evaluators have assignments."))
    return filtered(request, AssignmentFilter, rows, params)


# --- Consolidation --------------------------------------------------------------------------


class ConsolidatedOut(Schema):
    submission: int = Field(description="The submission's id.")
    title: str
    rank: int = Field(description="By the weighted mean; 1 is the best.")
    rank_corrected: int = Field(description="By the corrected mean.")
    mean: float = Field(description="Weighted mean, in percent of the scale.")
    corrected: float = Field(
        description="The mean corrected for each evaluator's harshness or leniency."
    )
    spread: float = Field(description="Highest minus lowest evaluator's total, in points.")
    std: float
    evaluators: int = Field(description="How many evaluators' submitted scores count.")
    flagged: bool = Field(description="The evaluators disagree beyond the call's threshold.")


class ConsolidationOut(Schema):
    """Every figure is rounded to 4 decimals."""

    call: str
    kendall_w: float | None = Field(
        description="Agreement between the evaluators' rankings (Kendall's W); null when "
        "there are not enough scores."
    )
    icc: float | None = Field(description="Reliability of the scores (ICC(1)).")
    disagreement_threshold: float = Field(description="In percentage points of the scale.")
    results: list[ConsolidatedOut] = Field(description="Best first.")


def _rounded(value: float | None) -> float | None:
    """Figures to 4 decimals: the ranks are computed before, on the exact values."""
    return None if value is None else round(value, 4)


@router.get(
    "/awards/calls/{slug}/consolidation",
    response={200: ConsolidationOut, **ERRORS_PRIVATE},
    auth=token_auth,
)
def get_consolidation(request, slug: str, params: Query[LanguageQuery]):
    """The call's consolidated scores (needs a token; the secretariat and the steering
    committee, as on the page “Consolidated scores”): both means and ranks, the agreement
    between evaluators and the submissions on which they disagree."""
    call = visible_or_404(Call, request.user, slug=slug)
    if not scoring.can_consolidate(request.user):
        raise PermissionDenied(_("Only the secretariat and the steering committee see this."))
    result = scoring.consolidate(call, request.user)
    titles: dict[Hashable, str] = dict(Submission.objects.in_call(call).values_list("pk", "title"))
    return {
        "call": call.slug,
        "kendall_w": _rounded(result.kendall_w),
        "icc": _rounded(result.icc),
        "disagreement_threshold": call.disagreement_threshold,
        "results": [
            {
                "submission": r.submission,
                "title": titles.get(r.submission, ""),
                "rank": r.rank,
                "rank_corrected": r.rank_corrected,
                "mean": _rounded(r.mean),
                "corrected": _rounded(r.corrected),
                "spread": _rounded(r.spread),
                "std": _rounded(r.std),
                "evaluators": len(r.totals),
                "flagged": r.flagged,
            }
            for r in result.results
        ],
    }
