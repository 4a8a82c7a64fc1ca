"""The hub as the seed documents describe it. Facts from the seeds are plain records;
whatever is invented to make the demonstration complete is marked `is_demo=True`.

Seed facts: founded March 2013 by 25 countries (and 6 international organizations); 29
participating countries in September 2014; 34 by 2019; a permanent Chairman of the Steering
Committee from 2014 (Alikhan Baimenov); partners UNDP GCPSE, OECD, UNDP Istanbul Regional Hub,
UNPAN, ASPA and AAPA. Which countries joined on which day is illustrative, hence demo.
"""

import datetime
from collections.abc import Callable

from civhub.directory.choices import BodyKind, MembershipStatus, OrganizationKind, SeatRole
from civhub.directory.models import (
    Country,
    GoverningBody,
    Membership,
    Organization,
    Person,
    Seat,
    Topic,
)

D = datetime.date
FOUNDED = D(2013, 3, 1)
FOUNDERS = [
    "AF",
    "AM",
    "AZ",
    "BY",
    "BA",
    "GE",
    "KZ",
    "KG",
    "MK",
    "MD",
    "MN",
    "ME",
    "PK",
    "RU",
    "TJ",
    "TR",
    "UA",
    "UZ",
    "CN",
    "EE",
    "LV",
    "LT",
    "RO",
    "BG",
    "RS",
]
# (code, joined, left, status)
LATER = [
    ("US", D(2014, 5, 20), None, MembershipStatus.PARTICIPATING),
    ("CA", D(2014, 5, 20), None, MembershipStatus.PARTICIPATING),
    ("AL", D(2014, 6, 10), None, MembershipStatus.PARTICIPATING),
    ("BD", D(2014, 9, 1), None, MembershipStatus.PARTICIPATING),
    ("MY", D(2015, 4, 15), None, MembershipStatus.PARTICIPATING),
    ("GB", D(2015, 6, 1), D(2018, 12, 31), MembershipStatus.PARTICIPATING),
    ("PH", D(2016, 5, 25), None, MembershipStatus.PARTICIPATING),
    ("VN", D(2016, 5, 25), None, MembershipStatus.PARTICIPATING),
    ("KR", D(2017, 2, 1), None, MembershipStatus.OBSERVER),
    ("ID", D(2017, 6, 1), None, MembershipStatus.PARTICIPATING),
    ("TH", D(2018, 5, 30), None, MembershipStatus.PARTICIPATING),
]

