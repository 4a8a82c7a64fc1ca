import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civhub.core.models import Attachment
from civhub.directory.models import Topic
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(kazakhstan, **extra):
    topic = Topic.objects.get(slug="e-government")
    data = {
        "language": "en",
        "title_en": "One-stop civil-service portal",
        "summary_en": "All vacancies in one place.",
        "challenge_en": "Vacancies were scattered.",
        "solution_en": "A single **portal** with online tests.",
        "countries": [kazakhstan.pk],
        "topics": [topic.pk],
        "project_status": "ongoing",
        "period_start": "2016",
        "period_end": "2019",
    }
    data.update(extra)
    return data


def published(kazakhstan, **fields) -> Practice:
    practice = Practice.objects.create(
        state=PracticeState.PUBLISHED, **{"title": "Published practice", **fields}
    )
    practice.countries.add(kazakhstan)
    return practice


def test_the_whole_journey_member_focal_point_editor(
    member, focal_point, editor, visitor, kazakhstan
):
    # A member saves a draft...
    response = member.post("/en/practices/submit/", form_data(kazakhstan))
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.state == "draft" and practice.created_by == member.user
    assert visitor.get(practice.get_absolute_url()).status_code == 404
    # ...comes back, finishes and submits it.
    assert member.get(f"/en/practices/{practice.slug}/edit/").status_code == 200
    assert member.post(f"/en/practices/{practice.slug}/submit/").status_code == 302
    practice.refresh_from_db()
    assert practice.state == "submitted"
    # Kazakhstan's focal point endorses it.
    page = focal_point.get(practice.get_absolute_url()).content.decode()
    assert "Endorse for Kazakhstan" in page
    focal_point.post(f"/en/practices/{practice.slug}/endorse/kz/", {"comment": "Works well."})
    assert practice.endorsements.get().country == kazakhstan
    # The editor sees it in the queue and publishes it.
    assert practice.title in editor.get("/en/practices/review/").content.decode()
    editor.post(f"/en/practices/{practice.slug}/publish/")
    practice.refresh_from_db()
    assert practice.state == "published"
    # Now everyone finds it.
    listing = visitor.get("/en/practices/", {"country": "KZ"})
    assert practice in listing.context["object_list"]
    assert visitor.get(practice.get_absolute_url()).status_code == 200


def test_a_refused_action_changes_nothing_and_says_why(member, kazakhstan):
    practice = Practice.objects.create(title="Mine", created_by=member.user)
    response = member.post(f"/en/practices/{practice.slug}/submit/", follow=True)
    assert "Fill in before submitting" in response.content.decode()
    practice.refresh_from_db()
    assert practice.state == "draft"


def test_a_member_cannot_publish(member, kazakhstan):
    practice = Practice.objects.create(title="Mine", created_by=member.user, state="submitted")
    response = member.post(f"/en/practices/{practice.slug}/publish/")
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.state == "submitted"


def test_the_submission_form_needs_the_title_in_the_original_language(member, kazakhstan):
    response = member.post("/en/practices/submit/", form_data(kazakhstan, language="ru"))
    assert response.status_code == 200
    assert "title_ru" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_a_bad_period_is_refused_naming_the_field(member, kazakhstan):
    response = member.post(
        "/en/practices/submit/", form_data(kazakhstan, period_start="2019", period_end="2016")
    )
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_visitors_are_asked_to_log_in_to_submit(visitor):
    response = visitor.get("/en/practices/submit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_others_cannot_edit_a_draft(member, evaluator, kazakhstan):
    practice = Practice.objects.create(title="Mine", created_by=member.user)
    assert evaluator.get(f"/en/practices/{practice.slug}/edit/").status_code == 403


class TestPracticePage:
    def test_sections_json_ld_and_citation(self, visitor, kazakhstan):
        practice = published(
            kazakhstan,
            challenge="Scattered </script><script>alert(1)</script> vacancies",
            solution="A **portal**",
            publication_date="2019-03-17",
            source="Good Practices in SSTC",
        )
        page = visitor.get(practice.get_absolute_url()).content.decode()
        assert "<strong>portal</strong>" in page
        assert "<script>alert(1)</script>" not in page
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(
            1
        )
        data = json.loads(block)
        assert data["@type"] == "CreativeWork" and data["datePublished"] == "2019-03-17"
        assert data["spatialCoverage"][0]["identifier"] == "KZ"
        assert "Cite this" in page and "Good Practices in SSTC" in page

    def test_contacts_emails_only_for_members(self, visitor, member, kazakhstan):
        practice = published(kazakhstan)
        practice.contacts.create(name="Mr. A", position="Manager", email="a@example.org")
        assert "a@example.org" not in visitor.get(practice.get_absolute_url()).content.decode()
        assert "a@example.org" in member.get(practice.get_absolute_url()).content.decode()

    def test_the_page_says_when_it_shows_the_original(self, visitor, kazakhstan):
        practice = published(kazakhstan, title_en="English only")
        page = visitor.get(f"/ru/practices/{practice.slug}/").content.decode()
        assert 'lang="en"' in page
        english = visitor.get(f"/en/practices/{practice.slug}/").content.decode()
        assert "has not been translated" not in english

    def test_history_is_for_editors(self, editor, member, kazakhstan):
        practice = published(kazakhstan)
        assert editor.get(f"/en/practices/{practice.slug}/history/").status_code == 200
        assert member.get(f"/en/practices/{practice.slug}/history/").status_code == 403


class TestAttachments:
    def test_a_pdf_is_attached_and_served_as_a_download(self, member, visitor, kazakhstan):
        practice = Practice.objects.create(title="Mine", created_by=member.user)
        upload = SimpleUploadedFile("Case study ü.pdf", PDF, content_type="application/pdf")
        member.post(
            f"/en/practices/{practice.slug}/files/",
            {"file": upload, "title": "Case", "kind": "case_study"},
        )
        attachment = Attachment.objects.get()
        assert (
            attachment.filename == "Case-study-u.pdf" and attachment.mime_type == "application/pdf"
        )
        response = member.get(f"/en/files/{attachment.pk}/")
        assert response["Content-Disposition"].startswith("attachment")
        # A visitor may not download a draft's file.
        assert visitor.get(f"/en/files/{attachment.pk}/").status_code == 404

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("evil.pdf", b"<html><script>alert(1)</script></html>"),
            ("empty.pdf", b""),
            ("run.exe", b"MZ\x90\x00" * 10),
        ],
    )
    def test_what_is_not_a_document_is_refused(self, member, kazakhstan, name, content):
        practice = Practice.objects.create(title="Mine", created_by=member.user)
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        response = member.post(
            f"/en/practices/{practice.slug}/files/",
            {"file": upload, "kind": "document"},
            follow=True,
        )
        assert not Attachment.objects.exists()
        assert "error" in response.content.decode()

    def test_the_size_limit(self, member, kazakhstan, settings):
        settings.CIVHUB_MAX_UPLOAD_MB = 0
        practice = Practice.objects.create(title="Mine", created_by=member.user)
        upload = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
        response = member.post(
            f"/en/practices/{practice.slug}/files/",
            {"file": upload, "kind": "document"},
            follow=True,
        )
        assert "the limit is" in response.content.decode()
        assert not Attachment.objects.exists()


