"""Demonstration laws, by-laws and knowledge transfers, as the seed describes them.

The seed (UN South-South good practice "Regional Hub of Civil Service in Astana", 17 March
2019) says:

* "the civil service commissions of Azerbaijan, Belarus and Kyrgyzstan have drawn inferences
  from laws and by-laws of Georgia and Kazakhstan on civil service when drafting their own
  legislation": six transfers, each a legislative reference at the adapting stage (drafting);
* "the Ministry of Information Society and Administration of the former Yugoslav Republic of
  Macedonia is studying the model of the Academy of Public Administration of Kazakhstan as part
  of a process to establish its own public administration academy": a study, exploring.

Those transfers are plain records (`is_demo=False`): the seed states them. Dates of the
transfers are not in the seed and are left empty.

The acts of Kazakhstan and Georgia are real, well-known laws with only the numbers and dates
known for certain. Which acts of Azerbaijan, Belarus and Kyrgyzstan drew on which acts is not
in the seed, so those three acts, and with them their "drew on" links, are marked
`is_demo=True`; the two of them that are not a known, named act say in their summary that
they are illustrative.

Needs the directory's reference data and demo data (countries, topics, organizations).
Safe to run again: records are found by slug, transfers by their countries, kind and subject.
"""

import datetime

from civhub.directory.models import Country, Organization, Topic
from civhub.knowledge.choices import (
    LegalActKind,
    LegalActStatus,
    PublicationState,
    TransferKind,
    TransferStage,
    TransferSubject,
)
from civhub.knowledge.models import KnowledgeTransfer, LegalAct

D = datetime.date
SEED = "UN South-South good practice “Regional Hub of Civil Service in Astana”, 17 March 2019"
SEED_URL = "http://www.regionalhub.org/"

