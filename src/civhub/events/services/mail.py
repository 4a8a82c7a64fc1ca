"""The events' e-mails: queued after the commit, sent by background work (events.tasks), each
in its recipient's language (core.mail)."""

from django.db import transaction
from django.utils.translation import gettext as _

from civhub.core.mail import mail_user
from civhub.events.models import Registration


def notify(registration_id: int, kind: str) -> None:
    """Queue the e-mail `kind` about a registration, once the current transaction commits."""

    def queue() -> None:
        from civhub.events.tasks import send_registration_mail

        send_registration_mail(registration_id, kind)

    transaction.on_commit(queue)


def _messages(registration: Registration) -> dict[str, tuple[str, str]]:
    event = registration.event
    title = event.title
    when = registration.offer_expires_at
    return {
        "confirmed": (
            _("Your place at %(event)s is confirmed") % {"event": title},
            _("Your registration for %(event)s is confirmed. We look forward to seeing you.")
            % {"event": title},
        ),
        "pending": (
            _("Your registration for %(event)s was received") % {"event": title},
            _("The organizer will approve or decline your registration for %(event)s.")
            % {"event": title},
        ),
        "waiting": (
            _("You are on the waiting list of %(event)s") % {"event": title},
            _("%(event)s is full. You are number %(position)s on its waiting list.")
            % {"event": title, "position": registration.waiting_position},
        ),
        "offered": (
            _("A place at %(event)s is free for you") % {"event": title},
            _(
                "A place at %(event)s has come free. It is held for you until %(until)s (UTC); "
                "accept it on the event's page."
            )
            % {"event": title, "until": when.strftime("%Y-%m-%d %H:%M") if when else ""},
        ),
        "lapsed": (
            _("Your offer for %(event)s has lapsed") % {"event": title},
            _("The place at %(event)s was not accepted in time and passed to the next in line.")
            % {"event": title},
        ),
        "declined": (
            _("Your registration for %(event)s was declined") % {"event": title},
            _("The organizer declined your registration for %(event)s. %(reason)s")
            % {"event": title, "reason": registration.reason},
        ),
        "cancelled": (
            _("%(event)s is cancelled") % {"event": title},
            _("%(event)s will not take place. %(reason)s")
            % {"event": title, "reason": event.cancel_reason},
        ),
    }


def send(registration_id: int, kind: str) -> bool:
    from civhub.events.models import Registration

    registration = (
        Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    )
    if registration is None or not registration.user.is_active:
        return False
    return mail_user(registration.user, lambda: _messages(registration)[kind])
