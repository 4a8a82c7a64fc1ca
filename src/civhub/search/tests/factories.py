"""Records to search, made the way the apps make them (saving indexes them)."""

from civhub.directory.models import Country, Topic
from civhub.knowledge.models import Practice


def practice(
    title: str,
    body: str = "",
    *,
    language: str = "en",
    state: str = "published",
    countries: tuple[str, ...] = ("KZ",),
    topics: tuple[str, ...] = (),
    year: int | None = 2018,
    translations: dict[str, tuple[str, str]] | None = None,
    **fields,
) -> Practice:
    """A practice written in `language`; `translations` maps other languages to
    (title, summary)."""
    values = {f"title_{language}": title, f"summary_{language}": body}
    for code, (t_title, t_body) in (translations or {}).items():
        values |= {f"title_{code}": t_title, f"summary_{code}": t_body}
    record = Practice.objects.create(
        language=language, state=state, period_start=year, **values, **fields
    )
    record.countries.set(Country.objects.filter(code__in=countries))
    record.topics.set(Topic.objects.filter(slug__in=topics))
    return record
