"""Reference data shipped with the code: countries (pycountry), the hub's regions, the
topics of civil-service reform, and the 17 SDGs with their 169 targets.

Loaded after every `migrate`. It only adds what is missing, so editors' changes stay.
"""

import gettext
import json
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

DATA_DIR = Path(__file__).resolve().parent / "data"
TRANSLATED = ("ru", "kk")


@cache
def _country_catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_names(known: Any) -> dict[str, str]:
    """English (common) name and the Russian and Kazakh names pycountry has."""
    names = {"en": getattr(known, "common_name", None) or known.name}
    for language in TRANSLATED:
        translated = _country_catalog(language).gettext(known.name)
        if translated != known.name:
            names[language] = translated
    return names


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _translated(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{lang}": text for lang, text in values.items() if text}


def load_reference_data(
    sender: Any = None, using: str = "default", verbosity: int = 1, **kwargs: Any
) -> None:
    from civhub.directory.models import Country, Region, SdgGoal, SdgTarget, Topic

    db = using
    existing = set(Country.objects.using(db).values_list("code", flat=True))
    Country.objects.using(db).bulk_create(
        [
            Country(
                code=c.alpha_2, alpha3=c.alpha_3, name=names["en"], **_translated("name", names)
            )
            for c in pycountry.countries
            if c.alpha_2 not in existing
            for names in [country_names(c)]
        ]
    )

    for order, item in enumerate(_read("regions.json")):
        region, _created = Region.objects.using(db).get_or_create(
            slug=item["slug"],
            defaults={
                "order": order,
                "name": item["name"]["en"],
                **_translated("name", item["name"]),
            },
        )
        Country.objects.using(db).filter(code__in=item["countries"], region__isnull=True).update(
            region=region
        )

    for order, item in enumerate(_read("topics.json")):
        Topic.objects.using(db).get_or_create(
            slug=item["slug"],
            defaults={
                "order": order,
                "name": item["name"]["en"],
                **_translated("name", item["name"]),
                **_translated("description", item.get("description", {})),
            },
        )

    sdg_file = DATA_DIR / "sdg.json"
    if not sdg_file.exists():
        return
    have_targets = set(SdgTarget.objects.using(db).values_list("code", flat=True))
    new_targets = []
    for goal_data in _read("sdg.json")["goals"]:
        goal, _created = SdgGoal.objects.using(db).get_or_create(
            number=goal_data["number"],
            defaults={
                "short_name": goal_data["short"]["en"],
                "title": goal_data["title"]["en"],
                **_translated("short_name", goal_data["short"]),
                **_translated("title", goal_data["title"]),
            },
        )
        for order, target in enumerate(goal_data["targets"]):
            if target["code"] not in have_targets:
                new_targets.append(
                    SdgTarget(
                        goal=goal,
                        code=target["code"],
                        order=order,
                        text=target["text"],
                        text_en=target["text"],
                    )
                )
    SdgTarget.objects.using(db).bulk_create(new_targets)
