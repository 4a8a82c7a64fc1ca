"""Demonstration country profiles for six member countries.

Almost every answer is invented to make the comparison page worth looking at, and is marked
`is_demo=True` with a source that says so. The few public facts (the date of Kazakhstan's and
Georgia's civil-service laws, and their central authorized bodies) are plain records with
their source.

Run after the directory's demo data (it links the organizations that loader makes) and, if
there is one, the legal acts' demo data (the "main law" question links an existing law of
the country; without one it stays unanswered). Safe to run again: an answer is added only
when the country has no live answer to that question on that date.
"""

import datetime

from django.db.models import Q

from civhub.directory.models import Country, Organization
from civhub.knowledge.choices import ReviewStatus
from civhub.knowledge.models import LegalAct, ProfileAnswer, ProfileQuestion
from civhub.knowledge.questionnaire import load_questionnaire

D = datetime.date
AS_OF = D(2024, 1, 1)
INVENTED = "Invented for the demonstration data; not an official figure."
LAW_KZ = (
    "Law of the Republic of Kazakhstan No. 416-V of 23 November 2015 "
    "“On the Civil Service of the Republic of Kazakhstan”"
)
LAW_GE = "Law of Georgia on Public Service of 27 October 2015"


def fact(value, source: str, as_of: datetime.date = AS_OF, url: str = "") -> dict:
    """A public fact: not demo, with its source."""
    return {"value": value, "source": source, "as_of": as_of, "url": url, "demo": False}


def earlier(value, as_of: datetime.date) -> dict:
    """An invented earlier answer, so the profile shows its history."""
    return {"value": value, "source": INVENTED, "as_of": as_of, "url": "", "demo": True}


