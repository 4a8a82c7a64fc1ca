"""The scheme's part of the demonstration data.

Facts from the seed documents (plain records): the 2015 call, with its two themes (public
education service delivery; merit-based selection and promotion) and the 21 applications
from 9 countries it received, and the 2018 call on digital government, with 46 applications
from 17 countries. Those counts are kept as reported (`applications_reported`,
`countries_reported`); the submissions the demo holds are far fewer.

Invented (`is_demo=True`): the calls' timelines, criteria weights and prizes as written here,
every submission, applicant, evaluator, assignment, score, decision and certificate, and
two further calls, so that every stage can be seen:

* 2015 and 2018: decided and published (awarded, honourable mention, not selected,
  not eligible, follow-up); 2015 with one winner and two honourable mentions, 2018 with one
  of each;
* "2025 (demo)": closed, with submissions eligible, being scored (the demo evaluator
  account has one to score), being consolidated and awaiting the decision;
* "2026 (demo)": open, with drafts (one belongs to the demo member account), a submitted
  one, one in screening and one where the secretariat asked the demo member a question; it
  accepts up to three submissions from one applicant.

The loader adds a call's submissions only when the call has none, so it is safe to run again.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from civhub.accounts.choices import Role
from civhub.accounts.models import RoleAssignment, User
from civhub.awards.choices import (
    CLOSED_STATES,
    SCORED_STATES,
    ApplicantKind,
    AssignmentStatus,
    CallState,
    NoteKind,
    PrizeKind,
    SubmissionState,
)
from civhub.awards.models import (
    Assignment,
    Call,
    Category,
    Certificate,
    Criterion,
    Decision,
    Prize,
    Score,
    StageNote,
    Submission,
)
from civhub.directory.models import Country, Person, Topic

S = SubmissionState
DEMO_DOMAIN = "demo.civhub.example"


def _tr(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip((f"{field}_en", f"{field}_ru", f"{field}_kk"), values, strict=True))


def _dt(y, m, d, h=18) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, 0, tzinfo=datetime.UTC)


CRITERIA = [
    ("innovativeness", ("Innovativeness", "Инновационность", "Инновациялылық"), "20"),
    (
        "results",
        ("Results and evidence", "Результаты и их подтверждение", "Нәтижелер мен дәлелдер"),
        "20",
    ),
    ("relevance", ("Relevance", "Актуальность", "Өзектілік"), "15"),
    ("sustainability", ("Sustainability", "Устойчивость", "Тұрақтылық"), "15"),
    ("replicability", ("Replicability", "Воспроизводимость", "Қайталанымдылық"), "15"),
    ("citizen-focus", ("Citizen focus", "Ориентация на граждан", "Азаматқа бағдарлану"), "10"),
    ("sdg-alignment", ("SDG alignment", "Соответствие ЦУР", "ТДМ-ге сәйкестік"), "5"),
]

CALLS = [
    {
        "slug": "2015",
        "year": 2015,
        "title": (
            "Innovative Solutions Scheme 2015",
            "Схема инновационных решений 2015",
            "Инновациялық шешімдер схемасы 2015",
        ),
        "description": (
            "The first round: public education service delivery, and merit-based selection "
            "and promotion.",
            "Первый раунд: предоставление государственных услуг в сфере образования и "
            "отбор и продвижение на основе заслуг.",
            "Бірінші кезең: білім беру саласындағы мемлекеттік қызметтер және еңбегіне "
            "қарай іріктеу мен жоғарылату.",
        ),
        "timeline": (
            _dt(2015, 3, 1),
            _dt(2015, 6, 30),
            _dt(2015, 7, 31),
            _dt(2015, 9, 30),
            _dt(2015, 10, 31),
        ),
        "results": datetime.date(2015, 11, 15),
        "reported": (21, 9),
        "is_demo": False,
        "criteria": 5,
        "categories": [
            (
                "public-education",
                (
                    "Public education service delivery",
                    "Предоставление услуг в сфере государственного образования",
                    "Мемлекеттік білім беру қызметтері",
                ),
            ),
            (
                "merit-based",
                (
                    "Merit-based selection and promotion",
                    "Отбор и продвижение на основе заслуг",
                    "Еңбегіне қарай іріктеу және жоғарылату",
                ),
            ),
        ],
    },
    {
        "slug": "2018",
        "year": 2018,
        "title": (
            "Innovative Solutions Scheme 2018: digital government",
            "Схема инновационных решений 2018: цифровое правительство",
            "Инновациялық шешімдер схемасы 2018: цифрлық үкімет",
        ),
        "description": (
            "The second round, on digital government.",
            "Второй раунд, посвящённый цифровому правительству.",
            "Цифрлық үкіметке арналған екінші кезең.",
        ),
        "timeline": (
            _dt(2018, 2, 1),
            _dt(2018, 5, 31),
            _dt(2018, 6, 30),
            _dt(2018, 8, 31),
            _dt(2018, 9, 30),
        ),
        "results": datetime.date(2018, 10, 15),
        "reported": (46, 17),
        "is_demo": False,
        "criteria": 7,
        "categories": [
            (
                "digital-government",
                ("Digital government", "Цифровое правительство", "Цифрлық үкімет"),
            ),
        ],
    },
]


def _relative_calls(now):
    """The two invented calls, placed around the day the demo is loaded."""
    day = datetime.timedelta(days=1)
    return [
        {
            "slug": "2025-demo",
            "year": 2025,
            "title": (
                "Innovative Solutions Scheme 2025 (demo): data in HR decisions",
                "Схема инновационных решений 2025 (демо): данные в кадровых решениях",
                "Инновациялық шешімдер схемасы 2025 (демо): кадрлық шешімдердегі деректер",
            ),
            "description": (
                "An invented call, being scored.",
                "Вымышленный конкурс на этапе оценки.",
                "Ойдан шығарылған, бағалау кезеңіндегі конкурс.",
            ),
            "timeline": (
                now - 120 * day,
                now - 30 * day,
                now - 15 * day,
                now + 20 * day,
                now + 40 * day,
            ),
            "results": None,
            "reported": (None, None),
            "is_demo": True,
            "criteria": 7,
            "categories": [
                ("hr-analytics", ("HR analytics", "Кадровая аналитика", "Кадрлық талдау"))
            ],
        },
        {
            "slug": "2026-demo",
            "year": 2026,
            "title": (
                "Innovative Solutions Scheme 2026 (demo): citizen-centred services",
                "Схема инновационных решений 2026 (демо): услуги, ориентированные на граждан",
                "Инновациялық шешімдер схемасы 2026 (демо): азаматқа бағытталған қызметтер",
            ),
            "description": (
                "An invented call, open now.",
                "Вымышленный конкурс, открыт сейчас.",
                "Ойдан шығарылған, қазір ашық конкурс.",
            ),
            "timeline": (
                now - 30 * day,
                now + 21 * day,
                now + 40 * day,
                now + 70 * day,
                now + 90 * day,
            ),
            "results": None,
            "reported": (None, None),
            "is_demo": True,
            "criteria": 7,
            # the demo member has a submission being screened and a draft in this call
            "per_applicant": 3,
            "categories": [
                (
                    "citizen-services",
                    (
                        "Citizen-centred services",
                        "Услуги для граждан",
                        "Азаматтарға арналған қызметтер",
                    ),
                )
            ],
        },
    ]


# (call, title, country, applicant kind, state, language, topic slugs)
SUBMISSIONS = [
    (
        "2015",
        "Open admissions portal for public schools",
        "GE",
        "public_body",
        S.FOLLOW_UP,
        "en",
        ["public-service-delivery", "e-government"],
    ),
    (
        "2015",
        "Blind testing for civil-service entry",
        "KG",
        "public_body",
        S.PUBLISHED,
        "ru",
        ["recruitment-selection"],
    ),
    (
        "2015",
        "Promotion boards with external members",
        "AM",
        "academy",
        S.PUBLISHED,
        "en",
        ["career-development"],
    ),
    (
        "2015",
        "School report cards online",
        "MN",
        "ngo",
        S.NOT_SELECTED,
        "en",
        ["public-service-delivery"],
    ),
    (
        "2015",
        "Regional exam centres",
        "TJ",
        "public_body",
        S.INELIGIBLE,
        "ru",
        ["recruitment-selection"],
    ),
    (
        "2018",
        "Single sign-on for all public services",
        "AZ",
        "public_body",
        S.PUBLISHED,
        "en",
        ["e-government"],
    ),
    (
        "2018",
        "Electronic personnel files",
        "BY",
        "public_body",
        S.PUBLISHED,
        "ru",
        ["hr-information-systems"],
    ),
    (
        "2018",
        "Mobile tax office",
        "UZ",
        "public_body",
        S.NOT_SELECTED,
        "ru",
        ["e-government", "public-service-delivery"],
    ),
    (
        "2018",
        "Open data of civil-service vacancies",
        "UA",
        "think_tank",
        S.NOT_SELECTED,
        "en",
        ["e-government", "recruitment-selection"],
    ),
    (
        "2018",
        "Chatbot for citizens' appeals",
        "MD",
        "public_body",
        S.NOT_SELECTED,
        "en",
        ["e-government"],
    ),
    (
        "2018",
        "Digital signatures for village councils",
        "TR",
        "individual",
        S.INELIGIBLE,
        "en",
        ["e-government"],
    ),
    (
        "2025-demo",
        "Attrition early-warning dashboard",
        "KZ",
        "public_body",
        S.DECISION,
        "kk",
        ["hr-information-systems", "innovation"],
    ),
    (
        "2025-demo",
        "Skills inventory of the civil service",
        "GE",
        "public_body",
        S.DECISION,
        "en",
        ["career-development"],
    ),
    (
        "2025-demo",
        "Workforce planning model",
        "AM",
        "academy",
        S.CONSOLIDATION,
        "en",
        ["institutional-design"],
    ),
    (
        "2025-demo",
        "Pay-equity audit tool",
        "MN",
        "ngo",
        S.CONSOLIDATION,
        "en",
        ["pay-remuneration"],
    ),
    (
        "2025-demo",
        "Exit-interview analytics",
        "KG",
        "public_body",
        S.SCORING,
        "ru",
        ["performance-appraisal"],
    ),
    (
        "2025-demo",
        "Competency tests item bank",
        "AZ",
        "public_body",
        S.SCORING,
        "en",
        ["recruitment-selection"],
    ),
    (
        "2025-demo",
        "Training needs from appraisal data",
        "BY",
        "academy",
        S.SCORING,
        "ru",
        ["training-academies"],
    ),
    (
        "2025-demo",
        "Open HR statistics portal",
        "UA",
        "think_tank",
        S.ELIGIBLE,
        "en",
        ["hr-information-systems"],
    ),
    (
        "2026-demo",
        "One window for disability benefits",
        "KZ",
        "public_body",
        S.INFO_REQUESTED,
        "ru",
        ["public-service-delivery"],
    ),
    (
        "2026-demo",
        "Citizen feedback on every service",
        "GE",
        "ngo",
        S.SCREENING,
        "en",
        ["public-service-delivery"],
    ),
    (
        "2026-demo",
        "Proactive birth registration",
        "MD",
        "public_body",
        S.SUBMITTED,
        "en",
        ["e-government"],
    ),
    (
        "2026-demo",
        "Plain-language letters",
        "KZ",
        "individual",
        S.DRAFT,
        "kk",
        ["public-service-delivery"],
    ),
    (
        "2026-demo",
        "Queue-free service centres",
        "UZ",
        "public_body",
        S.DRAFT,
        "ru",
        ["public-service-delivery"],
    ),
]
DEMO_MEMBER_TITLES = {"One window for disability benefits", "Plain-language letters"}
EVALUATORS = [
    ("GE", ["en", "ru"]),
    ("AM", ["en", "ru"]),
    ("MN", ["en"]),
    ("TR", ["en"]),
    ("UA", ["en", "ru"]),
    ("KZ", ["kk", "ru", "en"]),
]
SCORED = set(SCORED_STATES)
#: published with an honourable mention; the other published ones won the call's one prize, so
#: 2015 has one winner and two honourable mentions (as many as its prizes say), 2018 one of each
HONOURABLE = {
    "Blind testing for civil-service entry",
    "Promotion boards with external members",
    "Electronic personnel files",
}

# A submission is written in its own language (Submission.language): the Russian and Kazakh
# ones get their title and text in that language. SUBMISSIONS names them in English.
LOCAL_TITLES = {
    "Blind testing for civil-service entry": "Анонимное тестирование при поступлении на госслужбу",
    "Regional exam centres": "Региональные экзаменационные центры",
    "Electronic personnel files": "Электронные личные дела",
    "Mobile tax office": "Мобильная налоговая служба",
    "Attrition early-warning dashboard": "Кадрлардың кетуін ерте ескертетін панель",
    "Exit-interview analytics": "Аналитика выходных интервью",
    "Training needs from appraisal data": "Потребности в обучении по данным оценки",
    "One window for disability benefits": "Единое окно для пособий по инвалидности",
    "Plain-language letters": "Қарапайым тілмен жазылған хаттар",
    "Queue-free service centres": "Центры обслуживания без очередей",
}
TEXTS = {
    "en": {
        "organization": "{title}: implementing office",
        "summary": "{title}: an invented solution for the demonstration.",
        "problem": "Citizens and civil servants waited too long and knew too little.",
        "solution": "A simpler process, supported by a small digital tool.",
        "results": "Waiting times halved in the pilot regions.",
        "evidence": "Agency statistics (invented).",
        "novelty": "First of its kind in the region.",
        "replication": "Needs a legal basis and a team of three.",
        "costs": "About 100,000 US dollars a year.",
        "partners": "UNDP (invented)",
    },
    "ru": {
        "organization": "{title}: ведомство-исполнитель",
        "summary": "{title}: вымышленное решение для демонстрации.",
        "problem": "Граждане и госслужащие слишком долго ждали и слишком мало знали.",
        "solution": "Более простая процедура с небольшим цифровым инструментом.",
        "results": "В пилотных регионах время ожидания сократилось вдвое.",
        "evidence": "Статистика ведомства (вымышленная).",
        "novelty": "Первое такое решение в регионе.",
        "replication": "Нужны правовая основа и команда из трёх человек.",
        "costs": "Около 100 000 долларов США в год.",
        "partners": "ПРООН (вымышлено)",
    },
    "kk": {
        "organization": "{title}: орындаушы мекеме",
        "summary": "{title}: демонстрацияға арналған ойдан шығарылған шешім.",
        "problem": "Азаматтар мен мемлекеттік қызметшілер тым ұзақ күтті және аз білді.",
        "solution": "Шағын цифрлық құралмен қолдау көрсетілген қарапайым рәсім.",
        "results": "Пилоттық өңірлерде күту уақыты екі есе қысқарды.",
        "evidence": "Мекеме статистикасы (ойдан шығарылған).",
        "novelty": "Өңірде алғашқы осындай шешім.",
        "replication": "Құқықтық негіз және үш адамнан тұратын топ қажет.",
        "costs": "Жылына шамамен 100 000 АҚШ доллары.",
        "partners": "БҰҰДБ (ойдан шығарылған)",
    },
}


def _call(spec) -> Call:
    opens, closes, screening, scoring, decision = spec["timeline"]
    call, _created = Call.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "year": spec["year"],
            **_tr("title", spec["title"]),
            **_tr("description", spec["description"]),
            "state": CallState.ANNOUNCED,
            "eligible_kinds": list(ApplicantKind.values),
            "min_months_in_operation": 12,
            "opens_at": opens,
            "closes_at": closes,
            "screening_ends_at": screening,
            "scoring_ends_at": scoring,
            "decision_at": decision,
            "results_published_on": spec["results"],
            "evaluators_per_submission": 3,
            "submissions_per_applicant": spec.get("per_applicant", 1),
            "applications_reported": spec["reported"][0],
            "countries_reported": spec["reported"][1],
            "is_demo": spec["is_demo"],
        },
    )
    for order, (slug, title) in enumerate(spec["categories"]):
        Category.objects.update_or_create(
            call=call, slug=slug, defaults={"order": order, **_tr("title", title)}
        )
    for order, (slug, title, weight) in enumerate(CRITERIA[: spec["criteria"]]):
        Criterion.objects.update_or_create(
            call=call,
            slug=slug,
            defaults={"order": order, "weight": Decimal(weight), **_tr("title", title)},
        )
    if not call.prizes.exists():
        Prize.objects.create(
            call=call,
            kind=PrizeKind.PRIZE,
            order=0,
            count=1,
            **_tr("title", ("Winner", "Победитель", "Жеңімпаз")),
        )
        Prize.objects.create(
            call=call,
            kind=PrizeKind.HONOURABLE_MENTION,
            order=1,
            count=2,
            **_tr("title", ("Honourable mention", "Почётное упоминание", "Құрметті атау")),
        )
    return call


def _user(email: str, name: str, *roles: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role, country=None)
    return user


def _evaluators(countries) -> list[User]:
    users = []
    for i, (code, languages) in enumerate(EVALUATORS, start=1):
        user = _user(
            f"evaluator.{i}@{DEMO_DOMAIN}", f"Demo evaluator {i}", Role.MEMBER, Role.EVALUATOR
        )
        Person.objects.update_or_create(
            user=user,
            defaults={
                "name": f"Demo evaluator {i}",
                "country": countries[code],
                "languages": languages,
                "is_demo": True,
            },
        )
        users.append(user)
    account = User.objects.filter(email=f"evaluator@{DEMO_DOMAIN}").first()
    if account is None:
        return users
    if not Person.objects.filter(user=account).exists():  # its country, for the conflict rules
        Person.objects.create(
            name="Demo Evaluator",
            country=countries["TR"],
            languages=["en", "ru"],
            user=account,
            is_demo=True,
        )
    return [*users, account]


def _scores(rng, criteria, assignment, quality) -> list[Score]:
    return [
        Score(
            assignment=assignment,
            criterion=c,
            value=max(c.scale_min, min(c.scale_max, round(quality + rng.gauss(0, 1.2)))),
            comment="",
        )
        for c in criteria
    ]


def load(log=print) -> None:
    now = timezone.now().replace(microsecond=0)
    countries = {
        c.code: c
        for c in Country.objects.filter(
            code__in={s[2] for s in SUBMISSIONS} | {e[0] for e in EVALUATORS}
        )
    }
    topics = {t.slug: t for t in Topic.objects.all()}
    calls = {spec["slug"]: _call(spec) for spec in [*CALLS, *_relative_calls(now)]}
    evaluators = _evaluators(countries)
    editor = User.objects.filter(email=f"editor@{DEMO_DOMAIN}").first()
    member = User.objects.filter(email=f"member@{DEMO_DOMAIN}").first()
    rng = random.Random(2015)
    fresh = {slug for slug, call in calls.items() if not call.submissions.exists()}
    made = 0
    places: dict[tuple[str, int], int] = {}  # each applicant's open submissions to a call
    for slug, title, code, kind, state, language, topic_slugs in SUBMISSIONS:
        if slug not in fresh:
            continue
        call = calls[slug]
        if title in DEMO_MEMBER_TITLES and member:
            applicant = member
        else:
            applicant = _user(
                f"applicant.{code.lower()}@{DEMO_DOMAIN}", f"Demo applicant ({code})", Role.MEMBER
            )
        submitted = None if state == S.DRAFT else call.opens_at + datetime.timedelta(days=10 + made)
        local_title = LOCAL_TITLES.get(title, title) if language != "en" else title
        text = {key: value.format(title=local_title) for key, value in TEXTS[language].items()}
        done = state != S.DRAFT
        slot = 1
        if state not in CLOSED_STATES:
            slot = places[slug, applicant.pk] = places.get((slug, applicant.pk), 0) + 1
        submission = Submission.objects.create(
            call=call,
            category=call.categories.first(),
            applicant=applicant,
            applicant_kind=kind,
            organization_name=text["organization"],
            country=countries[code],
            title=local_title,
            summary=text["summary"],
            problem=text["problem"],
            solution=text["solution"],
            running_since=datetime.date(call.year - 2, 1, 1),
            results=text["results"] if done else "",
            evidence=text["evidence"] if done else "",
            novelty=text["novelty"],
            replication=text["replication"],
            costs=text["costs"],
            partners=text["partners"],
            language=language,
            declares_accurate=done,
            agrees_to_publication=done,
            state=state,
            submitted_at=submitted,
            slot=slot,
            is_demo=True,
        )
        submission.topics.set([topics[t] for t in topic_slugs if t in topics])
        made += 1
        _stages(submission, call, state, evaluators, rng, editor)
    mended = _mend_outcomes()
    log(f"  award calls: {len(calls)}, submissions added: {made}, outcomes corrected: {mended}")


def _mend_outcomes() -> int:
    """Demo data loaded before this version awarded the 2015 call's prize twice (its honourable
    mention was recorded as a second award); put those outcomes right, so that running the
    loader again mends an old demo database."""
    honourable = {LOCAL_TITLES.get(t, t) for t in HONOURABLE}
    wrong = Decision.objects.filter(
        submission__is_demo=True, submission__title__in=honourable, outcome=S.AWARDED
    ).select_related("submission__call")
    mended = 0
    for decision in wrong:
        decision.outcome = S.HONOURABLE_MENTION
        decision.prize = decision.submission.call.prizes.filter(
            kind=PrizeKind.HONOURABLE_MENTION
        ).first()
        decision.save(update_fields=["outcome", "prize"])
        mended += 1
    return mended


def _stages(submission, call, state, evaluators, rng, editor) -> None:
    """Notes, assignments, scores, decisions and certificates that the state implies."""
    if state == S.INFO_REQUESTED:
        StageNote.objects.create(
            submission=submission,
            kind=NoteKind.REQUEST,
            transition="request_information",
            text="Please attach the figures for the pilot year.",
            author=editor,
        )
    if state == S.INELIGIBLE:
        StageNote.objects.create(
            submission=submission,
            kind=NoteKind.REASON,
            transition="mark_ineligible",
            text="The solution had run for less than twelve months when the call closed.",
            author=editor,
        )
    if state not in SCORED | {S.SCORING}:
        return
    eligible = [
        e
        for e in evaluators
        if getattr(getattr(e, "person", None), "country_id", None) != submission.country_id
    ]
    start = submission.pk % len(eligible)
    chosen = (eligible[start:] + eligible[:start])[:3]
    demo_account = evaluators[-1]
    if (
        state == S.SCORING
        and demo_account.email.startswith("evaluator@")
        and demo_account not in chosen
    ):
        chosen[-1] = demo_account  # the demo evaluator account has work waiting
    criteria = list(call.criteria.all())
    quality = rng.uniform(4, 9)
    done_at = call.closes_at + datetime.timedelta(days=20)
    scores = []
    for i, evaluator in enumerate(chosen):
        finished = state in SCORED or (i == 0 and evaluator != demo_account)
        assignment = Assignment.objects.create(
            submission=submission,
            evaluator=evaluator,
            status=AssignmentStatus.COMPLETED if finished else AssignmentStatus.ASSIGNED,
            completed_at=done_at if finished else None,
            is_demo=True,
        )
        if finished:
            scores += _scores(rng, criteria, assignment, quality + rng.uniform(-1.5, 1.5))
    Score.objects.bulk_create(scores)
    outcome = {
        S.PUBLISHED: S.HONOURABLE_MENTION
        if submission.title in {LOCAL_TITLES.get(t, t) for t in HONOURABLE}
        else S.AWARDED,
        S.FOLLOW_UP: S.AWARDED,
        S.NOT_SELECTED: S.NOT_SELECTED,
    }.get(state)
    if outcome:
        prize = call.prizes.filter(
            kind=PrizeKind.PRIZE if outcome == S.AWARDED else PrizeKind.HONOURABLE_MENTION
        ).first()
        Decision.objects.create(
            submission=submission,
            outcome=outcome,
            prize=None if outcome == S.NOT_SELECTED else prize,
            minutes="The selection panel discussed the consolidated scores (invented minutes).",
            decided_by=editor,
        )
    if state in (S.PUBLISHED, S.FOLLOW_UP):
        Certificate.objects.create(submission=submission, issued_by=editor)