ORGANIZATIONS = [
    # slug, names (en, ru, kk), acronym, kind, country, parent, website, partner, demo
    (
        "regional-hub",
        (
            "Regional Hub of Civil Service in Astana",
            "Региональный хаб в сфере государственной службы в Астане",
            "Астанадағы мемлекеттік қызмет саласындағы өңірлік хаб",
        ),
        "ACSH",
        OrganizationKind.INTERNATIONAL,
        None,
        None,
        "http://www.regionalhub.org/",
        False,
        False,
    ),
    (
        "undp",
        ("United Nations Development Programme", "Программа развития ООН", "БҰҰ Даму бағдарламасы"),
        "UNDP",
        OrganizationKind.INTERNATIONAL,
        None,
        None,
        "https://www.undp.org/",
        True,
        False,
    ),
    (
        "undp-gcpse",
        (
            "UNDP Global Centre for Public Service Excellence",
            "Глобальный центр ПРООН по совершенствованию государственной службы",
            "БҰҰДБ Мемлекеттік қызметті жетілдірудің жаһандық орталығы",
        ),
        "GCPSE",
        OrganizationKind.INTERNATIONAL,
        "SG",
        "undp",
        "",
        True,
        False,
    ),
    (
        "undp-irh",
        (
            "UNDP Istanbul Regional Hub",
            "Стамбульский региональный хаб ПРООН",
            "БҰҰДБ Ыстамбұл өңірлік хабы",
        ),
        "IRH",
        OrganizationKind.INTERNATIONAL,
        "TR",
        "undp",
        "",
        True,
        False,
    ),
    (
        "undp-kazakhstan",
        (
            "UNDP country office in Kazakhstan",
            "Страновой офис ПРООН в Казахстане",
            "БҰҰДБ-ның Қазақстандағы елдік кеңсесі",
        ),
        "",
        OrganizationKind.INTERNATIONAL,
        "KZ",
        "undp",
        "https://www.undp.org/kazakhstan",
        False,
        False,
    ),
    (
        "oecd",
        (
            "Organisation for Economic Co-operation and Development",
            "Организация экономического сотрудничества и развития",
            "Экономикалық ынтымақтастық және даму ұйымы",
        ),
        "OECD",
        OrganizationKind.INTERNATIONAL,
        None,
        None,
        "https://www.oecd.org/",
        True,
        False,
    ),
    (
        "unpan",
        (
            "United Nations Public Administration Network",
            "Сеть ООН по государственному управлению",
            "БҰҰ Мемлекеттік басқару желісі",
        ),
        "UNPAN",
        OrganizationKind.INTERNATIONAL,
        None,
        None,
        "https://publicadministration.un.org/",
        True,
        False,
    ),
    (
        "aspa",
        (
            "American Society for Public Administration",
            "Американское общество государственного управления",
            "Американдық мемлекеттік басқару қоғамы",
        ),
        "ASPA",
        OrganizationKind.RESEARCH,
        "US",
        None,
        "https://www.aspanet.org/",
        True,
        False,
    ),
    (
        "aapa",
        (
            "Asian Association for Public Administration",
            "Азиатская ассоциация государственного управления",
            "Азиялық мемлекеттік басқару қауымдастығы",
        ),
        "AAPA",
        OrganizationKind.RESEARCH,
        None,
        None,
        "",
        True,
        False,
    ),
    (
        "government-of-kazakhstan",
        (
            "Government of the Republic of Kazakhstan",
            "Правительство Республики Казахстан",
            "Қазақстан Республикасының Үкіметі",
        ),
        "",
        OrganizationKind.DONOR,
        "KZ",
        None,
        "https://www.gov.kz/",
        False,
        False,
    ),
    (
        "kz-civil-service-agency",
        (
            "Agency of the Republic of Kazakhstan for Civil Service Affairs",
            "Агентство Республики Казахстан по делам государственной службы",
            "Қазақстан Республикасының Мемлекеттік қызмет істері агенттігі",
        ),
        "",
        OrganizationKind.CIVIL_SERVICE_AGENCY,
        "KZ",
        None,
        "https://www.gov.kz/memleket/entities/qyzmet",
        False,
        False,
    ),
    (
        "kz-academy",
        (
            "Academy of Public Administration under the President of the Republic of Kazakhstan",
            "Академия государственного управления при Президенте Республики Казахстан",
            "Қазақстан Республикасының Президенті жанындағы Мемлекеттік басқару академиясы",
        ),
        "",
        OrganizationKind.ACADEMY,
        "KZ",
        None,
        "https://www.apa.kz/",
        False,
        False,
    ),
    (
        "civil-service-research-centre",
        (
            "Civil Service Research Centre",
            "Исследовательский центр государственной службы",
            "Мемлекеттік қызмет зерттеу орталығы",
        ),
        "",
        OrganizationKind.RESEARCH,
        "KZ",
        "regional-hub",
        "",
        False,
        False,
    ),
    (
        "mk-ministry-information-society",
        (
            "Ministry of Information Society and Administration",
            "Министерство информационного общества и администрации",
            "Ақпараттық қоғам және әкімшілік министрлігі",
        ),
        "MISA",
        OrganizationKind.CIVIL_SERVICE_AGENCY,
        "MK",
        None,
        "",
        False,
        False,
    ),
    (
        "az-civil-service-commission",
        (
            "Civil Service Commission under the President of the Republic of Azerbaijan",
            "Комиссия по вопросам государственной службы при Президенте Азербайджанской Республики",
            "Әзербайжан Республикасы Президенті жанындағы Мемлекеттік қызмет мәселелері жөніндегі комиссия",
        ),
        "",
        OrganizationKind.CIVIL_SERVICE_AGENCY,
        "AZ",
        None,
        "",
        False,
        False,
    ),
    (
        "by-academy",
        (
            "Academy of Public Administration under the President of the Republic of Belarus",
            "Академия управления при Президенте Республики Беларусь",
            "Беларусь Республикасының Президенті жанындағы Басқару академиясы",
        ),
        "",
        OrganizationKind.ACADEMY,
        "BY",
        None,
        "",
        False,
        False,
    ),
    (
        "kg-state-personnel-service",
        (
            "State Personnel Service of the Kyrgyz Republic",
            "Государственная кадровая служба Кыргызской Республики",
            "Қырғыз Республикасының Мемлекеттік кадр қызметі",
        ),
        "",
        OrganizationKind.CIVIL_SERVICE_AGENCY,
        "KG",
        None,
        "",
        False,
        False,
    ),
    (
        "ge-civil-service-bureau",
        (
            "Civil Service Bureau of Georgia",
            "Бюро государственной службы Грузии",
            "Грузияның Мемлекеттік қызмет бюросы",
        ),
        "CSB",
        OrganizationKind.CIVIL_SERVICE_AGENCY,
        "GE",
        None,
        "",
        False,
        False,
    ),
]

