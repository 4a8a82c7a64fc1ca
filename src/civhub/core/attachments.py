"""Attaching files to records: only PDF, Word, Excel and images, recognized by their content
(never by the name or the browser's claim), within a size limit, under a safe name."""

import errno
import os
import re
import unicodedata
from typing import Any, TypeAlias

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from civhub.core.models import Attachment, AttachmentKind
from civhub.core.services import audit
from civhub.core.types import Viewer

# A record of any app that takes files: a model with `can_edit(user)` (core names no app).
Record: TypeAlias = Any

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}


def max_upload_bytes() -> int:
    return settings.CIVHUB_MAX_UPLOAD_MB * 1024 * 1024


def safe_filename(name: str, extension: str) -> str:
    """A name safe to store and to send back: ASCII letters, digits, dots, dashes; the right extension."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:80] or "attachment"
    return f"{stem}.{extension}"


def sniff(uploaded: File) -> str:
    """The file's real type from its first bytes, or a ValidationError naming what is allowed."""
    if uploaded.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(max_upload_bytes()),
                }
            }
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, Word, Excel and image files (PNG, JPEG, GIF, WebP) can be attached."
                )
            }
        )
    return kind.mime


@transaction.atomic
def attach(
    actor: Viewer,
    record: Record,
    uploaded: File,
    *,
    title: str = "",
    kind: str = AttachmentKind.DOCUMENT,
) -> Attachment:
    if not record.can_edit(actor):
        raise PermissionDenied(_("You may not add files to this record."))
    mime = sniff(uploaded)
    filename = safe_filename(uploaded.name or "", ALLOWED_TYPES[mime])
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        filename=filename,
        title=title[:300],
        kind=kind,
        mime_type=mime,
        size=uploaded.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _store(attachment, filename, uploaded)
    try:
        attachment.save()
        audit(actor, "attachment.added", record, summary=filename, attachment=attachment.pk)
    except BaseException:
        # The row is rolled back: the file must not stay behind without it.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def copy_to(actor: Viewer, attachment: Attachment, record: Record) -> Attachment:
    """Attach a copy of `attachment` to `record`, with a stored file of its own: removing
    either attachment later never takes the other's file with it."""
    if not record.can_edit(actor):
        raise PermissionDenied(_("You may not add files to this record."))
    copy = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        filename=attachment.filename,
        title=attachment.title,
        kind=attachment.kind,
        mime_type=attachment.mime_type,
        size=attachment.size,
        uploaded_by=attachment.uploaded_by,
    )
    with attachment.file.open("rb") as source:
        _store(copy, attachment.filename, File(source))
    try:
        copy.save()
        audit(
            actor,
            "attachment.added",
            record,
            summary=copy.filename,
            attachment=copy.pk,
            copied_from=attachment.pk,
        )
    except BaseException:
        copy.file.storage.delete(copy.file.name)
        raise
    return copy


# The disk (or the user's quota) is full: say so, and keep nothing of the file.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def _store(attachment: Attachment, filename: str, uploaded: File) -> None:
    field = attachment.file.field
    storage = attachment.file.storage
    name = storage.get_available_name(
        field.generate_filename(attachment, filename), max_length=field.max_length
    )
    try:
        attachment.file.name = storage.save(name, uploaded, max_length=field.max_length)
    except OSError as exc:
        # A write that failed half-way leaves the part it wrote.
        if storage.exists(name):
            storage.delete(name)
        if exc.errno in DISK_FULL:
            raise ValidationError(
                {
                    "file": _(
                        "The file could not be stored: the server has no space left. Nothing "
                        "was saved. Please try again later, or tell the secretariat."
                    )
                }
            ) from exc
        raise


def attachments_of(record: Record) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


@transaction.atomic
def remove(actor: Viewer, attachment: Attachment) -> None:
    target: Record = attachment.target
    if not target.can_edit(actor):
        raise PermissionDenied(_("You may not remove this file."))
    audit(actor, "attachment.removed", target, summary=attachment.filename)
    attachment.delete()  # the post_delete signal removes the file


def attach_from_form(request: HttpRequest, record: Record, form: BaseForm) -> bool:
    """Attach the file of a posted attachment form to `record`, telling the user how it went
    (on success, or with every error by message). Returns whether a file was attached."""
    from django.contrib import messages

    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))  # an ErrorList gives its messages
        return False
    try:
        attach(
            request.user,
            record,
            form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, _("File attached."))
    return True
