"""Practices: the seed's record, imported through the real importer exactly as an editor
would, and a few invented practices (marked demo) in the three languages."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.importers import UN_TEXT, read
from civhub.knowledge.models import Practice
from civhub.knowledge.services.imports import import_records

SEED = Path(__file__).resolve().parent / "data" / "regional-hub-good-practice.txt"
SEED_TOPICS = ["institutional-design", "training-academies", "innovation", "legal-framework"]

DEMO: list[dict[str, Any]] = [
    {
        "slug": "demo-e-recruitment-testing-azerbaijan",
        "language": "ru",
        "title": {
            "ru": "Электронное тестирование кандидатов на государственную службу",
            "en": "Computer-based testing of candidates for the civil service",
        },
        "summary": {
            "ru": "Единый центр проводит компьютерное тестирование всех кандидатов, результаты видны сразу.",
            "en": "One centre runs computer-based tests for every candidate; results are shown at once.",
        },
        "challenge": {
            "ru": "Отбор кандидатов проходил в каждом органе по-своему, что вызывало недоверие к результатам.",
        },
        "solution": {
            "ru": "Создан центр тестирования с банком вопросов, видеонаблюдением и автоматической проверкой ответов.",
        },
        "results": {
            "ru": "Число жалоб на результаты отбора сократилось, а конкурс на одно место вырос."
        },
        "countries": ["AZ"],
        "topics": ["recruitment-selection", "hr-information-systems"],
        "sdg": ["16.6", "16.7"],
        "status": "completed",
        "period": (2012, 2016),
        "implementing": ["az-civil-service-commission"],
    },
    {
        "slug": "demo-performance-appraisal-kazakhstan",
        "language": "kk",
        "title": {
            "kk": "Мемлекеттік қызметшілердің қызметін нәтижеге бағдарлап бағалау",
            "ru": "Оценка деятельности государственных служащих по результатам",
        },
        "summary": {
            "kk": "Қызметшілердің жұмысы жыл басында келісілген нақты көрсеткіштер бойынша бағаланады.",
        },
        "challenge": {"kk": "Бұрынғы аттестация ресми сипатта болып, жұмыс нәтижесін көрсетпеді."},
        "solution": {
            "kk": "Әр қызметшіге өлшенетін мақсаттар қойылып, тоқсан сайын бағалау жүргізіледі; бонустар нәтижеге байланысты.",
        },
        "countries": ["KZ"],
        "topics": ["performance-appraisal", "pay-remuneration"],
        "sdg": ["16.6"],
        "status": "ongoing",
        "period": (2016, None),
        "implementing": ["kz-civil-service-agency"],
    },
    {
        "slug": "demo-public-service-halls-georgia",
        "language": "en",
        "title": {"en": "Public Service Halls: hundreds of services under one roof"},
        "summary": {
            "en": "Citizens get civil registry, property and business services in one hall, with published service standards.",
        },
        "challenge": {"en": "Citizens queued at many agencies, each with its own rules and fees."},
        "solution": {
            "en": "Agencies' front offices were merged into public service halls backed by shared registries and a single service standard.",
        },
        "results": {"en": "Waiting times fell and satisfaction surveys improved year on year."},
        "countries": ["GE"],
        "topics": ["public-service-delivery", "e-government"],
        "sdg": ["16.6", "16.9"],
        "status": "completed",
        "period": (2011, 2015),
        "implementing": [],
    },
    {
        "slug": "demo-civil-service-academy-north-macedonia",
        "language": "en",
        "title": {"en": "Designing a national academy of public administration"},
        "summary": {
            "en": "A ministry studies other countries' academies before founding its own school for civil servants.",
        },
        "challenge": {"en": "Training of civil servants was fragmented among donors' projects."},
        "solution": {
            "en": "A working group compared academy models in the hub's member countries and drafted a statute and curriculum.",
        },
        "countries": ["MK", "KZ"],
        "topics": ["training-academies", "institutional-design"],
        "sdg": ["16.a", "17.9"],
        "status": "ongoing",
        "period": (2018, None),
        "implementing": ["mk-ministry-information-society"],
    },
]


def _fields(name: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{lang}": text for lang, text in values.items()}


def load(log: Callable[[str], object] = print) -> None:
    parsed = read(SEED.read_bytes(), UN_TEXT, SEED.name)
    report = import_records(
        None, parsed.records, publish=True, file_name=parsed.name, lines=parsed.lines
    )
    if not report.ok:
        raise RuntimeError("; ".join(report.errors))
    seed = Practice.objects.get(source_file=SEED.name)
    seed.topics.add(*Topic.objects.filter(slug__in=SEED_TOPICS))
    seed.countries.add(Country.objects.get(code="KZ"))

    for item in DEMO:
        original = item["language"]
        title = item["title"]
        start, end = item["period"]
        practice, _created = Practice.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "language": original,
                "is_demo": True,
                "state": "published",
                "published_at": timezone.make_aware(datetime.datetime(2020, 1, 15)),
                "project_status": item["status"],
                "period_start": start,
                "period_end": end,
                "source": "Demo record, invented for the demonstration",
                **_fields("title", title),
                **_fields("summary", item.get("summary", {})),
                **_fields("challenge", item.get("challenge", {})),
                **_fields("solution", item.get("solution", {})),
                **_fields("results", item.get("results", {})),
            },
        )
        practice.countries.set(Country.objects.filter(code__in=item["countries"]))
        practice.topics.set(Topic.objects.filter(slug__in=item["topics"]))
        practice.sdg_targets.set(SdgTarget.objects.filter(code__in=item["sdg"]))
        practice.implementing_entities.set(
            Organization.objects.filter(slug__in=item["implementing"])
        )
    log(
        f"  practices: {Practice.objects.count()} (seed record: {report.created} created, {report.skipped} already there)"
    )
