"""Demo events: the hub's first activities as the source documents name them, and invented
ones around them.

Facts from the source documents (plain records, `is_demo=False`): the Global Conference
within the Astana Economic Forum, and technical workshops and trainings of the hub's first
year. Their exact dates, venues, capacities and agendas are not in the documents and are
invented, as is everything else here: the upcoming events, the full event with its waiting
list, the held one, and every registration (all `is_demo=True`).

Safe to run again: events by slug (update_or_create), sessions by (event, title), registrations
by (event, user); the demo participants' accounts are made once. Not wired into core's demo
command here: the integrator adds `("events", events.demo.load)` after the directory.
"""

import datetime
import zoneinfo

from django.utils import timezone

from civhub.directory.models import Country, Organization, Topic
from civhub.events.choices import EventFormat, EventKind, EventState, RegistrationStatus
from civhub.events.models import Event, Registration, Session

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
R = RegistrationStatus


def _tr(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {
        field: values[0],
        **{f"{field}_{lang}": v for lang, v in zip(("en", "ru", "kk"), values, strict=True)},
    }


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), ALMATY)


def _events(today: datetime.date) -> list[dict]:
    soon = today + datetime.timedelta(days=21)
    later = today + datetime.timedelta(days=45)
    held = today - datetime.timedelta(days=60)
    return [
        {
            "slug": "global-conference-astana-economic-forum-2013",
            "title": (
                "Global Conference within the Astana Economic Forum",
                "Глобальная конференция в рамках Астанинского экономического форума",
                "Астана экономикалық форумы аясындағы Жаһандық конференция",
            ),
            "description": (
                "The hub's first Global Conference on civil service reform, held within the "
                "Astana Economic Forum.",
                "Первая Глобальная конференция хаба по реформе государственной службы в рамках "
                "Астанинского экономического форума.",
                "Хабтың мемлекеттік қызмет реформасы жөніндегі алғашқы Жаһандық конференциясы, "
                "Астана экономикалық форумы аясында.",
            ),
            "kind": EventKind.CONFERENCE,
            "format": EventFormat.IN_PERSON,
            "starts_at": _at(datetime.date(2013, 5, 22), 10),
            "ends_at": _at(datetime.date(2013, 5, 23), 18),
            "city": ("Astana", "Астана", "Астана"),
            "country": "KZ",
            "state": EventState.HELD,
            "is_demo": False,
            "topics": ["institutional-design", "innovation"],
        },
        {
            "slug": "workshop-merit-based-recruitment-2014",
            "title": (
                "Technical workshop: merit-based recruitment",
                "Технический семинар: отбор на основе заслуг",
                "Техникалық семинар: еңбегіне қарай іріктеу",
            ),
            "description": (
                "A technical workshop of the hub's first year for civil service agencies.",
                "Технический семинар первого года хаба для агентств по делам государственной "
                "службы.",
                "Хабтың бірінші жылындағы мемлекеттік қызмет агенттіктеріне арналған "
                "техникалық семинар.",
            ),
            "kind": EventKind.WORKSHOP,
            "format": EventFormat.IN_PERSON,
            "starts_at": _at(datetime.date(2014, 3, 12), 9),
            "ends_at": _at(datetime.date(2014, 3, 13), 17),
            "city": ("Astana", "Астана", "Астана"),
            "country": "KZ",
            "state": EventState.HELD,
            "is_demo": False,
            "topics": ["recruitment-selection"],
        },
        {
            "slug": "training-ethics-anti-corruption-2014",
            "title": (
                "Training: ethics and integrity in the civil service",
                "Тренинг: этика и добросовестность на государственной службе",
                "Тренинг: мемлекеттік қызметтегі әдеп және адалдық",
            ),
            "description": (
                "A training of the hub's first year for trainers of civil service academies.",
                "Тренинг первого года хаба для преподавателей академий государственной службы.",
                "Хабтың бірінші жылындағы мемлекеттік қызмет академияларының оқытушыларына "
                "арналған тренинг.",
            ),
            "kind": EventKind.TRAINING,
            "format": EventFormat.IN_PERSON,
            "starts_at": _at(datetime.date(2014, 10, 7), 9),
            "ends_at": _at(datetime.date(2014, 10, 9), 17),
            "city": ("Astana", "Астана", "Астана"),
            "country": "KZ",
            "state": EventState.HELD,
            "is_demo": False,
            "topics": ["ethics-anti-corruption", "training-academies"],
        },
        {
            "slug": "webinar-digital-hr-systems",
            "title": (
                "Webinar: digital HR systems for the civil service",
                "Вебинар: цифровые кадровые системы на государственной службе",
                "Вебинар: мемлекеттік қызметтегі цифрлық кадр жүйелері",
            ),
            "description": ("", "", ""),
            "kind": EventKind.WEBINAR,
            "format": EventFormat.ONLINE,
            "starts_at": _at(soon, 11),
            "ends_at": _at(soon, 13),
            "online_link": "https://meet.example.org/civhub-demo",
            "state": EventState.REGISTRATION_OPEN,
            "capacity": 100,
            "is_demo": True,
            "topics": ["hr-information-systems", "e-government"],
        },
        {
            "slug": "workshop-performance-appraisal-full",
            "title": (
                "Workshop: performance appraisal in practice",
                "Семинар: оценка результативности на практике",
                "Семинар: нәтижелілікті бағалау іс жүзінде",
            ),
            "description": ("", "", ""),
            "kind": EventKind.WORKSHOP,
            "format": EventFormat.HYBRID,
            "starts_at": _at(later, 9),
            "ends_at": _at(later + datetime.timedelta(days=1), 17),
            "city": ("Almaty", "Алматы", "Алматы"),
            "country": "KZ",
            "online_link": "https://meet.example.org/civhub-appraisal",
            "state": EventState.REGISTRATION_OPEN,
            "capacity": 3,
            "country_quota": 2,
            "is_demo": True,
            "topics": ["performance-appraisal"],
        },
        {
            "slug": "study-visit-public-service-delivery",
            "title": (
                "Study visit: one-stop public service centres",
                "Ознакомительный визит: центры обслуживания населения",
                "Танысу сапары: халыққа қызмет көрсету орталықтары",
            ),
            "description": ("", "", ""),
            "kind": EventKind.STUDY_VISIT,
            "format": EventFormat.IN_PERSON,
            "starts_at": _at(held, 9),
            "ends_at": _at(held + datetime.timedelta(days=2), 17),
            "city": ("Astana", "Астана", "Астана"),
            "country": "KZ",
            "state": EventState.HELD,
            "capacity": 20,
            "is_demo": True,
            "topics": ["public-service-delivery"],
        },
    ]


