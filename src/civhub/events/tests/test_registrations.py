"""Registering, the waiting list, offers of freed places and their lapse."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civhub.core.models import AuditEntry
from civhub.directory.models import Country
from civhub.events.choices import EventState, RegistrationStatus
from civhub.events.models import Registration
from civhub.events.services import registrations as services
from civhub.events.tests.conftest import NOW, make_event, new_user

R = RegistrationStatus
pytestmark = pytest.mark.django_db


def statuses(event):
    return [
        (r.user_id, r.status, r.waiting_position)
        for r in Registration.objects.filter(event=event).order_by("pk")
    ]


def test_confirmed_while_places_last_then_waiting_in_order(event, users):
    regs = [services.register(u, event) for u in users[:4]]
    assert [r.status for r in regs] == [R.CONFIRMED, R.CONFIRMED, R.WAITING, R.WAITING]
    assert [r.waiting_position for r in regs] == [None, None, 1, 2]
    assert AuditEntry.objects.filter(action="registration.created").count() == 4
    assert services.places_left(event) == 0


def test_confirmation_mail_in_the_recipients_language(
    event, users, django_capture_on_commit_callbacks
):
    users[0].language = "ru"
    users[0].save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.register(users[0], event)
    assert len(mail.outbox) == 1
    assert "подтверждено" in mail.outbox[0].subject or "подтвержд" in mail.outbox[0].body


def test_moderated_registration_waits_for_approval(users, editor):
    event = make_event(moderated=True, capacity=1)
    first = services.register(users[0], event)
    second = services.register(users[1], event)
    assert first.status == second.status == R.PENDING
    services.approve(editor.user, first)
    services.approve(editor.user, second)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (R.CONFIRMED, R.WAITING)
    assert second.waiting_position == 1


def test_decline_needs_a_reason_and_names_it(users, editor):
    event = make_event(moderated=True)
    reg = services.register(users[0], event)
    with pytest.raises(ValidationError) as exc:
        services.decline(editor.user, reg, "  ")
    assert "reason" in exc.value.message_dict
    reg.refresh_from_db()
    assert reg.status == R.PENDING
    services.decline(editor.user, reg, "Not a civil servant")
    reg.refresh_from_db()
    assert reg.status == R.DECLINED and reg.reason == "Not a civil servant"


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_only_organizers_approve(persona, users):
    event = make_event(moderated=True)
    reg = services.register(users[0], event)
    with pytest.raises(PermissionDenied):
        services.approve(persona.user, reg)
    assert not AuditEntry.objects.filter(action="registration.approved").exists()


def test_named_organizer_manages_only_that_event(users):
    organizer = new_user("organizer")
    mine = make_event("mine", moderated=True)
    other = make_event("other", moderated=True)
    mine.managers.add(organizer)
    services.approve(organizer, services.register(users[0], mine))
    with pytest.raises(PermissionDenied):
        services.approve(organizer, services.register(users[0], other))


def test_country_quota_sends_the_third_to_the_waiting_list(users):
    event = make_event(capacity=10, country_quota=2)
    kz, ge = Country.objects.get(code="KZ"), Country.objects.get(code="GE")
    results = [services.register(u, event, country=kz) for u in users[:3]]
    assert [r.status for r in results] == [R.CONFIRMED, R.CONFIRMED, R.WAITING]
    assert services.register(users[3], event, country=ge).status == R.CONFIRMED
    assert services.places_taken(event, kz.pk) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"state": EventState.PUBLISHED},
        {"registration_opens_at": NOW + datetime.timedelta(days=1)},
        {
            "registration_closes_at": NOW - datetime.timedelta(hours=1),
            "registration_opens_at": NOW - datetime.timedelta(days=2),
        },
    ],
    ids=["not-open-state", "before-opening", "after-closing"],
)
def test_registration_outside_its_period_is_refused(change, users):
    event = make_event(**change)
    with pytest.raises(ValidationError) as exc:
        services.register(users[0], event)
    assert "event" in exc.value.message_dict
    assert not Registration.objects.exists()


def test_registering_twice_is_refused(event, users):
    services.register(users[0], event)
    with pytest.raises(ValidationError) as exc:
        services.register(users[0], event)
    assert "event" in exc.value.message_dict
    assert Registration.objects.count() == 1


def test_withdrawing_offers_the_place_to_the_first_in_line(event, users):
    regs = [services.register(u, event) for u in users[:4]]
    services.withdraw(users[0], regs[0])
    regs = [Registration.objects.get(pk=r.pk) for r in regs]
    assert [r.status for r in regs] == [R.WITHDRAWN, R.CONFIRMED, R.OFFERED, R.WAITING]
    assert regs[3].waiting_position == 1
    delta = regs[2].offer_expires_at - NOW
    assert datetime.timedelta(hours=47) < delta < datetime.timedelta(hours=49)
    services.accept_offer(users[2], regs[2])
    regs[2].refresh_from_db()
    assert regs[2].status == R.CONFIRMED


def test_leaving_the_waiting_list_closes_the_gap(event, users):
    regs = [services.register(u, event) for u in users]
    services.withdraw(users[3], regs[3])
    assert [Registration.objects.get(pk=r.pk).waiting_position for r in regs[2:]] == [1, None, 2]


def test_withdraw_only_ones_own_and_only_before_the_start(users):
    event = make_event(capacity=2)
    reg = services.register(users[0], event)
    with pytest.raises(PermissionDenied):
        services.withdraw(users[1], reg)
    with pytest.raises(ValidationError) as exc:
        services.withdraw(users[0], reg, now=event.starts_at)
    assert "status" in exc.value.message_dict
    reg.refresh_from_db()
    assert reg.status == R.CONFIRMED


def test_lapsed_offer_passes_to_the_next_exactly_once(event, users):
    regs = [services.register(u, event) for u in users[:5]]
    services.withdraw(users[0], regs[0])
    offered = Registration.objects.get(pk=regs[2].pk)
    later = offered.offer_expires_at + datetime.timedelta(minutes=1)
    assert services.expire_offers(now=later) == 1
    assert services.expire_offers(now=later) == 0
    got = {r.pk: (r.status, r.waiting_position) for r in Registration.objects.filter(event=event)}
    assert got[regs[2].pk] == (R.LAPSED, None)
    assert got[regs[3].pk] == (R.OFFERED, None)
    assert got[regs[4].pk] == (R.WAITING, 1)
    with pytest.raises(ValidationError):
        services.accept_offer(users[2], Registration.objects.get(pk=regs[2].pk))


def test_accepting_a_lapsed_offer_before_the_sweep_is_refused(event, users):
    regs = [services.register(u, event) for u in users[:3]]
    services.withdraw(users[0], regs[0])
    offered = Registration.objects.get(pk=regs[2].pk)
    with pytest.raises(ValidationError) as exc:
        services.accept_offer(users[2], offered, now=offered.offer_expires_at)
    assert "status" in exc.value.message_dict


def test_reregistering_after_withdrawing_reuses_the_row(event, users):
    reg = services.register(users[0], event)
    services.withdraw(users[0], reg)
    again = services.register(users[0], event)
    assert again.pk == reg.pk and again.status == R.CONFIRMED


def test_organizer_reorders_and_promotes_with_audit(event, users, editor):
    regs = [services.register(u, event) for u in users]
    last = regs[4]
    services.move_in_line(editor.user, last, 1)
    line = list(
        Registration.objects.waiting_list()
        .filter(event=event)
        .values_list("pk", "waiting_position")
    )
    assert line == [(regs[4].pk, 1), (regs[2].pk, 2), (regs[3].pk, 3)]
    assert AuditEntry.objects.filter(action="registration.moved").count() == 1
    services.promote(editor.user, Registration.objects.get(pk=regs[3].pk))
    line = list(
        Registration.objects.waiting_list()
        .filter(event=event)
        .values_list("pk", "waiting_position")
    )
    assert line == [(regs[4].pk, 1), (regs[2].pk, 2)]
    entry = AuditEntry.objects.get(action="registration.promoted")
    assert entry.data["over_capacity"] is True


def test_moving_out_of_range_names_the_field(event, users, editor):
    regs = [services.register(u, event) for u in users[:4]]
    with pytest.raises(ValidationError) as exc:
        services.move_in_line(editor.user, regs[2], 5)
    assert "position" in exc.value.message_dict
    assert Registration.objects.get(pk=regs[2].pk).waiting_position == 1


def test_promote_never_exceeds_a_country_quota(users, editor):
    event = make_event(capacity=1, country_quota=1)
    kz = Country.objects.get(code="KZ")
    services.register(users[0], event, country=kz)
    waiting = services.register(users[1], event, country=kz)
    with pytest.raises(ValidationError) as exc:
        services.promote(editor.user, waiting)
    assert "country" in exc.value.message_dict


def test_quota_skips_to_the_next_who_fits(users):
    event = make_event(capacity=2, country_quota=1)
    kz, ge = Country.objects.get(code="KZ"), Country.objects.get(code="GE")
    a = services.register(users[0], event, country=kz)
    services.register(users[1], event, country=ge)
    kz_waiting = services.register(users[2], event, country=kz)
    ge_waiting = services.register(users[3], event, country=ge)
    services.withdraw(users[1], Registration.objects.get(event=event, user=users[1]))
    assert Registration.objects.get(pk=kz_waiting.pk).status == R.WAITING
    assert Registration.objects.get(pk=ge_waiting.pk).status == R.OFFERED
    assert Registration.objects.get(pk=a.pk).status == R.CONFIRMED
