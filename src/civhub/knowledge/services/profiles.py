"""Country civil-service profiles: answering the questionnaire, reviewing answers, and reading
profiles and comparisons.

Changes (`submit_answer`, `review_answer`) are atomic, permission-checked and audited. Reads
take a fixed, small number of queries however many countries and questions there are.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civhub.core.mail import mail_user
from civhub.core.services import Conflict, audit, stale_edit_message
from civhub.core.types import Viewer
from civhub.directory.choices import OrganizationKind
from civhub.directory.models import Country
from civhub.knowledge.choices import AnswerType, ReviewStatus
from civhub.knowledge.models import ProfileAnswer, ProfileQuestion, ProfileSection

MIN_COMPARED, MAX_COMPARED = 2, 6

# The value columns of an answer, and what "empty" is for each.
_EMPTY = {
    "value_bool": None,
    "value_number": None,
    "value_choice": "",
    "value_text": "",
    "value_date": None,
    "legal_act": None,
    "organization": None,
}


def can_answer(user: Viewer, country: Country) -> bool:
    """Editors answer for every country; a focal point only for its own."""
    return country.can_edit(user)


def _language(language: str | None) -> str:
    return (language or get_language() or "en")[:2]


# ---------------------------------------------------------------------------------------------
# Changes
# ---------------------------------------------------------------------------------------------


def _set_value(answer: ProfileAnswer, question: ProfileQuestion, value: Any) -> None:
    for name, empty in _EMPTY.items():
        setattr(answer, name, empty)
    name = ProfileAnswer.VALUE_FIELD[question.answer_type]
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    if name in ("legal_act", "organization"):
        if not hasattr(value, "pk"):
            model: Any = ProfileAnswer._meta.get_field(name).related_model
            value = model.objects.filter(pk=value).first() if str(value).isdigit() else None
            if value is None:
                raise ValidationError({"value": _("Pick one of the listed choices.")})
        setattr(answer, name, value)
    else:
        setattr(answer, name, value.strip() if isinstance(value, str) else value)


def _validate(answer: ProfileAnswer) -> None:
    """full_clean, with the errors named as `submit_answer`'s arguments name them: the
    answer's own column is `value`, and a second answer on the same date is about `as_of`."""
    value_field = ProfileAnswer.VALUE_FIELD[answer.question.answer_type]
    errors: dict[str, list[ValidationError]] = {}
    try:
        answer.full_clean()
    except ValidationError as exc:
        for name, messages in exc.error_dict.items():
            if name == value_field:
                name = "value"
            elif name == NON_FIELD_ERRORS:
                name = "as_of"  # the only rule across fields: one live answer per date
            elif name in _EMPTY:
                continue  # another type's column: not the caller's concern
            errors.setdefault(name, []).extend(messages)
    organization = answer.organization if answer.organization_id else None
    if (
        organization is not None
        and "value" not in errors
        and organization.country_id not in (None, answer.country_id)
        and organization.kind != OrganizationKind.INTERNATIONAL
    ):
        errors["value"] = [
            ValidationError(
                _("The organization must be one of this country's or an international one.")
            )
        ]
    if isinstance(answer.as_of, datetime.date) and answer.as_of > timezone.localdate():
        errors.setdefault("as_of", []).append(
            ValidationError(_("The “as of” date cannot be in the future."))
        )
    if errors:
        raise ValidationError(errors)


#: `submit_answer(opened=ANY)`: the caller read no page, so nothing it saw can be stale.
ANY = object()


def latest_answer(country: Country, question: ProfileQuestion) -> ProfileAnswer | None:
    """The answer the answer page shows (the newest one not rejected), or None."""
    return (
        ProfileAnswer.objects.filter(country=country, question=question)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("legal_act", "organization")
        .order_by("-as_of", "-pk")
        .first()
    )


def opened_on(answer: ProfileAnswer | None) -> tuple[int, int] | None:
    """What an answer page was opened on, as `submit_answer(opened=...)` takes it."""
    return None if answer is None else (answer.pk, answer.version)