# slug: country, kind, titles (en, ru, kk), number, adopted, effective, status, language,
#       official URL, summaries (en, ru, kk), is_demo
ACTS = {
    "kz-law-civil-service-1999": (
        "KZ",
        LegalActKind.LAW,
        (
            "On Civil Service",
            "О государственной службе",
            "Мемлекеттік қызмет туралы",
        ),
        "453-I",
        D(1999, 7, 23),
        None,
        LegalActStatus.REPEALED,
        "ru",
        "",
        (
            "Kazakhstan's first law on the civil service, replaced by the law of 2015.",
            "Первый закон Казахстана о государственной службе, замененный законом 2015 года.",
            "Қазақстанның мемлекеттік қызмет туралы алғашқы заңы, 2015 жылғы заңмен ауыстырылды.",
        ),
        False,
    ),
    "kz-law-civil-service-2015": (
        "KZ",
        LegalActKind.LAW,
        (
            "On Civil Service of the Republic of Kazakhstan",
            "О государственной службе Республики Казахстан",
            "Қазақстан Республикасының мемлекеттік қызметі туралы",
        ),
        "416-V",
        D(2015, 11, 23),
        D(2016, 1, 1),
        LegalActStatus.IN_FORCE,
        "ru",
        "https://adilet.zan.kz/rus/docs/Z1500000416",
        (
            "The law that governs Kazakhstan's civil service: merit-based entry and career, "
            "the corps of administrative civil servants, and the authorized body.",
            "Закон о государственной службе Казахстана: поступление и карьера на основе "
            "заслуг, корпус административных государственных служащих и уполномоченный орган.",
            "Қазақстанның мемлекеттік қызметі туралы заң: еңбегіне қарай қабылдау және мансап, "
            "әкімшілік мемлекеттік қызметшілер корпусы және уәкілетті орган.",
        ),
        False,
    ),
    "ge-law-public-service-2015": (
        "GE",
        LegalActKind.LAW,
        (
            "On Public Service",
            "О публичной службе",
            "Мемлекеттік қызмет туралы",
        ),
        "",
        D(2015, 10, 27),
        None,
        LegalActStatus.IN_FORCE,
        "en",
        "",
        (
            "Georgia's law on the public service, the basis of its civil-service reform. "
            "The original text is in Georgian; this record is written in English.",
            "Закон Грузии о публичной службе, основа реформы государственной службы. "
            "Оригинальный текст на грузинском языке; запись составлена на английском.",
            "Грузияның мемлекеттік қызмет туралы заңы, мемлекеттік қызмет реформасының негізі. "
            "Түпнұсқа мәтіні грузин тілінде; бұл жазба ағылшын тілінде жасалған.",
        ),
        False,
    ),
    "kg-law-state-civil-service-2016": (
        "KG",
        LegalActKind.LAW,
        (
            "On State Civil Service and Municipal Service",
            "О государственной гражданской службе и муниципальной службе",
            "Мемлекеттік азаматтық қызмет және муниципалдық қызмет туралы",
        ),
        "75",
        D(2016, 5, 30),
        None,
        LegalActStatus.IN_FORCE,
        "ru",
        "",
        (
            "Kyrgyzstan's law on the civil and municipal service. The seed says Kyrgyzstan "
            "drew on the laws of Georgia and Kazakhstan when drafting its legislation; that it "
            "was this act is illustrative.",
            "Закон Кыргызстана о гражданской и муниципальной службе. По источнику, Кыргызстан "
            "опирался на законы Грузии и Казахстана при подготовке своего законодательства; "
            "что речь именно об этом акте, — иллюстрация.",
            "Қырғызстанның азаматтық және муниципалдық қызмет туралы заңы. Дереккөз бойынша "
            "Қырғызстан өз заңнамасын әзірлегенде Грузия мен Қазақстан заңдарына сүйенген; "
            "мұның дәл осы акт екені — мысал.",
        ),
        True,
    ),
    "az-civil-service-legislation-draft": (
        "AZ",
        LegalActKind.LAW,
        (
            "Civil-service legislation drafted by the Civil Service Commission (illustrative)",
            "Законодательство о государственной службе, подготовленное Комиссией по вопросам "
            "государственной службы (иллюстрация)",
            "Мемлекеттік қызмет мәселелері жөніндегі комиссия әзірлеген мемлекеттік қызмет "
            "туралы заңнама (мысал)",
        ),
        "",
        None,
        None,
        LegalActStatus.IN_FORCE,
        "en",
        "",
        (
            "An illustrative record: the seed says the Civil Service Commission of Azerbaijan "
            "drew on the laws and by-laws of Georgia and Kazakhstan when drafting its own "
            "legislation, without naming the act.",
            "Иллюстративная запись: по источнику, Комиссия по вопросам государственной службы "
            "Азербайджана опиралась на законы и подзаконные акты Грузии и Казахстана при "
            "подготовке своего законодательства, не называя акт.",
            "Мысал ретіндегі жазба: дереккөз бойынша Әзербайжанның Мемлекеттік қызмет мәселелері "
            "жөніндегі комиссиясы өз заңнамасын әзірлегенде Грузия мен Қазақстанның заңдары мен "
            "заңға тәуелді актілеріне сүйенген, актінің атауы көрсетілмеген.",
        ),
        True,
    ),
    "by-civil-service-legislation-draft": (
        "BY",
        LegalActKind.LAW,
        (
            "Civil-service legislation drafted with reference to Georgia and Kazakhstan "
            "(illustrative)",
            "Законодательство о государственной службе, подготовленное с опорой на опыт Грузии "
            "и Казахстана (иллюстрация)",
            "Грузия мен Қазақстан тәжірибесіне сүйеніп әзірленген мемлекеттік қызмет туралы "
            "заңнама (мысал)",
        ),
        "",
        None,
        None,
        LegalActStatus.IN_FORCE,
        "ru",
        "",
        (
            "An illustrative record: the seed says Belarus drew on the laws and by-laws of "
            "Georgia and Kazakhstan when drafting its own legislation, without naming the act.",
            "Иллюстративная запись: по источнику, Беларусь опиралась на законы и подзаконные "
            "акты Грузии и Казахстана при подготовке своего законодательства, не называя акт.",
            "Мысал ретіндегі жазба: дереккөз бойынша Беларусь өз заңнамасын әзірлегенде Грузия "
            "мен Қазақстанның заңдары мен заңға тәуелді актілеріне сүйенген, актінің атауы "
            "көрсетілмеген.",
        ),
        True,
    ),
}
REPEALS = {"kz-law-civil-service-2015": ["kz-law-civil-service-1999"]}
SOURCES = ["ge-law-public-service-2015", "kz-law-civil-service-2015"]
DREW_ON = {
    "az-civil-service-legislation-draft": SOURCES,
    "by-civil-service-legislation-draft": SOURCES,
    "kg-law-state-civil-service-2016": SOURCES,
}

