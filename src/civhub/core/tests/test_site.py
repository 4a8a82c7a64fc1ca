import os
import subprocess
import sys
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from civhub.directory.models import Membership, Organization, Person, Seat
from civhub.insights.models import Contribution

pytestmark = pytest.mark.django_db


class TestHealth:
    def test_reports_the_database(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok" and body["database"]["ok"] is True
        assert body["database"]["vendor"] in {"sqlite", "postgresql"}

    def test_a_broken_database_is_503(self, client):
        with mock.patch(
            "civhub.core.services.connection.cursor", side_effect=DatabaseError("down")
        ):
            response = client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "error"
        assert body["database"] == {
            "ok": False,
            "vendor": body["database"]["vendor"],
            "error": "DatabaseError",
        }

    def test_a_broken_cache_is_503(self, client):
        with mock.patch("django.core.cache.cache.set", side_effect=ConnectionError("redis down")):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["cache"]["error"] == "ConnectionError"

    def test_an_unknown_host_gets_the_400_page_not_a_500(self, client):
        response = client.get("/en/", HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert "Bad request" in response.content.decode()


class TestLanguages:
    def test_root_redirects_to_a_language(self, client):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/en/"

    def test_accept_language_picks_russian(self, client):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
        assert response["Location"] == "/ru/"

    @pytest.mark.parametrize("lang", ["en", "ru", "kk"])
    def test_hreflang_links_and_html_lang(self, client, lang):
        page = client.get(f"/{lang}/countries/").content.decode()
        assert f'<html lang="{lang}">' in page
        for code in ("en", "ru", "kk"):
            assert f'hreflang="{code}" href="http://testserver/{code}/countries/"' in page

    def test_the_switcher_works_without_javascript(self, client):
        response = client.post("/i18n/setlang/", {"language": "kk", "next": "/en/countries/kz/"})
        assert response.status_code == 302 and response["Location"] == "/kk/countries/kz/"

    def test_interface_strings_are_translated(self, client):
        assert "Страны" in client.get("/ru/").content.decode()
        assert "Елдер" in client.get("/kk/").content.decode()

    @pytest.mark.parametrize(
        ("lang", "text"), [("en", "Page not found"), ("ru", "Страница не найдена")]
    )
    def test_error_pages_speak_the_reader_language(self, client, lang, text):
        response = client.get(f"/{lang}/no-such-page/")
        assert response.status_code == 404
        page = response.content.decode()
        assert text in page and page.count("<h1") == 1

    def test_the_500_page_is_a_real_page(self, client):
        from django.test import RequestFactory
        from django.utils import translation

        from civhub.core.views import server_error

        with translation.override("ru"):
            response = server_error(RequestFactory().get("/ru/"))
        assert response.status_code == 500
        assert "Ошибка сервера" in response.content.decode()


class TestSecurity:
    def test_headers(self, client):
        response = client.get("/en/")
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"

    def test_check_deploy_passes_with_the_documented_production_settings(self, tmp_path):
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "k" * 20
            + "-production-secret-key-of-enough-length-and-variety-0123456789",
            "ALLOWED_HOSTS": "hub.example.org",
            "CIVHUB_VAR_DIR": str(tmp_path),
        }
        env.pop("CIVHUB_HTTPS", None)  # production: HTTPS on by default
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
        result = subprocess.run(
            [sys.executable, "-m", "civhub", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr + result.stdout
        assert "no issues" in result.stdout

    @pytest.mark.parametrize(
        ("env", "count"),
        [
            ({}, "0"),
            ({"BEHIND_PROXY": "1"}, "1"),
            ({"BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "2"}, "2"),
        ],
    )
    def test_rate_limits_see_the_client_behind_a_proxy(self, tmp_path, env, count):
        full = {**os.environ, "CIVHUB_VAR_DIR": str(tmp_path), **env}
        full.pop("BEHIND_PROXY", None) if "BEHIND_PROXY" not in env else None
        code = (
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='civhub.settings';django.setup();"
            "from allauth import app_settings;print(app_settings.TRUSTED_PROXY_COUNT)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == count

    def test_production_cookies_are_secure(self, tmp_path):
        env = {**os.environ, "DEBUG": "0", "CIVHUB_VAR_DIR": str(tmp_path)}
        env.pop("CIVHUB_HTTPS", None)
        code = (
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='civhub.settings';django.setup();"
            "from django.conf import settings as s;"
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.split() == ["True", "True", "True", "31536000"]


def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_demo_data_runs_twice_without_duplicates():
    quiet = StringIO()
    call_command("demo", stdout=quiet)
    counts = [M.objects.count() for M in (Membership, Organization, Person, Seat, Contribution)]
    call_command("demo", stdout=quiet)
    assert [
        M.objects.count() for M in (Membership, Organization, Person, Seat, Contribution)
    ] == counts
    assert counts[0] == 36
    contribution = Contribution.objects.get()
    assert (contribution.amount, contribution.currency, contribution.period_end.year) == (
        14_000_000,
        "USD",
        2017,
    )
    assert set(Organization.objects.partners().values_list("acronym", flat=True)) == {
        "UNDP",
        "GCPSE",
        "IRH",
        "OECD",
        "UNPAN",
        "ASPA",
        "AAPA",
    }
    # What is invented says so in the data.
    assert Person.objects.filter(is_demo=True).exists()
    assert not Person.objects.filter(name="Alikhan Baimenov", is_demo=True).exists()


def test_demo_if_empty_leaves_a_filled_database_alone(demo_data):
    Organization.objects.filter(slug="oecd").delete()
    call_command("demo", "--if-empty", stdout=StringIO())
    assert not Organization.objects.filter(slug="oecd").exists()