BODIES = [
    (
        "steering-committee",
        ("Steering Committee", "Руководящий комитет", "Басқарушы комитет"),
        BodyKind.STEERING_COMMITTEE,
        (
            "Sets the hub's strategy and takes its final decisions, including the award decisions.",
            "Определяет стратегию хаба и принимает окончательные решения, в том числе о наградах.",
            "Хабтың стратегиясын айқындайды және түпкілікті шешімдерді, соның ішінде марапаттар туралы шешімдерді қабылдайды.",
        ),
    ),
    (
        "advisory-board",
        ("Advisory Board", "Консультативный совет", "Консультативтік кеңес"),
        BodyKind.ADVISORY_BOARD,
        (
            "Experts from different regions who advise the hub and evaluate innovative solutions.",
            "Эксперты из разных регионов, которые консультируют хаб и оценивают инновационные решения.",
            "Хабқа кеңес беретін және инновациялық шешімдерді бағалайтын әр түрлі өңірлердің сарапшылары.",
        ),
    ),
    (
        "secretariat",
        ("Secretariat", "Секретариат", "Хатшылық"),
        BodyKind.SECRETARIAT,
        (
            "Runs the hub's daily work: events, publications, the award cycle and membership.",
            "Ведет повседневную работу хаба: мероприятия, публикации, конкурс и членство.",
            "Хабтың күнделікті жұмысын жүргізеді: іс-шаралар, басылымдар, конкурс және мүшелік.",
        ),
    ),
    (
        "working-group-merit",
        (
            "Working group on merit-based recruitment",
            "Рабочая группа по меритократическому отбору",
            "Меритократиялық іріктеу жөніндегі жұмыс тобы",
        ),
        BodyKind.WORKING_GROUP,
        (
            "A working group of member agencies comparing competitive examinations.",
            "Рабочая группа агентств-членов, сравнивающая конкурсные экзамены.",
            "Конкурстық емтихандарды салыстыратын мүше агенттіктердің жұмыс тобы.",
        ),
    ),
]

