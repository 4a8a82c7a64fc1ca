"""Registrations at the same moment, each in its own thread and database connection: the
event's row lock decides them one after the other (PostgreSQL; SQLite has no row locks and
allows one writer anyway)."""

import pytest
from django.db import connection

from civhub.events.choices import RegistrationStatus
from civhub.events.models import Registration
from civhub.events.services import registrations as services
from civhub.events.tests.conftest import make_event, new_user
from civhub.testing import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)
R = RegistrationStatus


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_fifty_registrations_for_ten_places():
    event = make_event(capacity=10)
    users = [new_user("racer") for _ in range(50)]
    outcomes = run_in_threads(*(lambda u=u: services.register(u, event).pk for u in users))
    assert [kind for kind, _ in outcomes] == ["ok"] * 50, outcomes
    regs = Registration.objects.filter(event=event)
    assert regs.filter(status=R.CONFIRMED).count() == 10
    waiting = list(regs.filter(status=R.WAITING).order_by("waiting_position"))
    assert [r.waiting_position for r in waiting] == list(range(1, 41))
    # the line is in the order the registrations were made
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)


def test_simultaneous_withdrawals_promote_each_next_exactly_once():
    event = make_event(capacity=5)
    users = [new_user("racer") for _ in range(10)]
    regs = [services.register(u, event) for u in users]
    leaving = regs[:5]
    outcomes = run_in_threads(*(lambda r=r: services.withdraw(r.user, r).pk for r in leaving))
    assert [kind for kind, _ in outcomes] == ["ok"] * 5, outcomes
    statuses = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    assert [statuses[r.pk] for r in regs[5:]] == [R.OFFERED] * 5
    assert Registration.objects.filter(event=event, status=R.WAITING).count() == 0


def test_quota_is_never_exceeded_under_contention():
    from civhub.directory.models import Country

    kz = Country.objects.get(code="KZ")
    event = make_event(capacity=20, country_quota=2)
    users = [new_user("racer") for _ in range(12)]
    outcomes = run_in_threads(
        *(lambda u=u: services.register(u, event, country=kz).pk for u in users)
    )
    assert [kind for kind, _ in outcomes] == ["ok"] * 12, outcomes
    regs = Registration.objects.filter(event=event)
    assert regs.filter(status=R.CONFIRMED).count() == 2
    assert sorted(regs.filter(status=R.WAITING).values_list("waiting_position", flat=True)) == list(
        range(1, 11)
    )
