"""What the directory gives the search index: organizations and the expert roster.

An entry holds the language versions the record's page reads (core's VersionedTextMixin: a
name with the record's text in the same language), never a name from one language over a text
from another; the version the page falls back to is marked the original."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Organization, Person
from civhub.search.registry import (
    Entry,
    SearchType,
    Version,
    neutral_path,
    register,
)


def record_versions(record: Any, body: Callable[[str], str] | None = None) -> list[Version]:
    """One Version per language `record` has a version in (`available_languages`, the rule
    of its page and API), or, for a record with none (a name written in one language, its
    text in another), the version its page shows. `body(code)` is a version's text (default:
    the record's `body_fields` in that language)."""
    if body is None:

        def body(code: str) -> str:
            return "\n\n".join(
                text for name in record.body_fields if (text := record.text_in(name, code))
            )

    fallback = record.reading_language(record.original_language())
    codes = record.available_languages or [fallback]
    versions = [
        Version(
            code,
            record.text_in(record.translation_key_field, code),
            body(code),
            is_original=code == fallback,
        )
        for code in codes
        if record.text_in(record.translation_key_field, code).strip()
    ]
    # As search.registry.translated_versions: a version word for word the same as the
    # original (a name alone, the same in every language) is the original, not another one.
    original = next((v for v in versions if v.is_original), None)
    if original is None:
        return versions
    return [
        v for v in versions if v is original or (v.title, v.body) != (original.title, original.body)
    ]


def organization_entry(organization: Organization) -> Entry:
    versions = record_versions(organization)
    if organization.acronym:
        for version in versions:
            version.title = f"{version.title} ({organization.acronym})"
    return Entry(
        versions=versions,
        path=neutral_path(organization),
        country_ids=[organization.country_id] if organization.country_id else [],
    )


def expert_entry(person: Person) -> Entry | None:
    """Experts on the roster, by name, position, organization and biography; never contacts."""
    if not person.on_roster:
        return None

    def body(code: str) -> str:
        position, bio = person.text_in("position", code), person.text_in("bio", code)
        organization = ""
        if person.organization_id:
            organization = person.organization.text_in(  # type: ignore[union-attr]  # its id is set
                "name", code
            ) or str(person.organization)
        return "\n".join(part for part in (position, organization, bio) if part)

    versions = record_versions(person, body)
    return Entry(
        versions=versions,
        path=neutral_path(person),
        country_ids=[person.country_id] if person.country_id else [],
        topic_ids=person.topics.values_list("pk", flat=True),
    )


register(
    SearchType(
        kind="organization",
        label=_("organization"),
        label_plural=_("organizations"),
        model=Organization,
        entry=organization_entry,
        queryset=lambda: Organization.objects.all(),
        order=40,
    )
)
register(
    SearchType(
        kind="expert",
        label=_("expert"),
        label_plural=_("experts"),
        model=Person,
        entry=expert_entry,
        queryset=lambda: Person.objects.filter(on_roster=True).select_related("organization"),
        m2m=("topics",),
        order=50,
    )
)
