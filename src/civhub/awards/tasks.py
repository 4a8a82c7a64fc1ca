"""Background work of the scheme (huey, see civhub/search/tasks.py for the set-up): the
e-mails of each transition, the daily deadline reminders, and the search index on the day
results set for a later date come out."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civhub.awards.services import mail, reminders, results


@db_task(retries=2, retry_delay=60)
def send_award_mail(user_id: int, template: str, language: str | None, context: dict) -> bool:
    return mail.render_and_send(user_id, template, language, context)


@db_periodic_task(crontab(hour="6", minute="15"))
def send_deadline_reminders() -> int:
    """Every morning: remind applicants of drafts and evaluators of unfinished scoring."""
    return reminders.send_due_reminders()


@db_periodic_task(crontab(hour="0", minute="5"))
def index_results_out_today() -> int:
    """Results published ahead for a later day become public today: their winners enter
    the search index (saving them on publication found them not yet public)."""
    return results.index_results_out_today()