@transaction.atomic
def submit_answer(
    actor: Viewer,
    country: Country,
    question: ProfileQuestion,
    *,
    value: Any,
    as_of: datetime.date | str | None,
    source: str,
    source_url: str = "",
    opened: Any = ANY,
) -> ProfileAnswer:
    """Record a country's answer to a question as of a date, with its source.

    Every answer is kept, so the profile has a history. An editor's answer is approved at
    once; a focal point's waits for an editor's review. A second submission for the same
    country, question and date replaces the one still awaiting review.

    Answers to one question are taken one at a time (the question's row is locked), so
    answers to different questions of a profile never wait for each other, and two answers
    to the same question never both believe they came first. `opened` is what the answer
    page showed (`opened_on(latest)`: the newest answer not rejected, with its version, or
    None): when another answer came, or that one was revised or reviewed since, the answer
    is refused with Conflict.
    """
    if not can_answer(actor, country):
        raise PermissionDenied(
            _("Only the focal point of %(country)s or an editor may answer for it.")
            % {"country": country.name}
        )
    if not question.is_active:
        raise ValidationError({"question": _("This question is no longer asked.")})
    source = (source or "").strip()
    if not source:
        raise ValidationError(
            {"source": _("Say where the answer comes from: a law, a statistic or a report.")}
        )
    Country.objects.select_for_update().only("pk").get(pk=country.pk)
    if opened is not ANY:
        latest = (
            ProfileAnswer.objects.select_for_update()
            .filter(country=country, question=question)
            .exclude(status=ReviewStatus.REJECTED)
            .order_by("-as_of", "-pk")
            .first()
        )
        if opened_on(latest) != (None if opened is None else tuple(opened)):
            raise Conflict(stale_edit_message())
    approved = actor.is_editor
    pending = None
    if as_of:
        pending = (
            ProfileAnswer.objects.select_for_update()
            .filter(country=country, question=question, as_of=as_of, status=ReviewStatus.PENDING)
            .first()
        )
    answer = pending or ProfileAnswer(country=country, question=question)
    revising = pending is not None
    answer.country, answer.question = country, question
    answer.as_of = as_of  # type: ignore[assignment]  # None: full_clean says it is required
    _set_value(answer, question, value)
    answer.source = source
    answer.source_url = (source_url or "").strip()
    answer.submitted_by = actor
    answer.is_demo = False
    if approved:
        answer.status = ReviewStatus.APPROVED
        answer.reviewed_by, answer.reviewed_at, answer.review_note = actor, timezone.now(), ""
    else:
        answer.status = ReviewStatus.PENDING
        answer.reviewed_by, answer.reviewed_at, answer.review_note = None, None, ""
    _validate(answer)
    if revising:
        answer.version += 1
        answer.save(update_fields=[*_REVISED, "version"])
    else:
        answer.save()
    audit(
        actor,
        "profile_answer.revised" if revising else "profile_answer.submitted",
        answer,
        summary=f"{country.code} · {question.slug} · {answer.as_of}",
        country=country.code,
        question=question.slug,
        as_of=answer.as_of.isoformat(),
        value=answer.display(),
        status=answer.status,
    )
    return answer


# What a revision of an answer awaiting review rewrites (the rest: country, question, date).
_REVISED = [
    *_EMPTY,
    "source",
    "source_url",
    "submitted_by",
    "is_demo",
    "status",
    "reviewed_by",
    "reviewed_at",
    "review_note",
]


@transaction.atomic
def review_answer(
    actor: Viewer,
    answer: ProfileAnswer,
    approve: bool,
    note: str = "",
    *,
    version: int | None = None,
) -> ProfileAnswer:
    """An editor approves a focal point's answer, or rejects it saying why. With `version`
    (the version the editor read), an answer revised since is refused with Conflict: nobody
    approves a value they have not seen."""
    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat's editors review profile answers."))
    # The profile first, as `submit_answer` takes it: one order of locks, no deadlock.
    Country.objects.select_for_update().only("pk").get(pk=answer.country_id)
    answer = (
        ProfileAnswer.objects.select_for_update(of=("self",))
        .select_related("country", "question", "submitted_by")
        .get(pk=answer.pk)
    )
    if answer.status != ReviewStatus.PENDING:
        raise ValidationError(_("This answer has already been reviewed."))
    if version is not None and answer.version != version:
        raise Conflict(stale_edit_message())
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Tell the focal point why the answer is rejected.")})
    answer.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    answer.reviewed_by, answer.reviewed_at = actor, timezone.now()
    answer.review_note = note[:500]
    answer.version += 1
    answer.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "version"])
    audit(
        actor,
        "profile_answer.approved" if approve else "profile_answer.rejected",
        answer,
        summary=f"{answer.country.code} · {answer.question.slug} · {answer.as_of}",
        note=answer.review_note,
    )
    submitter = answer.submitted_by
    if submitter and submitter.email and submitter.pk != actor.pk:

        def build() -> tuple[str, str]:  # after the commit, in the submitter's language
            subject = (
                _("Your answer for the profile of %(country)s was approved")
                if approve
                else _("Your answer for the profile of %(country)s was rejected")
            ) % {"country": answer.country.name}
            body = "\n\n".join(filter(None, [answer.question.text, answer.display(), note]))
            return subject, body

        transaction.on_commit(lambda: mail_user(submitter, build))
    return answer


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def active_questions() -> QuerySet[ProfileQuestion]:
    return ProfileQuestion.objects.filter(is_active=True).select_related("section")


