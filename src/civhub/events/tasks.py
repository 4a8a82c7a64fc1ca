"""Background work of events (huey, see civhub/search/tasks.py for the set-up): the
registration e-mails, and lapsing the waiting list's offers every few minutes."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civhub.events.services import mail, registrations


@db_task(retries=2, retry_delay=60)
def send_registration_mail(registration_id: int, kind: str) -> bool:
    return mail.send(registration_id, kind)


@db_periodic_task(crontab(minute="*/10"))
def expire_offers() -> int:
    """Offers of freed places that were not accepted in time pass to the next in line."""
    return registrations.expire_offers()