PEOPLE = [
    # slug, name, positions (en, ru, kk), org slug, country, on roster, topics, languages, demo
    (
        "alikhan-baimenov",
        "Alikhan Baimenov",
        (
            "Chairman of the Steering Committee",
            "Председатель Руководящего комитета",
            "Басқарушы комитеттің төрағасы",
        ),
        "regional-hub",
        "KZ",
        False,
        [],
        ["kk", "ru", "en"],
        False,
    ),
    (
        "yernar-zharkeshov",
        "Yernar Zharkeshov",
        (
            "Portfolio Manager/Team Leader of the Regional Hub of Civil Service in Astana",
            "Портфельный менеджер / руководитель группы Регионального хаба",
            "Өңірлік хабтың портфельдік менеджері / топ жетекшісі",
        ),
        "undp-kazakhstan",
        "KZ",
        False,
        [],
        ["kk", "ru", "en"],
        False,
    ),
    (
        "murat-narkulov",
        "Murat Narkulov",
        (
            "Programme Associate, Governance and Local Development Unit",
            "Программный ассистент, отдел управления и местного развития",
            "Бағдарлама қауымдасы, басқару және жергілікті даму бөлімі",
        ),
        "undp-kazakhstan",
        "KZ",
        False,
        [],
        ["kk", "ru", "en"],
        False,
    ),
    (
        "aigerim-demo-sadykova",
        "Aigerim Sadykova",
        ("Head of Research (demo)", "Руководитель исследований (демо)", "Зерттеу жетекшісі (демо)"),
        "civil-service-research-centre",
        "KZ",
        True,
        ["recruitment-selection", "performance-appraisal"],
        ["kk", "ru", "en"],
        True,
    ),
    (
        "nino-demo-beridze",
        "Nino Beridze",
        (
            "Senior adviser on civil-service law (demo)",
            "Старший советник по законодательству о госслужбе (демо)",
            "Мемлекеттік қызмет туралы заңнама жөніндегі аға кеңесші (демо)",
        ),
        "ge-civil-service-bureau",
        "GE",
        True,
        ["legal-framework", "ethics-anti-corruption"],
        ["ka", "en", "ru"],
        True,
    ),
    (
        "rashad-demo-aliyev",
        "Rashad Aliyev",
        (
            "Head of the testing department (demo)",
            "Начальник отдела тестирования (демо)",
            "Тестілеу бөлімінің бастығы (демо)",
        ),
        "az-civil-service-commission",
        "AZ",
        True,
        ["recruitment-selection", "hr-information-systems"],
        ["az", "ru", "en"],
        True,
    ),
    (
        "elena-demo-kovalenko",
        "Elena Kovalenko",
        (
            "Professor of public administration (demo)",
            "Профессор государственного управления (демо)",
            "Мемлекеттік басқару профессоры (демо)",
        ),
        "by-academy",
        "BY",
        True,
        ["training-academies", "career-development"],
        ["be", "ru", "en"],
        True,
    ),
    (
        "bakyt-demo-osmonov",
        "Bakyt Osmonov",
        (
            "Director of HR policy (demo)",
            "Директор по кадровой политике (демо)",
            "Кадр саясаты жөніндегі директор (демо)",
        ),
        "kg-state-personnel-service",
        "KG",
        True,
        ["career-development", "pay-remuneration"],
        ["ky", "ru"],
        True,
    ),
    (
        "marija-demo-petrovska",
        "Marija Petrovska",
        (
            "Adviser, public administration reform (demo)",
            "Советник по реформе госуправления (демо)",
            "Мемлекеттік басқару реформасы жөніндегі кеңесші (демо)",
        ),
        "mk-ministry-information-society",
        "MK",
        True,
        ["institutional-design", "training-academies"],
        ["mk", "en"],
        True,
    ),
    (
        "james-demo-carter",
        "James Carter",
        (
            "Senior fellow, performance management (demo)",
            "Старший научный сотрудник, управление результативностью (демо)",
            "Аға ғылыми қызметкер, нәтижелілікті басқару (демо)",
        ),
        "aspa",
        "US",
        True,
        ["performance-appraisal", "innovation"],
        ["en"],
        True,
    ),
    (
        "siti-demo-rahman",
        "Siti Rahman",
        (
            "Director, digital public services (demo)",
            "Директор по цифровым госуслугам (демо)",
            "Цифрлық мемлекеттік қызметтер жөніндегі директор (демо)",
        ),
        None,
        "MY",
        True,
        ["e-government", "public-service-delivery"],
        ["ms", "en"],
        True,
    ),
    (
        "stephen-tull",
        "Stephen Tull",
        (
            "UN Resident Coordinator in Kazakhstan (2014)",
            "Постоянный координатор ООН в Казахстане (2014)",
            "БҰҰ-ның Қазақстандағы тұрақты үйлестірушісі (2014)",
        ),
        "undp-kazakhstan",
        None,
        False,
        [],
        ["en"],
        False,
    ),
]

