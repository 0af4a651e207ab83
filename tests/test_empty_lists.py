"""An empty list says what that means and where to go instead; a search or filter that can find nothing, because
the list is empty before any search, is not shown."""
from app.extensions import db
from tests import factories


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_cases_before_any_invitation(client, login, orgs, auth):
    login("municipality_contact", organisation="Lindås")
    page = _page(client, "/saker/")
    assert "Lindås kommune har ingen medlemskapssak ennå. En sak begynner når Bergen kommune inviterer" in page
    assert 'id="status"' not in page and "<table" not in page and "Ingen saker." not in page
    auth.logout()
    login("adviser", organisation="Bergen")
    page = _page(client, "/saker/")
    assert "Det er ingen medlemskapssaker ennå." in page and 'href="/invitasjoner/">Gå til invitasjonene' in page
    assert 'id="status"' not in page


def test_cases_a_filter_finds_none_of(client, login, orgs):
    adviser = login("adviser", organisation="Bergen")
    factories.case(orgs["Lindås"], actor=adviser)
    db.session.commit()
    page = _page(client, "/saker/?status=active")
    assert "Ingen saker har status «Aktiv»." in page and 'href="/saker/">Vis alle saker' in page
    assert 'id="status"' in page and "<table" not in page
    assert "<table" in _page(client, "/saker/")


def test_agreements_before_any_is_sent(client, login, orgs):
    login("signatory", organisation="Lindås")
    page = _page(client, "/avtaler/")
    assert "Lindås kommune har ingen samarbeidsavtale ennå. Avtalen kommer hit når kommunen har takket ja" in page
    assert 'href="/saker/">Se sakene' in page
    assert 'type="search"' not in page and "Venter på min signatur" not in page and "<table" not in page


def test_agreements_a_search_or_the_waiting_filter_finds_none_of(client, login, orgs):
    signatory = login("signatory", organisation="Bergen")
    factories.active_case(orgs["Lindås"])
    db.session.commit()
    page = _page(client, "/avtaler/?q=Voss")
    assert "Ingen avtaler passer søket «Voss»." in page and 'href="/avtaler/">Vis alle avtaler' in page
    assert 'type="search"' in page and "<table" not in page
    page = _page(client, "/avtaler/?venter=1")
    assert "Ingen avtaler venter på din signatur nå." in page and "Venter på min signatur" in page
    assert signatory.organisation.is_host and "<table" in _page(client, "/avtaler/")


def test_subgroups_before_any_is_proposed(client, login, orgs, auth):
    login("project_member", organisation="Universitetet i Bergen")
    page = _page(client, "/undergrupper/")
    assert "Prosjektgruppen har ingen undergrupper ennå. Bruk knappen «Foreslå undergruppe»" in page
    assert 'type="search"' not in page and "<table" not in page
    auth.logout()
    login("municipality_contact", organisation="Lindås")
    assert "Medlemmene i prosjektgruppen foreslår undergrupper" in _page(client, "/undergrupper/")


def test_subgroups_a_search_finds_none_of(client, login, orgs):
    member = login("project_member", organisation="Universitetet i Bergen")
    factories.subgroup(member)
    db.session.commit()
    page = _page(client, "/undergrupper/?q=finnesikke")
    assert "Ingen undergrupper passer søket." in page and 'href="/undergrupper/">Vis alle undergrupper' in page
    assert 'type="search"' in page
