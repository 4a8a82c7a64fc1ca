"""Reading a call's audit log: what was done to the call and to its submissions, assignments
and decisions, by whom and when (the secretariat's page "Audit log" shows it)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from civhub.awards.models import Assignment, Call, Decision, Submission
from civhub.core.models import AuditEntry
from civhub.core.types import Viewer


def call_log(actor: Viewer, call: Call) -> QuerySet[AuditEntry]:
    """The audit entries of the call and of its submissions, assignments and decisions,
    newest first (one query, whatever their number); for those who may manage the call."""
    if not call.can_edit(actor):
        raise PermissionDenied
    types = ContentType.objects.get_for_models(Call, Submission, Assignment, Decision)

    def keys(queryset: QuerySet) -> QuerySet:
        # AuditEntry.object_id is text: compare it with the ids as text, in the database.
        return queryset.annotate(key=Cast("pk", CharField())).values("key")

    targets = (
        Q(content_type=types[Call], object_id=str(call.pk))
        | Q(
            content_type=types[Submission],
            object_id__in=keys(Submission.objects.filter(call=call)),
        )
        | Q(
            content_type=types[Assignment],
            object_id__in=keys(Assignment.objects.filter(submission__call=call)),
        )
        | Q(
            content_type=types[Decision],
            object_id__in=keys(Decision.objects.filter(submission__call=call)),
        )
    )
    return AuditEntry.objects.filter(targets).select_related("actor").order_by("-at", "-id")
