"""The scheme's e-mails: queued after the commit, sent by background work (awards.tasks), in
the recipient's language, from the plain-text templates in templates/awards/email/."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from civhub.core.mail import hub_subject, sign_off, site_name
from civhub.core.types import Viewer

INTERFACE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def language_of(user: Viewer, preferred: str | None = None) -> str:
    """The recipient's language: the one given (an applicant's submission language), else
    the first interface language of the user's directory record, else the site's default."""
    if preferred in INTERFACE_LANGUAGES:
        return preferred
    person = getattr(user, "person", None) if user else None
    for code in getattr(person, "languages", None) or []:
        if code in INTERFACE_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


def notify(user: Viewer, template: str, *, language: str | None = None, **context: Any) -> None:
    """Queue one e-mail to `user`, after the current transaction commits. `context` holds
    plain values only (ids, strings): the task reads the records again when it runs."""
    if user is None or not user.email:
        return
    user_id = user.pk

    def queue() -> None:
        from civhub.awards.tasks import send_award_mail

        send_award_mail(user_id, template, language, context)

    transaction.on_commit(queue)


def render_and_send(user_id: int, template: str, language: str | None, context: dict) -> bool:
    """Render templates/awards/email/<template>.txt (first line: the subject) and send it."""
    from civhub.accounts.models import User
    from civhub.awards.models import Call, Submission

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    context = dict(context)
    if context.get("submission_id"):
        context["submission"] = (
            Submission.objects.select_related("call").filter(pk=context["submission_id"]).first()
        )
    if context.get("call_id"):
        context["call"] = Call.objects.filter(pk=context["call_id"]).first()
    context["user"] = user
    with translation.override(language_of(user, language)):
        context["site_name"] = site_name()
        if context.get("state"):
            from civhub.awards.choices import SubmissionState

            context["state"] = str(SubmissionState(context["state"]).label)
        text = render_to_string(f"awards/email/{template}.txt", context).strip()
        subject, _sep, body = text.partition("\n")
        subject, body = hub_subject(subject.strip()), f"{body.strip()}\n\n{sign_off()}\n"
    send_mail(subject, body, None, [user.email], fail_silently=False)
    return True


def notify_editors(template: str, **context: Any) -> None:
    """Queue an e-mail to every secretariat editor."""
    from civhub.accounts.services import editors

    for user in editors():
        notify(user, template, **context)
