"""Importing practices (editors) and exporting the published ones (everyone)."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from civhub.knowledge import exporters, importers
from civhub.knowledge.choices import ProjectStatus
from civhub.knowledge.forms.imports import ImportForm
from civhub.knowledge.models import Practice
from civhub.knowledge.services.imports import (
    can_import,
    describe_recovery,
    export_records,
    import_records,
    recover_abandoned_runs,
)

EXPORT_FORMATS = {extension: fmt for fmt, extension in exporters.EXTENSIONS.items()}


@login_required
def import_practices(request):
    """Upload a file; a dry run shows the records it holds and what would happen to them."""
    if not can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        status = _run_import(request, form, context) if form.is_valid() else 400
    return render(request, "knowledge/import.html", context, status=status)


def _run_import(request, form, context) -> int:
    upload = form.cleaned_data["file"]
    fmt = form.cleaned_data["format"]
    name = PurePath(upload.name).name
    try:
        parsed = importers.read(upload.read(), fmt, name, strict=form.cleaned_data["strict"])
    except importers.ParseError as exc:
        form.add_error("file", str(exc))
        return 400
    dry_run = form.cleaned_data["dry_run"]
    if not dry_run:
        # an import killed half-way (a worker's timeout) is undone before the next one starts
        for recovery in recover_abandoned_runs(request.user):
            for line in describe_recovery(recovery):
                messages.warning(request, line)
    report = import_records(
        request.user,
        parsed.records,
        publish=form.cleaned_data["publish"],
        update=form.cleaned_data["update"],
        file_name=name,
        source=importers.SERIES if fmt == importers.UN_TEXT else "",
        lines=parsed.lines,
        dry_run=dry_run,
    )
    context.update(
        report=report,
        dry_run=dry_run,
        rows=[
            {
                "record": record,
                "result": result,
                "status": _status_label(record.get("status")),
                **_fields_report(record),
            }
            for record, result in zip(parsed.records, report.results, strict=True)
        ],
        warnings=[str(warning) for warning in parsed.warnings],
    )
    if not dry_run and report.ok:
        # a fresh form, so that a reload does not suggest importing again
        context["form"] = ImportForm()
    return 200 if report.ok else 400


def _fields_report(record: dict) -> dict:
    found = importers.fields_found(record)
    return {
        "found": [importers.report_field_label(key) for key in found],
        "missing": [
            importers.report_field_label(key) for key in importers.REPORT_FIELDS if key not in found
        ],
    }


def _status_label(value: str | None) -> str:
    return str(ProjectStatus(value).label) if value in ProjectStatus.values else ""


@require_GET
def export_practices(request, extension):
    """The published practices as JSON, CSV or text, for everyone."""
    fmt = EXPORT_FORMATS.get(extension)
    if fmt is None:
        raise Http404
    records = export_records(Practice.objects.published(), viewer=request.user)
    if fmt == importers.CSV:
        content = exporters.to_csv(records, bom=True)
    else:
        content = exporters.export(records, fmt)
    response = HttpResponse(content, content_type=exporters.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="practices.{extension}"'
    return response


urlpatterns = [
    path("practices/import/", import_practices, name="practice_import"),
    path("practices/export.<str:extension>", export_practices, name="practice_export"),
]