LEGISLATION = (
    "Laws and by-laws on civil service",
    "Законы и подзаконные акты о государственной службе",
    "Мемлекеттік қызмет туралы заңдар мен заңға тәуелді актілер",
)
LEGISLATION_OUTCOME = (
    "Drew on them when drafting its own civil-service legislation.",
    "Использованы при подготовке собственного законодательства о государственной службе.",
    "Өзінің мемлекеттік қызмет туралы заңнамасын әзірлеу кезінде пайдаланылды.",
)
ACADEMY = (
    "The model of the Academy of Public Administration",
    "Модель Академии государственного управления",
    "Мемлекеттік басқару академиясының моделі",
)
ACADEMY_OUTCOME = (
    "Studied as part of the process to establish its own public administration academy.",
    "Изучается в рамках создания собственной академии государственного управления.",
    "Өзінің мемлекеттік басқару академиясын құру процесінің бір бөлігі ретінде зерттелуде.",
)
# The seed names the civil service commissions; only Azerbaijan's is in the directory.
LEARNERS = {"AZ": "az-civil-service-commission", "BY": None, "KG": None}


def _tr(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {
        field: values[0],
        **{f"{field}_{lang}": v for lang, v in zip(("en", "ru", "kk"), values, strict=True)},
    }


def load(log=print) -> None:
    countries = {
        c.code: c for c in Country.objects.filter(code__in=["KZ", "GE", "AZ", "BY", "KG", "MK"])
    }
    legal_framework = Topic.objects.filter(slug="legal-framework").first()

    acts: dict[str, LegalAct] = {}
    for slug, row in ACTS.items():
        code, kind, titles, number, adopted, effective, status, language, url, summaries, demo = row
        acts[slug], _created = LegalAct.objects.update_or_create(
            slug=slug,
            defaults={
                "country": countries[code],
                "kind": kind,
                **_tr("title", titles),
                "number": number,
                "adopted_on": adopted,
                "effective_on": effective,
                "status": status,
                "language": language,
                "official_url": url,
                **_tr("summary", summaries),
                "state": PublicationState.PUBLISHED,
                "is_demo": demo,
            },
        )
        if legal_framework is not None:
            acts[slug].topics.add(legal_framework)
    for slug, repealed in REPEALS.items():
        acts[slug].repeals.set([acts[s] for s in repealed])
    for slug, sources in DREW_ON.items():
        acts[slug].drew_on.set([acts[s] for s in sources])
    log(f"  laws and by-laws: {LegalAct.objects.count()}")

    organizations = {
        o.slug: o
        for o in Organization.objects.filter(
            slug__in=[
                "kz-academy",
                "mk-ministry-information-society",
                *filter(None, LEARNERS.values()),
            ]
        )
    }
    for source in ("GE", "KZ"):
        for target, organization in LEARNERS.items():
            KnowledgeTransfer.objects.update_or_create(
                source_country=countries[source],
                target_country=countries[target],
                kind=TransferKind.LEGISLATIVE_REFERENCE,
                subject_en=LEGISLATION[0],
                defaults={
                    "target_organization": organizations.get(organization)
                    if organization
                    else None,
                    "subject_kind": TransferSubject.OTHER,
                    **_tr("subject", LEGISLATION),
                    "stage": TransferStage.ADAPTING,
                    **_tr("outcome", LEGISLATION_OUTCOME),
                    "evidence_urls": [SEED_URL],
                    "source_note": SEED,
                    "state": PublicationState.PUBLISHED,
                    "is_demo": False,
                },
            )
    KnowledgeTransfer.objects.update_or_create(
        source_country=countries["KZ"],
        target_country=countries["MK"],
        kind=TransferKind.STUDY,
        subject_en=ACADEMY[0],
        defaults={
            "source_organization": organizations.get("kz-academy"),
            "target_organization": organizations.get("mk-ministry-information-society"),
            "subject_kind": TransferSubject.INSTITUTION,
            "institution": organizations.get("kz-academy"),
            **_tr("subject", ACADEMY),
            "stage": TransferStage.EXPLORING,
            **_tr("outcome", ACADEMY_OUTCOME),
            "evidence_urls": [SEED_URL],
            "source_note": SEED,
            "state": PublicationState.PUBLISHED,
            "is_demo": False,
        },
    )
    log(f"  knowledge transfers: {KnowledgeTransfer.objects.count()}")
