"""Knowledge transfers: who may record and edit them, bad input, evidence (links and files),
visibility of drafts, and the "learned from" / "shared with" sections of the country page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civhub.core.models import Attachment, AuditEntry
from civhub.directory.models import Country, Organization
from civhub.knowledge import demo_legal
from civhub.knowledge.choices import (
    PublicationState,
    TransferKind,
    TransferStage,
    TransferSubject,
)
from civhub.knowledge.models import KnowledgeTransfer, LegalAct
from civhub.knowledge.services.transfers import save_transfer, transfers_for_country

pytestmark = pytest.mark.django_db
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]
RECORDS = {"focal_point", "editor", "admin"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def legal_demo(demo_data):
    demo_legal.load(log=lambda *args: None)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def make_transfer(source="KZ", target="AZ", **fields) -> KnowledgeTransfer:
    fields = {
        "subject_kind": TransferSubject.OTHER,
        "subject_en": "Competitive examinations",
        "kind": TransferKind.STUDY,
        **fields,
    }
    record = KnowledgeTransfer(
        source_country=country(source) if source else None,
        target_country=country(target),
        **fields,
    )
    record.save()
    return record


def transfer_form(**overrides) -> dict:
    data = {
        "source_country": country("KZ").pk,
        "target_country": country("GE").pk,
        "subject_kind": TransferSubject.OTHER,
        "subject_en": "Merit-based promotion",
        "subject_ru": "",
        "subject_kk": "",
        "kind": TransferKind.ADAPTATION,
        "stage": TransferStage.ADAPTING,
        "started_on": "2017-03-01",
        "ended_on": "",
        "outcome_en": "",
        "outcome_ru": "",
        "outcome_kk": "",
        "evidence_urls": "https://example.org/report\n\nhttps://example.org/agreement",
        "source_note": "",
        "state": PublicationState.PUBLISHED,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_record_a_transfer(persona, kazakhstan):
    response = persona.get("/en/transfers/add/")
    if persona.role == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if persona.role in RECORDS else 403)


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_edit_a_transfer(persona, kazakhstan):
    ours = make_transfer("KZ", "AZ")  # Kazakhstan shared
    learned = make_transfer("GE", "KZ")  # Kazakhstan learned
    others = make_transfer("GE", "AZ")  # Kazakhstan not involved
    for record, allowed in (
        (ours, RECORDS),
        (learned, RECORDS),
        (others, {"editor", "admin"}),
    ):
        response = persona.get(reverse("knowledge:transfer_edit", kwargs={"pk": record.pk}))
        if persona.role == "visitor":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if persona.role in allowed else 403)


def test_a_focal_point_records_what_its_country_shared(focal_point, kazakhstan):
    response = focal_point.post("/en/transfers/add/", transfer_form())
    assert response.status_code == 302
    record = KnowledgeTransfer.objects.get()
    assert response["Location"] == reverse("knowledge:transfer", kwargs={"pk": record.pk})
    assert record.created_by == focal_point.user
    assert record.evidence_urls == [
        "https://example.org/report",
        "https://example.org/agreement",
    ]
    entry = AuditEntry.objects.get(action="transfer.created")
    assert entry.actor == focal_point.user and entry.object_id == str(record.pk)


def test_a_focal_point_cannot_record_a_transfer_between_two_other_countries(focal_point):
    response = focal_point.post(
        "/en/transfers/add/",
        transfer_form(source_country=country("GE").pk, target_country=country("AZ").pk),
    )
    assert response.status_code == 200
    assert "your country" in response.context["form"].errors["target_country"][0]
    assert not KnowledgeTransfer.objects.exists()
    # The service refuses it too, whatever the caller (e.g. the API).
    record = KnowledgeTransfer(
        source_country=country("GE"),
        target_country=country("AZ"),
        subject_kind=TransferSubject.OTHER,
        subject_en="x",
        kind=TransferKind.STUDY,
    )
    with pytest.raises(PermissionDenied):
        save_transfer(focal_point.user, record)
    assert not KnowledgeTransfer.objects.exists()


def test_a_focal_point_cannot_take_over_another_countrys_transfer(focal_point):
    record = make_transfer("GE", "AZ")
    record.target_country = country("KZ")
    with pytest.raises(PermissionDenied):
        save_transfer(focal_point.user, record)
    assert KnowledgeTransfer.objects.get().target_country.code == "AZ"


def test_an_edit_is_audited(editor):
    record = make_transfer("KZ", "AZ")
    data = transfer_form(
        source_country=country("KZ").pk,
        target_country=country("AZ").pk,
        stage=TransferStage.IMPLEMENTED,
    )
    response = editor.post(reverse("knowledge:transfer_edit", kwargs={"pk": record.pk}), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.stage == TransferStage.IMPLEMENTED
    assert AuditEntry.objects.filter(action="transfer.updated", object_id=str(record.pk)).exists()


# --- bad input: a clear error naming the field, nothing saved --------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"source_country": ""}, "source_country", "a country or an organization"),
        ({"target_country": "KZ"}, "target_country", "to itself"),
        ({"started_on": "2018-01-01", "ended_on": "2017-01-01"}, "ended_on", "before it starts"),
        ({"subject_kind": TransferSubject.LEGAL_ACT}, "legal_act", "Link the record"),
        ({"subject_kind": TransferSubject.INSTITUTION}, "institution", "Link the record"),
        ({"subject_kind": TransferSubject.PRACTICE}, "practice", "Link the record"),
        (
            {"evidence_urls": "https://example.org/a\nnot a link"},
            "evidence_urls",
            "Line 2",
        ),
        ({"subject_en": ""}, "subject_en", "what was learned"),
    ],
)
def test_bad_input_is_refused_with_an_error_on_its_field(editor, overrides, field, words):
    if overrides.get("target_country") == "KZ":
        overrides["target_country"] = country("KZ").pk
    response = editor.post("/en/transfers/add/", transfer_form(**overrides))
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not KnowledgeTransfer.objects.exists()
    assert not AuditEntry.objects.filter(action="transfer.created").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"source_country": None}, "source_country"),
        ({"target_country": "KZ"}, "target_country"),
        ({"subject_kind": TransferSubject.LEGAL_ACT}, "legal_act"),
        ({"evidence_urls": ["https://example.org", "javascript:alert(1)"]}, "evidence_urls"),
    ],
)
def test_the_service_refuses_bad_input_too(editor, fields, field):
    values = {
        "source_country": country("KZ"),
        "target_country": country("AZ"),
        "subject_kind": TransferSubject.OTHER,
        "subject_en": "Ethics commissioners",
        "kind": TransferKind.STUDY,
        **fields,
    }
    if values["target_country"] == "KZ":
        values["target_country"] = country("KZ")
    with pytest.raises(ValidationError) as raised:
        save_transfer(editor.user, KnowledgeTransfer(**values))
    assert field in raised.value.message_dict
    assert not KnowledgeTransfer.objects.exists()


def test_links_of_another_subject_kind_are_dropped(editor, kazakhstan):
    act = LegalAct.objects.create(country=kazakhstan, kind="law", title_en="A law")
    academy = Organization.objects.create(name_en="Academy", kind="academy", country=kazakhstan)
    record = KnowledgeTransfer(
        source_country=kazakhstan,
        target_country=country("MK"),
        subject_kind=TransferSubject.INSTITUTION,
        institution=academy,
        legal_act=act,
        subject_en="The academy's model",
        kind=TransferKind.STUDY,
    )
    save_transfer(editor.user, record)
    record.refresh_from_db()
    assert record.institution == academy and record.legal_act is None


# --- a transfer's page: evidence links and files ---------------------------------------------


def test_the_page_shows_evidence_links_and_attached_files(focal_point, visitor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = make_transfer(
        "KZ", "MK", evidence_urls=["https://example.org/visit-report"], outcome_en="A charter."
    )
    url = reverse("knowledge:transfer", kwargs={"pk": record.pk})
    response = focal_point.post(
        reverse("knowledge:transfer_attach", kwargs={"pk": record.pk}),
        {
            "file": SimpleUploadedFile("visit report.pdf", PDF, "application/pdf"),
            "title": "Visit report",
            "kind": "evidence",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    attachment = Attachment.objects.get()
    assert attachment.mime_type == "application/pdf"

    page = visitor.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert 'href="https://example.org/visit-report"' in html
    download = reverse("core:attachment", kwargs={"pk": attachment.pk})
    assert f'href="{download}"' in html and "Visit report" in html
    assert "A charter." in html
    assert "Attach a file" not in html  # visitors may not attach
    assert visitor.get(download).status_code == 200


def test_only_those_who_may_edit_attach_files(member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = make_transfer("KZ", "MK")
    response = member.post(
        reverse("knowledge:transfer_attach", kwargs={"pk": record.pk}),
        {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf"), "kind": "evidence"},
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_file_that_is_not_a_document_is_refused(focal_point, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = make_transfer("KZ", "MK")
    response = focal_point.post(
        reverse("knowledge:transfer_attach", kwargs={"pk": record.pk}),
        {"file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\necho hi\n"), "kind": "evidence"},
        follow=True,
    )
    assert "Only PDF, Word, Excel" in response.content.decode()
    assert not Attachment.objects.exists()


# --- drafts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_ours", "sees_theirs"),
    [
        ("visitor", False, False),
        ("member", False, False),
        ("focal_point", True, False),
        ("editor", True, True),
    ],
    indirect=["persona"],
)
def test_drafts_are_seen_by_editors_and_the_focal_points_involved(persona, sees_ours, sees_theirs):
    ours = make_transfer("GE", "KZ", subject_en="Ours", state=PublicationState.DRAFT)
    theirs = make_transfer("GE", "AZ", subject_en="Theirs", state=PublicationState.DRAFT)
    for record, sees in ((ours, sees_ours), (theirs, sees_theirs)):
        response = persona.get(reverse("knowledge:transfer", kwargs={"pk": record.pk}))
        assert response.status_code == (200 if sees else 404)


# --- the country page ------------------------------------------------------------------------


def test_kazakhstans_page_shows_what_it_shared(visitor, legal_demo):
    response = visitor.get("/en/countries/kz/")
    assert response.status_code == 200
    shared = response.context["shared_with"]
    assert sorted(t.target_country.code for t in shared) == ["AZ", "BY", "KG", "MK"]
    assert response.context["learned_from"] == []
    html = response.content.decode()
    assert "Shared with" in html and "Learned from" in html
    assert "The model of the Academy of Public Administration" in html
    assert "North Macedonia" in html
    assert "No knowledge transfer to this country recorded yet." in html
    assert html.count("<h1") == 1


def test_azerbaijans_page_shows_what_it_learned(visitor, legal_demo):
    response = visitor.get("/ru/countries/az/")
    learned = response.context["learned_from"]
    assert sorted(t.source_country.code for t in learned) == ["GE", "KZ"]
    assert response.context["shared_with"] == []
    html = response.content.decode()
    assert "Грузия" in html and "Казахстан" in html


def test_an_organizations_transfer_counts_for_its_country(visitor, kazakhstan):
    academy = Organization.objects.create(name_en="Academy", kind="academy", country=kazakhstan)
    KnowledgeTransfer.objects.create(
        source_organization=academy,
        target_country=country("MN"),
        subject_kind=TransferSubject.OTHER,
        subject_en="Leadership courses",
        kind=TransferKind.REPLICATION,
    )
    learned_from, shared_with = transfers_for_country(kazakhstan, visitor.user or _anonymous())
    assert [t.subject for t in shared_with] == ["Leadership courses"]
    assert "Leadership courses" in visitor.get("/en/countries/kz/").content.decode()


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_drafts_stay_off_the_public_country_page(visitor, focal_point):
    make_transfer("KZ", "AZ", subject_en="Secret draft", state=PublicationState.DRAFT)
    assert "Secret draft" not in visitor.get("/en/countries/kz/").content.decode()
    assert "Secret draft" in focal_point.get("/en/countries/kz/").content.decode()


def test_only_web_addresses_become_evidence_links(visitor):
    record = make_transfer("KZ", "MK", evidence_urls=["javascript:alert(1)", "https://ok.example"])
    html = visitor.get(reverse("knowledge:transfer", kwargs={"pk": record.pk})).content.decode()
    assert 'href="https://ok.example"' in html and "javascript:" not in html


def test_the_edit_form_shows_evidence_links_one_per_line(editor):
    record = make_transfer("KZ", "MK", evidence_urls=["https://a.example", "https://b.example"])
    response = editor.get(reverse("knowledge:transfer_edit", kwargs={"pk": record.pk}))
    assert "https://a.example\nhttps://b.example" in response.content.decode()


def test_a_draft_transfers_files_are_not_served_to_visitors(editor, visitor, kazakhstan, georgia):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civhub.core.attachments import attach
    from civhub.knowledge.models import KnowledgeTransfer

    transfer = KnowledgeTransfer.objects.create(
        source_country=georgia,
        target_country=kazakhstan,
        subject_kind="other",
        subject="Draft idea",
        kind="study",
        state="draft",
    )
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = attach(editor.user, transfer, pdf)
    assert visitor.get(f"/en/files/{attachment.pk}/").status_code == 404
    assert editor.get(f"/en/files/{attachment.pk}/").status_code == 200