def current_answers(
    countries: Iterable[Country | int], questions: Iterable[ProfileQuestion | int]
) -> dict[tuple[int, int], ProfileAnswer]:
    """The latest approved answer (by "as of", then newest) of each country to each question,
    as {(country_id, question_id): answer}, in one query."""
    country_ids = [getattr(c, "pk", c) for c in countries]
    question_ids = [getattr(q, "pk", q) for q in questions]
    if not country_ids or not question_ids:
        return {}
    latest = (
        ProfileAnswer.objects.approved()
        .filter(country_id__in=country_ids, question_id__in=question_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("country_id"), F("question_id")],
                order_by=[F("as_of").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .select_related("question", "legal_act", "organization")
        .order_by()
    )
    return {(a.country_id, a.question_id): a for a in latest}


@dataclass
class ProfileItem:
    question: ProfileQuestion
    current: ProfileAnswer | None = None
    history: list[ProfileAnswer] = field(default_factory=list)  # earlier approved, newest first
    pending: list[ProfileAnswer] = field(default_factory=list)  # awaiting review, or rejected


@dataclass
class ProfileBlock:
    section: ProfileSection
    items: list[ProfileItem]

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.current)

    @property
    def unanswered(self) -> list[ProfileItem]:
        return [item for item in self.items if not item.current]


def country_profile(
    country: Country, *, include_pending: bool = False, language: str | None = None
) -> list[ProfileBlock]:
    """A country's profile: sections -> questions -> current answer and history, in two queries.

    Each answer gets `text`, its value as the reader sees it. With `include_pending` (for who
    may edit), answers awaiting review, and rejected ones not yet followed by an approved
    answer, are listed too.
    """
    language = _language(language)
    questions = list(active_questions())
    by_id = {q.pk: q for q in questions}
    answers = (
        ProfileAnswer.objects.filter(country=country, question_id__in=by_id)
        .select_related("legal_act", "organization", "submitted_by", "reviewed_by")
        .order_by("question_id", "-as_of", "-pk")
    )
    if not include_pending:
        answers = answers.filter(status=ReviewStatus.APPROVED)
    items = {q.pk: ProfileItem(question=q) for q in questions}
    with translation.override(language):
        for answer in answers:
            answer.question, answer.country = by_id[answer.question_id], country
            answer.text = answer.display(language)
            item = items[answer.question_id]
            if answer.status == ReviewStatus.APPROVED:
                if item.current is None:
                    item.current = answer
                else:
                    item.history.append(answer)
            elif answer.status == ReviewStatus.PENDING or item.current is None:
                item.pending.append(answer)
    blocks: list[ProfileBlock] = []
    for question in questions:
        if not blocks or blocks[-1].section.pk != question.section_id:
            blocks.append(ProfileBlock(section=question.section, items=[]))
        blocks[-1].items.append(items[question.pk])
    return blocks


def profile_overview() -> dict[str, Any]:
    """The countries of the hub with how much of the questionnaire each has answered."""
    total = ProfileQuestion.objects.filter(is_active=True).count()
    approved = Q(
        profile_answers__status=ReviewStatus.APPROVED,
        profile_answers__question__is_active=True,
    )
    countries: list[Any] = list(  # annotated: answered, updated; given percent below
        Country.objects.in_hub()
        .annotate(
            answered=Count("profile_answers__question", filter=approved, distinct=True),
            updated=Max("profile_answers__as_of", filter=approved),
        )
        .order_by("name")
    )
    for country in countries:
        country.percent = round(100 * country.answered / total) if total else 0
    return {
        "total": total,
        "with_profile": [c for c in countries if c.answered],
        "without_profile": [c for c in countries if not c.answered],
    }


