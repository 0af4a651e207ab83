"""A steering group meeting called in the browser: the whole group is invited with one box, one person outside it
is added by search and one member left out, and the meeting page lists exactly who was invited."""
import re

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import sign_in


def test_the_group_is_invited_with_one_box_and_exceptions_are_made_by_search(live, page):
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
        factories.user("steering_member", organisation=orgs["Helse Bergen"], name="Gunn Røsland")
        factories.user("steering_member", organisation=orgs["Universitetet i Bergen"], name="Sven Styre")
        factories.user("project_member", organisation=orgs["Høgskulen på Vestlandet"], name="Pia Prosjekt")
        db.session.commit()
        email = adviser.email

    sign_in(page, email)
    page.goto("/moter/ny/steering")
    group = page.get_by_role("checkbox", name=re.compile(r"Hele styringsgruppen \(2\)"))
    expect(group).to_be_checked()
    page.get_by_label("Dato").fill("2026-12-10")
    page.get_by_label("Sted").fill("Rådhuset, møterom 1")
    page.get_by_label("Søk etter person").fill("Pia")
    page.get_by_role("button", name="Vis").click()
    page.get_by_role("checkbox", name=re.compile("Pia Prosjekt")).check()
    page.get_by_label("Søk etter person").fill("Sven")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("checkbox", name=re.compile("Pia Prosjekt"))).to_be_checked()  # kept across searches
    page.get_by_role("checkbox", name=re.compile("Sven Styre")).uncheck()
    page.get_by_role("button", name="Lagre og send innkalling").click()

    expect(page.get_by_text(re.compile("er lagret, og innkallingen går ut på e-post til 2 personer"))).to_be_visible()
    invited = page.get_by_role("region", name="Inviterte og oppmøte").get_by_role("listitem")
    expect(invited).to_have_text([re.compile("Gunn Røsland"), re.compile("Pia Prosjekt")])