SEATS = [
    # body, person, role, country, from, to, demo
    ("steering-committee", "alikhan-baimenov", SeatRole.CHAIR, "KZ", D(2014, 9, 17), None, False),
    ("steering-committee", "bakyt-demo-osmonov", SeatRole.MEMBER, "KG", D(2016, 1, 1), None, True),
    ("steering-committee", "nino-demo-beridze", SeatRole.MEMBER, "GE", D(2016, 1, 1), None, True),
    ("advisory-board", "james-demo-carter", SeatRole.CHAIR, "US", D(2015, 3, 1), None, True),
    ("advisory-board", "elena-demo-kovalenko", SeatRole.MEMBER, "BY", D(2015, 3, 1), None, True),
    ("advisory-board", "siti-demo-rahman", SeatRole.MEMBER, "MY", D(2016, 6, 1), None, True),
    (
        "advisory-board",
        "rashad-demo-aliyev",
        SeatRole.MEMBER,
        "AZ",
        D(2015, 3, 1),
        D(2018, 12, 31),
        True,
    ),
    ("secretariat", "yernar-zharkeshov", SeatRole.HEAD, None, D(2014, 1, 1), None, False),
    ("secretariat", "murat-narkulov", SeatRole.STAFF, None, D(2014, 1, 1), None, False),
    ("working-group-merit", "rashad-demo-aliyev", SeatRole.CHAIR, "AZ", D(2017, 1, 1), None, True),
    (
        "working-group-merit",
        "aigerim-demo-sadykova",
        SeatRole.MEMBER,
        "KZ",
        D(2017, 1, 1),
        None,
        True,
    ),
]


def _tr(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {
        field: values[0],
        **{f"{field}_{lang}": v for lang, v in zip(("en", "ru", "kk"), values, strict=True)},
    }


def loaded() -> bool:
    """Whether the database has member countries: `civhub demo --if-empty` then loads nothing."""
    return Membership.objects.exists()


def load(log: Callable[[str], object] = print) -> None:
    countries = {c.code: c for c in Country.objects.all()}
    for code in FOUNDERS:
        Membership.objects.update_or_create(
            country=countries[code],
            joined_on=FOUNDED,
            defaults={
                "status": MembershipStatus.PARTICIPATING,
                "is_demo": True,
                "note": "Founding member (the day of March 2013 is illustrative).",
            },
        )
    for code, joined, left, status in LATER:
        Membership.objects.update_or_create(
            country=countries[code],
            joined_on=joined,
            defaults={
                "status": status,
                "left_on": left,
                "is_demo": True,
                "note": "Illustrative date, consistent with the hub's published member counts.",
            },
        )
    log(f"  memberships: {Membership.objects.count()}")

    orgs: dict[str, Organization] = {}
    for slug, names, acronym, kind, country, parent, website, partner, demo in ORGANIZATIONS:
        orgs[slug], _created = Organization.objects.update_or_create(
            slug=slug,
            defaults={
                **_tr("name", names),
                "acronym": acronym,
                "kind": kind,
                "country": countries.get(country) if country else None,
                "parent": orgs.get(parent) if parent else None,
                "website": website,
                "is_partner": partner,
                "is_demo": demo,
            },
        )
    log(f"  organizations: {Organization.objects.count()}")

    bodies = {}
    for order, (slug, names, body_kind, descriptions) in enumerate(BODIES):
        bodies[slug], _created = GoverningBody.objects.update_or_create(
            slug=slug,
            defaults={
                **_tr("name", names),
                **_tr("description", descriptions),
                "kind": body_kind,
                "order": order,
            },
        )

    topics = {t.slug: t for t in Topic.objects.all()}
    people = {}
    for slug, name, positions, org, country, roster, topic_slugs, languages, demo in PEOPLE:
        person, _created = Person.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                **_tr("position", positions),
                "organization": orgs.get(org) if org else None,
                "country": countries.get(country) if country else None,
                "on_roster": roster,
                "languages": languages,
                "is_demo": demo,
                "email": f"{slug}@example.org" if demo else "",
                "contact_consent": demo,
            },
        )
        person.topics.set([topics[t] for t in topic_slugs])
        people[slug] = person
    log(f"  people: {Person.objects.count()}")

    for body_slug, person_slug, role, country, start, end, demo in SEATS:
        Seat.objects.update_or_create(
            body=bodies[body_slug],
            person=people[person_slug],
            started_on=start,
            defaults={
                "role": role,
                "country": countries.get(country) if country else None,
                "ended_on": end,
                "is_demo": demo,
            },
        )
    log(f"  seats: {Seat.objects.count()}")