class TestList:
    def test_filters_and_sorting(self, visitor, kazakhstan, georgia):
        old = published(
            kazakhstan,
            title="Alpha",
            period_start=2010,
            period_end=2012,
            language="ru",
            title_ru="Альфа",
        )
        new = published(georgia, title="Beta", period_start=2018, project_status="completed")
        new.topics.add(Topic.objects.get(slug="ethics-anti-corruption"))
        assert list(visitor.get("/en/practices/", {"country": "GE"}).context["object_list"]) == [
            new
        ]
        assert list(
            visitor.get("/en/practices/", {"topic": "ethics-anti-corruption"}).context[
                "object_list"
            ]
        ) == [new]
        assert list(visitor.get("/en/practices/", {"year_from": 2015}).context["object_list"]) == [
            new
        ]
        assert list(visitor.get("/en/practices/", {"language": "ru"}).context["object_list"]) == [
            old
        ]
        assert list(visitor.get("/en/practices/", {"sort": "title"}).context["object_list"]) == [
            old,
            new,
        ]
        assert list(visitor.get("/en/practices/", {"q": "альфа"}).context["object_list"]) == [old]

    def test_drafts_never_listed(self, visitor, member, kazakhstan):
        Practice.objects.create(title="Secret draft", created_by=member.user)
        assert "Secret draft" not in visitor.get("/en/practices/").content.decode()

    def test_empty_state_and_bad_filter(self, visitor):
        response = visitor.get("/en/practices/", {"sdg": "99.z"})
        assert response.status_code == 200
        assert "sdg" in response.context["filter"].form.errors

    def test_no_query_per_row(self, visitor, kazakhstan, django_assert_max_num_queries):
        for n in range(15):
            practice = published(kazakhstan, title=f"Practice {n}")
            practice.topics.add(Topic.objects.get(slug="innovation"))
        with django_assert_max_num_queries(10):
            visitor.get("/en/practices/")

    def test_atom_feed(self, visitor, kazakhstan):
        from django.utils import timezone

        published(kazakhstan, title="Fed practice", published_at=timezone.now())
        response = visitor.get("/en/practices/feed/")
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "Fed practice" in response.content.decode()


def test_history_reads_as_words(editor, member, kazakhstan):
    from civhub.knowledge.services import practices as services

    practice = Practice.objects.create(
        title="Tracked", summary="s", challenge="c", solution="s", created_by=member.user
    )
    practice.countries.add(kazakhstan)
    practice.topics.add(Topic.objects.get(slug="innovation"))
    services.transition(member.user, practice, "submit")
    services.transition(editor.user, practice, "request_changes", message="Add results")
    page = editor.get(f"/en/practices/{practice.slug}/history/").content.decode()
    assert "Submit for review" in page and "Ask for changes" in page
    assert "Submitted → Draft" in page and "“Add results”" in page
    assert "practice.submit" not in page


def test_the_language_note_matches_the_text_shown(visitor, kazakhstan):
    practice = published(kazakhstan, language="ru", title_ru="Оригинал", title_en="Translation")
    page = visitor.get(f"/kk/practices/{practice.slug}/").content.decode()
    # Kazakh readers get the original, not the English translation, and the page says so.
    assert '<article lang="ru">' in page and "Оригинал" in page and "Translation" not in page
    assert 'class="lang-note"' in page
    original_only = published(kazakhstan, language="ru", title_ru="Только оригинал", title_en="")
    page = visitor.get(f"/en/practices/{original_only.slug}/").content.decode()
    assert '<article lang="ru">' in page and "Только оригинал" in page


def test_deleting_an_attachment_removes_its_file(member, kazakhstan):
    import os

    practice = Practice.objects.create(title="Mine", created_by=member.user)
    upload = SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf")
    member.post(f"/en/practices/{practice.slug}/files/", {"file": upload, "kind": "document"})
    attachment = Attachment.objects.get()
    path = attachment.file.path
    assert os.path.exists(path)
    attachment.delete()
    assert not os.path.exists(path)