#: invented participants' names (proper names, the same in every language)
NAMES = [
    "Айгерим Сапарова",
    "Нурлан Ахметов",
    "Бакыт Осмонов",
    "Дана Ермекова",
    "Фарход Рахимов",
    "Мадина Касымова",
    "Ерлан Жумабаев",
    "Алия Туленова",
]


def _participants(count: int):
    from civhub.accounts.models import User

    users = []
    for n in range(1, count + 1):
        email = f"participant{n}@demo.civhub.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, display_name=NAMES[n - 1])
        users.append(user)
    return users


def load(log=print) -> None:
    today = timezone.localdate()
    countries = {c.code: c for c in Country.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    hub = Organization.objects.filter(slug="regional-hub").first()
    undp = Organization.objects.filter(slug="undp").first()
    events = {}
    for item in _events(today):
        item = dict(item)
        slug, topic_slugs = item.pop("slug"), item.pop("topics")
        country = item.pop("country", None)
        city = item.pop("city", ("", "", ""))
        defaults = {
            **_tr("city", city),
            **_tr("title", item.pop("title")),
            **_tr("description", item.pop("description")),
            **item,
            "country": countries.get(country) if country else None,
            "time_zone": "Asia/Almaty",
        }
        event, _created = Event.objects.update_or_create(slug=slug, defaults=defaults)
        event.topics.set([topics[s] for s in topic_slugs if s in topics])
        if hub:
            event.organizers.set([hub])
        if undp:
            event.partners.set([undp])
        events[slug] = event

    conference = events["global-conference-astana-economic-forum-2013"]
    for title, start, end in [
        (("Opening plenary", "Открытие, пленарное заседание", "Ашылу, пленарлық отырыс"), 10, 12),
        (
            (
                "Panel: civil service reform",
                "Панель: реформа госслужбы",
                "Панель: қызмет реформасы",
            ),
            14,
            16,
        ),
    ]:
        Session.objects.update_or_create(
            event=conference,
            title_en=title[0],
            defaults={
                **_tr("title", title),
                "starts_at": conference.starts_at.replace(hour=start),
                "ends_at": conference.starts_at.replace(hour=end),
                **_tr("room", ("Main hall", "Главный зал", "Үлкен зал")),
            },
        )

    # The full event: three places, at most two per country, and a waiting list; the held
    # one: its confirmed participants. Written directly, once, as the record of what the
    # services would have decided (they refuse a registration for an event already held).
    people = _participants(8)
    full = events["workshop-performance-appraisal-full"]
    kz, kg, tj = countries.get("KZ"), countries.get("KG"), countries.get("TJ")
    plan = [
        (people[0], kz, R.CONFIRMED, None),
        (people[1], kz, R.CONFIRMED, None),
        (people[2], kg, R.CONFIRMED, None),
        (people[3], kz, R.WAITING, 1),
        (people[4], tj, R.WAITING, 2),
    ]
    for user, country, status, position in plan:
        Registration.objects.get_or_create(
            event=full,
            user=user,
            defaults={
                "country": country,
                "status": status,
                "waiting_position": position,
                "consent_public": True,
                "confirmed_at": timezone.now() if status == R.CONFIRMED else None,
                "is_demo": True,
            },
        )
    visit = events["study-visit-public-service-delivery"]
    for user in people[5:8]:
        Registration.objects.get_or_create(
            event=visit,
            user=user,
            defaults={
                "country": kz,
                "status": R.CONFIRMED,
                "consent_public": True,
                "confirmed_at": visit.starts_at - datetime.timedelta(days=10),
                "is_demo": True,
            },
        )
    log(f"  events: {Event.objects.count()}, registrations: {Registration.objects.count()}")