# Answers by country and question slug. A plain value is invented (demo) as of AS_OF; a list
# holds several answers to one question at different dates (history). Organizations are
# given by slug (from the directory's demo data).
PROFILES: dict[str, dict] = {
    "KZ": {
        "legal-law-adopted": fact(D(2015, 11, 23), LAW_KZ),
        "legal-political-administrative-split": True,
        "body-central-authority": fact("org:kz-civil-service-agency", LAW_KZ),
        "body-status": "independent-agency",
        "model-type": "mixed",
        "model-senior-civil-service": True,
        "model-ranks": True,
        "size-civil-servants": [earlier(91500, D(2019, 1, 1)), 88400],
        "size-per-1000": "4.5",
        "size-women-share": "55.2",
        "size-women-senior-share": "41",
        "recruitment-open-competition": True,
        "recruitment-written-exam": "centralized",
        "recruitment-stages": (
            "Testing of knowledge of legislation, assessment of personal qualities, "
            "interview with the competition commission."
        ),
        "recruitment-applicants-per-vacancy": "7.8",
        "probation-required": True,
        "probation-length": 6,
        "appraisal-frequency": "quarterly",
        "appraisal-kpi": True,
        "appraisal-linked-to-pay": True,
        "promotion-basis": "internal-competition",
        "promotion-talent-pool": True,
        "promotion-rotation": True,
        "pay-system": "factor-point",
        "pay-performance-bonus": True,
        "pay-scales-published": True,
        "training-academy": "org:kz-academy",
        "training-mandatory": True,
        "training-hours": [earlier(30, D(2020, 1, 1)), 40],
        "training-online": True,
        "ethics-code": True,
        "ethics-asset-declarations": "all-not-public",
        "ethics-declarations-online": True,
        "ethics-conflict-of-interest": (
            "Civil servants report a conflict of interest in writing; the head of the body "
            "reassigns the matter. Shares are handed over to trust management."
        ),
        "hris-exists": True,
        "hris-e-recruitment": True,
        "hris-online-testing": True,
    },
    "GE": {
        "legal-law-adopted": fact(D(2015, 10, 27), LAW_GE),
        "legal-political-administrative-split": True,
        "body-central-authority": fact("org:ge-civil-service-bureau", LAW_GE),
        "body-status": "government-agency",
        "model-type": [earlier("position", D(2015, 1, 1)), "mixed"],
        "model-senior-civil-service": False,
        "model-ranks": True,
        "size-civil-servants": 38500,
        "size-per-1000": "10.4",
        "size-women-share": "48",
        "size-women-senior-share": "29.5",
        "recruitment-open-competition": True,
        "recruitment-written-exam": "centralized",
        "recruitment-stages": "Online application, written test, interview.",
        "recruitment-applicants-per-vacancy": 21,
        "probation-required": True,
        "probation-length": 12,
        "appraisal-frequency": "semiannual",
        "appraisal-kpi": True,
        "appraisal-linked-to-pay": True,
        "promotion-basis": "merit",
        "promotion-talent-pool": False,
        "promotion-rotation": False,
        "pay-system": "unified-grid",
        "pay-performance-bonus": True,
        "pay-scales-published": True,
        "training-mandatory": True,
        "training-online": True,
        "ethics-code": True,
        "ethics-asset-declarations": "senior-only",
        "ethics-declarations-online": True,
        "ethics-conflict-of-interest": (
            "Officials declare conflicts and step aside from the decision; the Civil Service "
            "Bureau monitors declarations."
        ),
        "hris-exists": True,
        "hris-e-recruitment": True,
        "hris-vacancy-portal": "hr.gov.ge",
        "hris-online-testing": True,
    },
    "AZ": {
        "legal-law-adopted": D(2000, 7, 21),
        "legal-political-administrative-split": False,
        "body-central-authority": "org:az-civil-service-commission",
        "body-status": "commission",
        "model-type": "career",
        "model-senior-civil-service": False,
        "model-ranks": True,
        "size-civil-servants": 33000,
        "size-per-1000": "3.3",
        "size-women-share": "30",
        "size-women-senior-share": "14",
        "recruitment-open-competition": True,
        "recruitment-written-exam": "centralized",
        "recruitment-stages": "Computer-based test, then an interview.",
        "recruitment-applicants-per-vacancy": 12,
        "probation-required": True,
        "probation-length": 6,
        "appraisal-frequency": "annual",
        "appraisal-kpi": False,
        "appraisal-linked-to-pay": False,
        "promotion-basis": "combination",
        "promotion-talent-pool": True,
        "promotion-rotation": True,
        "pay-system": "unified-grid",
        "pay-performance-bonus": True,
        "pay-scales-published": False,
        "training-mandatory": True,
        "training-hours": 36,
        "training-online": True,
        "ethics-code": True,
        "ethics-asset-declarations": "senior-only",
        "ethics-declarations-online": False,
        "hris-exists": True,
        "hris-e-recruitment": True,
        "hris-online-testing": True,
    },
    "KG": {
        "legal-law-adopted": D(2016, 5, 30),
        "legal-political-administrative-split": True,
        "body-central-authority": "org:kg-state-personnel-service",
        "body-status": "government-agency",
        "model-type": "mixed",
        "model-senior-civil-service": False,
        "model-ranks": True,
        "size-civil-servants": 17500,
        "size-per-1000": "2.6",
        "size-women-share": "44",
        "size-women-senior-share": "25",
        "recruitment-open-competition": True,
        "recruitment-written-exam": "by-body",
        "probation-required": True,
        "probation-length": 3,
        "appraisal-frequency": "annual",
        "appraisal-kpi": True,
        "appraisal-linked-to-pay": False,
        "promotion-basis": "internal-competition",
        "promotion-talent-pool": True,
        "promotion-rotation": True,
        "pay-system": "unified-grid",
        "pay-performance-bonus": False,
        "training-mandatory": True,
        "training-hours": 24,
        "training-online": False,
        "ethics-code": True,
        "ethics-asset-declarations": "all-not-public",
        "ethics-declarations-online": True,
        "hris-exists": False,
        "hris-e-recruitment": False,
    },
    "BY": {
        "model-type": "career",
        "model-ranks": True,
        "recruitment-open-competition": False,
        "recruitment-written-exam": "by-body",
        "probation-required": True,
        "probation-length": 3,
        "appraisal-frequency": "annual",
        "promotion-basis": "seniority",
        "promotion-talent-pool": True,
        "pay-system": "unified-grid",
        "training-academy": "org:by-academy",
        "training-mandatory": True,
        "ethics-code": True,
        "ethics-asset-declarations": "all-not-public",
        "hris-exists": False,
    },
    "MK": {
        "legal-law-adopted": D(2014, 2, 10),
        "legal-political-administrative-split": True,
        "body-central-authority": "org:mk-ministry-information-society",
        "body-status": "ministry",
        "model-type": "position",
        "model-senior-civil-service": False,
        "model-ranks": False,
        "size-civil-servants": 13000,
        "size-per-1000": "6.3",
        "size-women-share": "54",
        "size-women-senior-share": "45",
        "recruitment-open-competition": True,
        "recruitment-written-exam": "centralized",
        "recruitment-applicants-per-vacancy": 9,
        "probation-required": True,
        "probation-length": 6,
        "appraisal-frequency": "annual",
        "appraisal-kpi": True,
        "appraisal-linked-to-pay": True,
        "promotion-basis": "merit",
        "promotion-talent-pool": False,
        "promotion-rotation": False,
        "pay-system": "unified-grid",
        "pay-performance-bonus": False,
        "pay-scales-published": True,
        "training-mandatory": False,
        "training-online": True,
        "ethics-code": True,
        "ethics-asset-declarations": "senior-only",
        "ethics-declarations-online": True,
        "hris-exists": True,
        "hris-e-recruitment": True,
        "hris-online-testing": False,
    },
}

