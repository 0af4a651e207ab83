"""The three interface languages: which one a page is in, the chooser, the choice kept on the account."""
from datetime import date

import pytest
from flask_babel import refresh
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app.extensions import db
from app.formatting import long_date, money, short_date
from app.history import state_label
from app.models import User
from tests import factories
from tests.conftest import csrf_token


def choose(client, language: str, page: str = "/login"):
    return client.post("/sprak", data={"lang": language, "csrf_token": csrf_token(client, page)})


def html_lang(client, path: str = "/login", **kwargs) -> str:
    html = client.get(path, **kwargs).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("header, expected", [
    (None, "nb"), ("nn-NO,nn;q=0.9", "nn"), ("nb-NO", "nb"), ("no", "nb"), ("en-US,en;q=0.8", "en"),
    ("de-DE,nn;q=0.5,nb;q=0.4", "nn"), ("fr", "nb"), ("sv,en;q=0.9", "en"),
])
def test_before_sign_in_the_browser_decides(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    assert html_lang(client, headers=headers) == expected


def test_a_choice_in_the_session_beats_the_browser(client):
    choose(client, "nn")
    assert html_lang(client, headers={"Accept-Language": "en"}) == "nn"


def test_the_chooser_names_each_language_in_itself(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="nb" aria-current="true">Bokmål<' in html
    assert 'value="nn" class="link-button" lang="nn">Nynorsk<' in html
    assert 'value="en" class="link-button" lang="en">English<' in html
    choose(client, "en")
    html = client.get("/login").get_data(as_text=True)
    assert 'value="nb" class="link-button" lang="nb">Bokmål<' in html and "Log in" in html


def test_the_choice_on_the_login_page_survives_sign_in_and_is_stored(client, orgs):
    person = factories.user("adviser", organisation=orgs["Bergen"])
    db.session.commit()
    choose(client, "nn")
    response = client.post("/login", data={"email": person.email, "password": factories.PASSWORD,
                                            "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert html_lang(client, "/", headers={"Accept-Language": "en"}) == "nn"
    db.session.expire_all()
    assert db.session.get(User, person.id).language == "nn"


def test_signed_in_the_stored_language_decides_in_a_new_browser(app, orgs, auth):
    person = factories.user("adviser", organisation=orgs["Bergen"])
    person.language = "en"
    db.session.commit()
    auth.login(person)
    assert html_lang(auth.client, "/", headers={"Accept-Language": "nn"}) == "en"


def test_choosing_while_signed_in_saves_to_the_account(client, login):
    person = login("adviser")
    choose(client, "nn", page="/")
    db.session.expire_all()
    assert db.session.get(User, person.id).language == "nn"
    assert html_lang(client, "/") == "nn"


def test_an_unknown_language_is_ignored(client):
    choose(client, "sv")
    assert html_lang(client) == "nb"


@pytest.mark.parametrize("header, required", [
    ("nb", "Dette feltet er påkrevd."), ("nn", "Dette feltet må fyllast ut."), ("en", "This field is required."),
])
def test_wtforms_own_messages_follow_the_language(app, header, required):
    class Form(FlaskForm):
        name = StringField(validators=[DataRequired()])

    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context(method="POST", data={}, headers={"Accept-Language": header}):
        app.preprocess_request()
        form = Form()
        assert not form.validate()
        assert form.name.errors == [required]


@pytest.mark.parametrize("header, long, amount, short", [
    ("nb", "1. november 2016", "kr 40\u00a0000", "01.11.2016"),
    ("nn", "1. november 2016", "kr 40\u00a0000", "01.11.2016"),
    ("en", "1 November 2016", "NOK 40,000", "01/11/2016"),
])
def test_dates_and_amounts_follow_the_language(app, header, long, amount, short):
    with app.test_request_context(headers={"Accept-Language": header}):
        assert (long_date(date(2016, 11, 1)), money(40000), short_date(date(2016, 11, 1))) == (long, amount, short)


def test_workflow_texts_are_translated_when_shown(app):
    from workflows import MEMBERSHIP

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert MEMBERSHIP.label("invited") == "Invited"
        assert state_label("membership", "invited") == "Invited"
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        refresh()  # the test's app context (and Flask-Babel's cache in it) outlives the request
        assert MEMBERSHIP.label("invited") == "Invitert"
        assert state_label("membership", "invited") == "Invitert"  # remembered per language, not once for all


def test_the_workflows_ask_the_translator_of_the_moment(app, monkeypatch):
    from workflows import MEMBERSHIP, GuardFailed, i18n

    monkeypatch.setattr(i18n, "_translate", str.upper)
    assert MEMBERSHIP.guard_message(["reply_open"]) == "SVARFRISTEN HAR GÅTT UT."
    assert MEMBERSHIP.label("agreement_pending") == "AVTALE TIL SIGNERING"
    with pytest.raises(GuardFailed, match="SVARFRISTEN HAR GÅTT UT."):
        MEMBERSHIP.fire("accept", "invited", type("Case", (), {"reply_open": False})())
    assert b"AVTALE TIL SIGNERING" in MEMBERSHIP.diagram_svg()
    monkeypatch.setattr(i18n, "_translate", None)
    assert b"Avtale til signering" in MEMBERSHIP.diagram_svg()  # one drawing per language


def test_role_names_are_translated_when_shown(app, monkeypatch):
    person = User(email="x@test.no", name="X")
    person.set_roles(["admin", "adviser"])
    monkeypatch.setattr("app.models.user.gettext", str.upper)
    assert person.role_labels == ["ADMINISTRATOR", "FOU-RÅDGIVER"]
