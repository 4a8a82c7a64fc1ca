"""Fixtures the knowledge base's tests share."""

import datetime

import pytest

from civhub.directory.models import Country, Membership

#: The eight countries of the `hub` fixture.
HUB = ["KZ", "GE", "AZ", "KG", "BY", "MK", "AM", "MD"]


@pytest.fixture
def hub(db) -> dict[str, Country]:
    """Eight countries of the hub, by code, members since March 2013."""
    countries = {c.code: c for c in Country.objects.filter(code__in=HUB)}
    for country in countries.values():
        Membership.objects.create(country=country, joined_on=datetime.date(2013, 3, 1))
    return countries