# One answer a focal point has sent and an editor has not reviewed yet, for the review page.
PENDING = [("KZ", "probation-length", 12, D(2026, 1, 1))]
DEMO_FOCAL_POINT = "focal.kz@demo.civhub.example"


def _entries(spec) -> list[dict]:
    specs = spec if isinstance(spec, list) else [spec]
    return [
        s
        if isinstance(s, dict)
        else {"value": s, "source": INVENTED, "as_of": AS_OF, "url": "", "demo": True}
        for s in specs
    ]


def _main_law(country: Country) -> LegalAct | None:
    laws = LegalAct.objects.filter(country=country, kind__in=["law", "code"])
    about_service = laws.filter(
        Q(title_en__icontains="service") | Q(title_ru__icontains="служб")
    ).order_by("-adopted_on")
    return about_service.first() or laws.order_by("-adopted_on").first()


def _resolve(value, country: Country):
    if isinstance(value, str) and value.startswith("org:"):
        return Organization.objects.filter(slug=value[4:]).first()
    return value


def _add(country, question, value, *, as_of, source, url, demo, status, submitted_by=None):
    """Add one answer unless the country has a live answer to the question on that date."""
    live = ProfileAnswer.objects.filter(country=country, question=question, as_of=as_of).exclude(
        status=ReviewStatus.REJECTED
    )
    if value is None or live.exists():
        return False
    answer = ProfileAnswer(
        country=country,
        question=question,
        as_of=as_of,
        source=source,
        source_url=url,
        status=status,
        is_demo=demo,
        submitted_by=submitted_by,
    )
    setattr(answer, ProfileAnswer.VALUE_FIELD[question.answer_type], value)
    answer.full_clean()
    answer.save()
    return True


def load(log=print) -> None:
    from civhub.accounts.models import User

    load_questionnaire()
    questions = {q.slug: q for q in ProfileQuestion.objects.filter(is_active=True)}
    added = 0
    for code, answers in PROFILES.items():
        country = Country.objects.get(code=code)
        answers = dict(answers)
        law = _main_law(country)
        if law is not None:  # which law is "the main one" is the demo's guess
            answers.setdefault(
                "legal-main-law",
                {"value": law, "source": INVENTED, "as_of": AS_OF, "url": "", "demo": True},
            )
        for slug, spec in answers.items():
            question = questions.get(slug)
            if question is None:  # switched off or removed by the secretariat
                continue
            for entry in _entries(spec):
                added += _add(
                    country,
                    question,
                    _resolve(entry["value"], country),
                    as_of=entry["as_of"],
                    source=entry["source"],
                    url=entry["url"],
                    demo=entry["demo"],
                    status=ReviewStatus.APPROVED,
                )
    focal_point = User.objects.filter(email=DEMO_FOCAL_POINT).first()
    for code, slug, value, as_of in PENDING:
        if slug in questions:
            added += _add(
                Country.objects.get(code=code),
                questions[slug],
                value,
                as_of=as_of,
                source=INVENTED,
                url="",
                demo=True,
                status=ReviewStatus.PENDING,
                submitted_by=focal_point,
            )
    log(f"  country profiles: {added} answers added for {len(PROFILES)} countries")
