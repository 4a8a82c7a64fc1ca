"""What the Innovative Solutions Scheme gives the search index: its calls, and the winners of
calls whose results are out. A winner that has become a good practice is found as that
practice (which links back to its award), so that one solution is one result."""

from django.utils.translation import gettext_lazy as _

from civhub.awards.choices import CallState
from civhub.awards.models import Call, Category, Decision, Submission
from civhub.search.models import Audience
from civhub.search.registry import (
    Entry,
    SearchType,
    Version,
    content_languages,
    neutral_path,
    register,
    translated_versions,
)


def call_entry(call: Call) -> Entry:
    versions = translated_versions(call, "title", ("description",), original="en")
    for version in versions:
        themes = [
            getattr(category, f"title_{version.language}", "") or category.title
            for category in call.categories.all()
        ]
        version.body = "\n".join([version.body, *themes]).strip()
    return Entry(
        versions=versions,
        path=neutral_path(call),
        # A call being prepared is the secretariat's; announced and closed ones are public.
        audience=Audience.EDITORS if call.state == CallState.DRAFT else Audience.PUBLIC,
        year=call.year,
    )


def winner_entry(submission: Submission) -> Entry | None:
    if submission.practice_id or not Submission.objects.public().filter(pk=submission.pk).exists():
        return None
    decision = getattr(submission, "decision", None)
    prize = decision.prize if decision is not None and decision.prize_id else None
    call = submission.call
    versions = []
    for code in content_languages():
        # The submission is in one language; the call's and prize's names are translated,
        # so a reader of another language still finds "2018 ... prize" in its own words.
        if code == submission.language:
            body = "\n".join(
                part
                for part in (
                    submission.summary,
                    submission.problem,
                    submission.solution,
                    submission.results,
                    submission.organization_name,
                )
                if part
            )
            versions.append(Version(code, submission.title, body, is_original=True))
    labels = [getattr(call, f"title_{submission.language}", "") or call.title]
    if prize is not None:
        labels.append(getattr(prize, f"title_{submission.language}", "") or prize.title)
    versions[0].body = "\n".join([versions[0].body, *labels]).strip()
    return Entry(
        versions=versions,
        path=neutral_path(submission),
        year=call.year,
        country_ids=[submission.country_id] if submission.country_id else [],
        topic_ids=submission.topics.values_list("pk", flat=True),
        sdg_target_ids=submission.sdg_targets.values_list("pk", flat=True),
    )


register(
    SearchType(
        kind="call",
        label=_("call for solutions"),
        label_plural=_("calls for solutions"),
        model=Call,
        entry=call_entry,
        queryset=lambda: Call.objects.prefetch_related("categories"),
        depends_on=[(Category, lambda category: [category.call])],
        order=60,
    )
)
register(
    SearchType(
        kind="award",
        label=_("awarded solution"),
        label_plural=_("awarded solutions"),
        model=Submission,
        entry=winner_entry,
        queryset=lambda: Submission.objects.public().select_related("call", "decision__prize"),
        m2m=("topics", "sdg_targets"),
        depends_on=[
            (Decision, lambda decision: [decision.submission]),
            # publishing the results (or moving their date) changes what is public
            (Call, lambda call: list(call.submissions.exclude(decision=None))),
        ],
        order=65,
    )
)
