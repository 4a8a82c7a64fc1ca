"""What the directory gives the search index: organizations and the expert roster."""

from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Organization, Person
from civhub.search.registry import (
    Entry,
    SearchType,
    Version,
    content_languages,
    neutral_path,
    register,
    translated_versions,
)


def organization_entry(organization: Organization) -> Entry:
    versions = translated_versions(organization, "name", ("description",), original="en")
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
    versions = []
    for code in content_languages():
        position = getattr(person, f"position_{code}", "") or ""
        bio = getattr(person, f"bio_{code}", "") or ""
        if code != "en" and not (position or bio):
            continue
        organization = ""
        if person.organization_id:
            organization = (
                getattr(person.organization, f"name_{code}", "") or person.organization.name
            )
        body = "\n".join(part for part in (position, organization, bio) if part)
        versions.append(Version(code, person.name, body, is_original=code == "en"))
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
