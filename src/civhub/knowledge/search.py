"""What the knowledge base gives the search index: practices, laws and country profiles."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Country
from civhub.knowledge.choices import PracticeState, PublicationState
from civhub.knowledge.models import LegalAct, Practice, ProfileAnswer
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

PRACTICE_TEXT = ("summary", "challenge", "solution", "results", "lessons")


def practice_entry(practice: Practice) -> Entry:
    published = practice.state == PracticeState.PUBLISHED
    year = practice.period_start or (
        practice.publication_date.year if practice.publication_date else None
    )
    return Entry(
        versions=translated_versions(practice, "title", PRACTICE_TEXT),
        path=neutral_path(practice),
        # Drafts and records in review are for editors only in search, whoever else may
        # open them from their own pages.
        audience=Audience.PUBLIC if published else Audience.EDITORS,
        year=year,
        country_ids=practice.countries.values_list("pk", flat=True),
        topic_ids=practice.topics.values_list("pk", flat=True),
        sdg_target_ids=practice.sdg_targets.values_list("pk", flat=True),
    )


def law_entry(act: LegalAct) -> Entry:
    published = act.state == PublicationState.PUBLISHED
    versions = translated_versions(act, "title", ("summary",))
    for version in versions:
        version.body = f"{act.number}\n{version.body}".strip() if act.number else version.body
    return Entry(
        versions=versions,
        path=neutral_path(act),
        audience=Audience.PUBLIC if published else Audience.EDITORS,
        year=act.adopted_on.year if act.adopted_on else None,
        country_ids=[act.country_id] if act.country_id else [],
        topic_ids=act.topics.values_list("pk", flat=True),
    )


def profile_entry(country: Country) -> Entry | None:
    """A country's profile: its current approved answers, question by question, one per line
    as "question — answer" (snippets show the lines apart, see search.text.highlight)."""
    answers, seen = [], set()
    for answer in country.profile_answers.current().select_related(
        "question__section", "legal_act", "organization"
    ):
        if answer.question_id not in seen:
            seen.add(answer.question_id)
            answers.append(answer)
    if not answers:
        return None
    versions = []
    for code in content_languages():
        with translation.override(code):
            title = _("Civil service profile: %(country)s") % {
                "country": getattr(country, f"name_{code}", "") or country.name
            }
            lines = [
                f"{getattr(a.question, f'text_{code}', '') or a.question.text} — {a.display(code)}"
                for a in answers
            ]
        versions.append(Version(code, str(title), "\n".join(lines), is_original=code == "en"))
    with translation.override("en"):
        path = reverse("knowledge:profile", kwargs={"code": country.code.lower()})
    return Entry(
        versions=versions,
        path=path.removeprefix("/en"),
        year=max(a.as_of for a in answers).year,
        country_ids=[country.pk],
    )


register(
    SearchType(
        kind="practice",
        label=_("good practice"),
        label_plural=_("good practices"),
        model=Practice,
        entry=practice_entry,
        queryset=lambda: Practice.objects.all(),
        m2m=("countries", "topics", "sdg_targets"),
        order=10,
    )
)
register(
    SearchType(
        kind="law",
        label=_("law"),
        label_plural=_("laws"),
        model=LegalAct,
        entry=law_entry,
        queryset=lambda: LegalAct.objects.all(),
        m2m=("topics",),
        order=20,
    )
)
register(
    SearchType(
        kind="profile",
        label=_("country profile"),
        label_plural=_("country profiles"),
        model=Country,
        entry=profile_entry,
        queryset=lambda: Country.objects.filter(profile_answers__isnull=False).distinct(),
        object_id=lambda country: country.code,
        depends_on=[(ProfileAnswer, lambda answer: [answer.country])],
        order=30,
    )
)
