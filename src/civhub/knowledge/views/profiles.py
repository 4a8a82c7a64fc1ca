"""Country civil-service profiles: the list, a country's profile, answering a question, the
editors' review queue, and the side-by-side comparison (HTML and CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civhub.core.forms import add_errors, read_version
from civhub.core.services import Conflict
from civhub.directory.models import Country
from civhub.knowledge.choices import ReviewStatus
from civhub.knowledge.forms.profiles import AnswerForm, ComparisonForm, ReviewForm, initial_value
from civhub.knowledge.models import ProfileAnswer, ProfileQuestion
from civhub.knowledge.services import profiles as services
from civhub.search import services as search


def _country(code: str) -> Country:
    return get_object_or_404(Country, code=code.upper())


def _link(answer: ProfileAnswer | None) -> str:
    """Where a law or organization answer points, when that page exists."""
    target = (answer.legal_act or answer.organization) if answer else None
    if target is None:
        return ""
    try:
        return target.get_absolute_url()
    except NoReverseMatch:  # a page not built yet
        return ""


def _add_links(*answers) -> None:
    for answer in answers:
        if answer is not None:
            answer.url = _link(answer)


def profile_list(request):
    context = services.profile_overview()
    context["pending_count"] = (
        ProfileAnswer.objects.filter(status=ReviewStatus.PENDING).count()
        if request.user.is_authenticated and request.user.is_editor
        else None
    )
    return render(request, "knowledge/profile_list.html", context)


def profile_detail(request, code):
    country = _country(code)
    can_edit = services.can_answer(request.user, country)
    blocks = services.country_profile(
        country, include_pending=can_edit, language=request.LANGUAGE_CODE
    )
    for block in blocks:
        for item in block.items:
            _add_links(item.current, *item.history, *item.pending)
    # Who may answer sees every question, each with its link; readers see what is answered,
    # and the questions still open once, at the end.
    unanswered = [item for block in blocks for item in block.unanswered]
    return render(
        request,
        "knowledge/profile_detail.html",
        {
            "country": country,
            "blocks": blocks if can_edit else [block for block in blocks if block.answered],
            "can_edit": can_edit,
            "answered": sum(block.answered for block in blocks),
            "total": sum(len(block.items) for block in blocks),
            "unanswered": unanswered,
            "first_question": unanswered[0].question if unanswered else None,
            "related": search.related("profile", country.code, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_answer(request, code, slug):
    country = _country(code)
    if not services.can_answer(request.user, country):
        raise PermissionDenied
    question = get_object_or_404(
        ProfileQuestion.objects.select_related("section"), slug=slug, is_active=True
    )
    latest = services.latest_answer(country, question)
    if latest is not None:
        latest.question = question
        latest.text = latest.display(request.LANGUAGE_CODE)
    status = 200
    opened = services.opened_on(latest)
    if request.method == "POST":
        opened = _posted_opened(request)
        form = AnswerForm(request.POST, country=country, question=question)
        if form.is_valid():
            data = form.cleaned_data
            try:
                answer = services.submit_answer(
                    request.user,
                    country,
                    question,
                    value=data["value"],
                    as_of=data["as_of"],
                    source=data["source"],
                    source_url=data["source_url"],
                    opened=opened,
                )
            except Conflict as exc:
                form.add_error(None, exc.message)  # what was typed stays in the form
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if answer.status == ReviewStatus.APPROVED:
                    messages.success(request, _("Saved. The answer is now part of the profile."))
                else:
                    messages.success(
                        request,
                        _("Saved. An editor will review the answer before it appears."),
                    )
                url = reverse("knowledge:profile", kwargs={"code": country.code.lower()})
                return HttpResponseRedirect(f"{url}#q-{question.slug}")
        status = 409 if status == 409 else 400
    else:
        initial = {}
        if latest is not None:
            initial = {
                "value": initial_value(latest),
                "source": latest.source,
                "source_url": latest.source_url,
            }
        form = AnswerForm(initial=initial, country=country, question=question)
    return render(
        request,
        "knowledge/profile_answer_form.html",
        {
            "form": form,
            "country": country,
            "question": question,
            "latest": latest,
            # The hidden inputs: what the page was opened on, kept when it is posted back,
            # so that a stale answer stays refused until the page is reopened.
            "opened": services.opened_on(latest) if opened is services.ANY else opened,
            "is_editor": request.user.is_editor,
        },
        status=status,
    )


def _posted_opened(request):
    """The answer a posted answer page was opened on (its hidden `opened` and `version`
    inputs): (id, version), None (no answer yet), or ANY (a form without them)."""
    if "opened" not in request.POST:
        return services.ANY
    opened = request.POST["opened"]
    if not opened:
        return None
    return (int(opened) if opened.isdigit() else 0, read_version(request) or 0)


@login_required
@require_http_methods(["GET", "POST"])
def profile_review(request):
    if not request.user.is_editor:
        raise PermissionDenied
    errors: dict[int, list[str]] = {}
    notes: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        answer_id = request.POST.get("answer", "")
        answer = get_object_or_404(ProfileAnswer, pk=int(answer_id) if answer_id.isdigit() else 0)
        form = ReviewForm(request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.review_answer(
                    request.user,
                    answer,
                    approve,
                    form.cleaned_data["note"],
                    version=read_version(request),
                )
            except Conflict as exc:
                errors[answer.pk] = [exc.message]
                status = 409
            except ValidationError as exc:
                errors[answer.pk] = exc.messages
            else:
                messages.success(
                    request,
                    _("Approved: the answer is now part of the profile of %(country)s.")
                    % {"country": answer.country.name}
                    if approve
                    else _("Rejected. The focal point of %(country)s has been told why.")
                    % {"country": answer.country.name},
                )
                return redirect("knowledge:profile_review")
        else:
            errors[answer.pk] = [m for messages_ in form.errors.values() for m in messages_]
        notes[answer.pk] = request.POST.get("note", "")
        status = 409 if status == 409 else 400
    pending = services.pending_answers()
    for answer in pending:
        _add_links(answer, answer.current)
        answer.errors = errors.get(answer.pk, [])
        answer.note_value = notes.get(answer.pk, "")
    return render(request, "knowledge/profile_review.html", {"pending": pending}, status=status)


def _compared(request) -> tuple[ComparisonForm, list[Country] | None]:
    if "countries" not in request.GET:
        # `?with=KZ` (from a country's profile) ticks that country, without an error yet.
        chosen = [code.upper() for code in request.GET.getlist("with")]
        return ComparisonForm(initial={"countries": chosen}), None
    form = ComparisonForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["countries"]
    return form, None


def compare(request):
    form, countries = _compared(request)
    context = {"form": form, "rows": None}
    if countries is not None:
        rows = services.compare(countries, request.LANGUAGE_CODE)
        only_differences = form.cleaned_data["only_differences"]
        shown = [row for row in rows if row.differs] if only_differences else rows
        for row in shown:
            _add_links(*(cell.answer for cell in row.cells))
        query = urlencode({"countries": [c.code for c in countries]}, doseq=True)
        context.update(
            countries=countries,
            names=", ".join(c.name for c in countries),
            rows=shown,
            differing=sum(1 for row in rows if row.differs),
            total=len(rows),
            only_differences=only_differences,
            colspan=len(countries) + 2,
            csv_url=f"{reverse('knowledge:profile_compare_csv')}?{query}",
        )
    return render(request, "knowledge/compare.html", context, status=400 if form.errors else 200)


def compare_csv(request):
    form, countries = _compared(request)
    if countries is None:
        problems = [m for messages_ in form.errors.values() for m in messages_] or [
            _("Pick at least two countries to compare.")
        ]
        return HttpResponse(
            "\n".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    text = services.comparison_csv(countries, request.LANGUAGE_CODE)
    # The byte-order mark tells Excel the file is UTF-8 (Cyrillic names and answers).
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    codes = "-".join(c.code for c in countries)
    response["Content-Disposition"] = f'attachment; filename="civhub-profiles-{codes}.csv"'
    return response


urlpatterns = [
    path("profiles/", profile_list, name="profiles"),
    path("profiles/compare/", compare, name="profile_compare"),
    path("profiles/compare.csv", compare_csv, name="profile_compare_csv"),
    path("profiles/review/", profile_review, name="profile_review"),
    re_path(r"^profiles/(?P<code>[A-Za-z]{2})/$", profile_detail, name="profile"),
    re_path(
        r"^profiles/(?P<code>[A-Za-z]{2})/answer/(?P<slug>[-a-zA-Z0-9_]+)/$",
        profile_answer,
        name="profile_answer",
    ),
]
