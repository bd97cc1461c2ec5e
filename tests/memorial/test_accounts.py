from __future__ import annotations

import re

import pytest
from django.core import mail

from memorial.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"


def test_sign_up_logs_in_and_hashes_with_argon2(client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Ada@Example.org",
            "display_name": "Ada",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ada@example.org"
    assert user.password.startswith("argon2$")
    assert client.get("/").context["user"] == user


def test_duplicate_email_is_refused_with_a_message(client) -> None:
    User.objects.create_user("ada@example.org", PASSWORD)
    response = client.post(
        "/accounts/signup/",
        {"email": "ADA@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_login_by_email_and_logout(client) -> None:
    User.objects.create_user("bo@example.org", PASSWORD)
    bad = client.post("/accounts/login/", {"username": "bo@example.org", "password": "wrong"})
    assert bad.status_code == 200
    assert "correct" in bad.content.decode()
    good = client.post("/accounts/login/", {"username": "bo@example.org", "password": PASSWORD})
    assert good.status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_password_reset_by_email(client) -> None:
    User.objects.create_user("cy@example.org", "old passphrase for cy 1")
    client.post("/accounts/password_reset/", {"email": "cy@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert User.objects.get().check_password(PASSWORD)


def test_login_form_posts_need_csrf() -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "x@example.org", "password": "y"})
    assert response.status_code == 403
