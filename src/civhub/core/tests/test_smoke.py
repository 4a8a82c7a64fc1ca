import pytest


@pytest.mark.django_db
def test_home_renders(client):
    assert client.get("/en/").status_code == 200
