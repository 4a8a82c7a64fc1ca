"""The starting questionnaire of country profiles (data/questionnaire.json).

Loaded after every `migrate`, like the directory's reference data. It only adds the sections
and questions that are missing, matched by slug, so the secretariat's later edits (wording,
order, choices, a question switched off) are never overwritten. To retire a shipped question,
switch it off (`is_active`) rather than delete it: a deleted one comes back on the next
migrate.
"""

import json
from pathlib import Path

QUESTIONNAIRE = Path(__file__).resolve().parent / "data" / "questionnaire.json"


def _translated(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{lang}": text for lang, text in values.items() if text}


def read_questionnaire() -> list[dict]:
    return json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))["sections"]


def load_questionnaire(sender=None, using="default", verbosity=1, **kwargs) -> dict[str, int]:
    """Add the missing sections and questions; return how many of each were added."""
    from civhub.knowledge.models import ProfileQuestion, ProfileSection

    db = using
    added = {"sections": 0, "questions": 0}
    sections = {s.slug: s for s in ProfileSection.objects.using(db).all()}
    existing_questions = set(ProfileQuestion.objects.using(db).values_list("slug", flat=True))
    for section_order, item in enumerate(read_questionnaire(), start=1):
        section = sections.get(item["slug"])
        if section is None:
            section = ProfileSection(
                slug=item["slug"],
                order=section_order * 10,
                title=item["title"]["en"],
                **_translated("title", item["title"]),
            )
            section.save(using=db)
            added["sections"] += 1
        new_questions = [
            ProfileQuestion(
                section=section,
                slug=question["slug"],
                answer_type=question["answer_type"],
                choices=question.get("choices", []),
                unit=question.get("unit", ""),
                order=question_order * 10,
                text=question["text"]["en"],
                help_text=question.get("guidance", {}).get("en", ""),
                **_translated("text", question["text"]),
                **_translated("help_text", question.get("guidance", {})),
            )
            for question_order, question in enumerate(item["questions"], start=1)
            if question["slug"] not in existing_questions
        ]
        ProfileQuestion.objects.using(db).bulk_create(new_questions)
        added["questions"] += len(new_questions)
    if verbosity >= 2 and any(added.values()):
        print(
            f"Profile questionnaire: {added['sections']} sections and "
            f"{added['questions']} questions added."
        )
    return added