@dataclass
class ComparisonCell:
    country: Country
    answer: ProfileAnswer | None
    text: str = ""


@dataclass
class ComparisonRow:
    section: ProfileSection
    question: ProfileQuestion
    cells: list[ComparisonCell]
    differs: bool

    @property
    def answered(self) -> int:
        return sum(1 for cell in self.cells if cell.answer)


def _comparable(answer: ProfileAnswer) -> object:
    """What two answers must share to be "the same": the value, not its wording."""
    kind = answer.question.answer_type
    if kind == AnswerType.LEGAL_ACT:
        return ("legal_act", answer.legal_act_id)
    if kind == AnswerType.ORGANIZATION:
        return ("organization", answer.organization_id)
    value = answer.value
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def compare(countries: Iterable[Country], language: str | None = None) -> list[ComparisonRow]:
    """Questions as rows (in section order), the countries as cells, in three queries.

    A row `differs` when the answered countries disagree, or when some answered and some
    did not. Unanswered cells have no answer and empty text.
    """
    language = _language(language)
    countries = list(countries)
    questions = list(active_questions())
    current = current_answers(countries, questions)
    rows: list[ComparisonRow] = []
    with translation.override(language):
        for question in questions:
            cells: list[ComparisonCell] = []
            for country in countries:
                answer = current.get((country.pk, question.pk))
                if answer is not None:
                    answer.question = question
                    answer.text = answer.display(language)
                cells.append(
                    ComparisonCell(country, answer, answer.text if answer is not None else "")
                )
            answered = [cell.answer for cell in cells if cell.answer is not None]
            differs = bool(answered) and (
                len(answered) < len(cells) or len({_comparable(a) for a in answered}) > 1
            )
            rows.append(ComparisonRow(question.section, question, cells, differs))
    return rows


def _safe_cell(text: str) -> str:
    """Keep spreadsheets from reading an answer as a formula (CSV injection)."""
    if text and (text[0] in "=+@\t\r" or (text[0] == "-" and not text[1:2].isdigit())):
        return "'" + text
    return text


def comparison_csv(
    countries: Iterable[Country],
    language: str | None = None,
    rows: list[ComparisonRow] | None = None,
) -> str:
    """The comparison as CSV text: one row per question, for each country its answer, "as of"
    date and source, then whether the answers differ."""
    language = _language(language)
    countries = list(countries)
    if rows is None:
        rows = compare(countries, language)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(language):
        header = [_("Section"), _("Question"), _("Question code")]
        for country in countries:
            header += [
                country.name,
                _("%(country)s: as of") % {"country": country.name},
                _("%(country)s: source") % {"country": country.name},
            ]
        header.append(_("Answers differ"))
        writer.writerow(header)
        not_answered = _("Not answered")
        for row in rows:
            line = [str(row.section.title), str(row.question.text), row.question.slug]
            for cell in row.cells:
                if cell.answer is None:
                    line += [not_answered, "", ""]
                else:
                    line += [
                        _safe_cell(cell.text),
                        cell.answer.as_of.isoformat(),
                        _safe_cell(cell.answer.source),
                    ]
            line.append(_("Yes") if row.differs else _("No"))
            writer.writerow(line)
    return buffer.getvalue()


def pending_answers() -> list[ProfileAnswer]:
    """Answers awaiting an editor's review, oldest first, each with the current approved
    answer it would replace (`current`), in two queries."""
    pending = list(
        ProfileAnswer.objects.filter(status=ReviewStatus.PENDING)
        .select_related(
            "country", "question", "question__section", "legal_act", "organization", "submitted_by"
        )
        .order_by("created_at", "pk")
    )
    current = current_answers({a.country_id for a in pending}, {a.question_id for a in pending})
    language = _language(None)
    for answer in pending:
        answer.text = answer.display(language)
        answer.current = current.get((answer.country_id, answer.question_id))
        if answer.current is not None:
            answer.current.text = answer.current.display(language)
    return pending
