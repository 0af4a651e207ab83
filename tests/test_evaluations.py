"""The annual evaluation: the adviser's questions, one answer per member municipality, who has not answered."""
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, EvaluationResponse
from app.services import ServiceError, evaluations
from tests import factories
from tests.conftest import post
from tests.races import twin_saved_first


@pytest.fixture
def people(orgs):
    people = {
        "adviser": factories.user("adviser", organisation=orgs["Bergen"]),
        "lindas_contact": factories.user("municipality_contact", organisation=orgs["Lindås"]),
        "voss_contact": factories.user("municipality_contact", organisation=orgs["Voss"]),
        "os_contact": factories.user("municipality_contact", organisation=orgs["Os"]),
    }
    for name in ("Lindås", "Voss"):
        factories.member_case(orgs[name], people["adviser"], activated_on=date(2025, 2, 1))
    db.session.commit()
    return people


def _answer(client, year, texts, token_from=None):
    path = f"/medlemskap/vurdering/{year}/svar"
    evaluation = evaluations.for_year(year)
    data = {f"q{q.id}": text for q, text in zip(evaluation.questions, texts)}
    return post(client, path, data, token_from=token_from or path)


def test_adviser_sees_who_has_and_has_not_answered(client, auth, orgs, people):
    auth.login(people["adviser"])
    post(client, "/medlemskap/vurdering", {"year": "2026", "questions": "Hva fungerte?\n\nHva bør endres?\n"},
         token_from="/medlemskap/vurdering")
    evaluation = evaluations.for_year(2026)
    assert [q.text for q in evaluation.questions] == ["Hva fungerte?", "Hva bør endres?"]
    auth.logout()

    auth.login(people["lindas_contact"])
    assert "Svar nå" in client.get(f"/medlemskap/{orgs['Lindås'].id}").get_data(as_text=True)
    assert _answer(client, 2026, ["Nettverket.", "Flere digitale møter."]).status_code == 302
    auth.logout()

    auth.login(people["adviser"])
    html = client.get("/medlemskap/vurdering/2026").get_data(as_text=True)
    assert "1 av 2 medlemskommuner har svart." in html
    lindas_row = html[html.index(">Lindås<"):html.index(">Voss<")]
    voss_row = html[html.index(">Voss<"):]
    assert "Har svart" in lindas_row and "Har ikke svart" in voss_row[:400]
    assert "Flere digitale møter." in html and ">Os<" not in html
    assert [(o.name, r is not None) for o, r in evaluations.status(evaluation)] == [("Lindås", True), ("Voss", False)]


def test_answer_can_be_changed_until_the_year_is_closed(client, auth, orgs, people):
    evaluation = evaluations.create(2026, ["Hva fungerte?"], people["adviser"])
    db.session.commit()
    auth.login(people["lindas_contact"])
    _answer(client, 2026, ["Første svar."])
    _answer(client, 2026, ["Andre svar."])
    response = evaluations.response_of(evaluation, orgs["Lindås"])
    assert response.answer_to(evaluation.questions[0]) == "Andre svar."
    assert len(db.session.scalars(select(EvaluationResponse)).all()) == 1
    evaluations.close(evaluation, people["adviser"])
    db.session.commit()
    closed = _answer(client, 2026, ["Tredje svar."], token_from=f"/medlemskap/{orgs['Lindås'].id}")
    assert closed.status_code == 403
    db.session.expire_all()
    assert evaluations.response_of(evaluation, orgs["Lindås"]).answer_to(evaluation.questions[0]) == "Andre svar."
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "evaluation")).all()
    assert actions == ["evaluation.create", "evaluation.answer", "evaluation.update_answer", "evaluation.close"]
    unanswered = evaluations.create(2025, ["Hva fungerte?"], people["adviser"])
    assert evaluations.responses_of([evaluation, unanswered], orgs["Lindås"]) == \
        {evaluation.id: response, unanswered.id: None}
    assert evaluations.responses_of([evaluation], orgs["Voss"]) == {evaluation.id: None}


def test_every_question_needs_an_answer(client, auth, people):
    evaluations.create(2026, ["Spørsmål en?", "Spørsmål to?"], people["adviser"])
    db.session.commit()
    auth.login(people["lindas_contact"])
    response = _answer(client, 2026, ["Bare ett svar.", ""])
    assert response.status_code == 200 and "Feltet må fylles ut." in response.get_data(as_text=True)
    assert db.session.scalars(select(EvaluationResponse)).all() == []


def test_only_member_municipalities_answer(client, auth, people, orgs):
    evaluation = evaluations.create(2026, ["Hva fungerte?"], people["adviser"])
    db.session.commit()
    asked = sorted(org.name for org in orgs.values() if evaluations.is_asked(evaluation, org))
    assert asked == sorted(org.name for org in orgs.values() if org.id in evaluations.expected(evaluation)) == \
        ["Lindås", "Voss"]
    with pytest.raises(ServiceError, match="var ikke medlemskommune i 2026"):
        evaluations.answer(evaluation, orgs["Os"], people["os_contact"], {evaluation.questions[0].id: "Ja"})
    auth.login(people["os_contact"])
    assert client.get("/medlemskap/vurdering/2026/svar").status_code == 404
    auth.logout()
    auth.login(people["lindas_contact"])
    assert client.get("/medlemskap/vurdering/2026/svar").status_code == 200


@pytest.mark.parametrize("year,questions,message", [
    (2026, "", "Feltet må fylles ut."),
    (2027, "Spørsmål?", "fram i tid"),
    (2026, "\n".join(f"Spørsmål {n}?" for n in range(11)), "høyst 10"),
])
def test_new_evaluation_is_checked(client, auth, people, year, questions, message):
    auth.login(people["adviser"])
    response = post(client, "/medlemskap/vurdering", {"year": str(year), "questions": questions},
                    token_from="/medlemskap/vurdering")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert evaluations.all_years() == []


def test_a_second_response_for_the_municipality_and_year_saved_at_once_shows_the_conflict_page(client, auth, orgs,
                                                                                               people):
    evaluation = evaluations.create(2026, ["Hva fungerte?"], people["adviser"])
    db.session.commit()
    auth.login(people["lindas_contact"])
    with twin_saved_first(EvaluationResponse) as twin:
        response = _answer(client, 2026, ["Nettverket."])
    assert twin and response.status_code == 409
    assert "Noen andre registrerte det samme akkurat nå." in response.get_data(as_text=True)
    db.session.expire_all()
    assert evaluations.response_of(evaluation, orgs["Lindås"]) is None


def test_the_answer_status_pages_through_the_municipalities(client, auth, orgs, people, monkeypatch):
    from app.evaluations import routes
    monkeypatch.setattr(routes, "PER_PAGE", 1)
    evaluations.create(2026, ["Hva fungerte?"], people["adviser"])
    db.session.commit()
    auth.login(people["adviser"])
    first, second = (client.get(f"/medlemskap/vurdering/2026?page={n}").get_data(as_text=True) for n in (1, 2))
    assert ">Lindås<" in first and ">Voss<" not in first and ">Voss<" in second and ">Lindås<" not in second
    assert "0 av 2 medlemskommuner har svart." in second and "Side 2 av 2 (2 treff)" in second


def test_who_is_asked_is_read_once_per_content_version(client, auth, orgs, people, monkeypatch):
    """The status (who is asked, the page's answers) and the list of years are stored as read; an answer (a change
    to the data) reads them again."""
    from app.services import members
    evaluations.create(2026, ["Hva fungerte?"], people["adviser"])
    db.session.commit()
    auth.login(people["adviser"])
    assert "0 av 2 medlemskommuner har svart." in client.get("/medlemskap/vurdering/2026").get_data(as_text=True)
    assert "0 av 2" in client.get("/medlemskap/vurdering").get_data(as_text=True)
    reads = []
    monkeypatch.setattr(members, "answering_ids",
                        lambda years, read=members.answering_ids: reads.append(1) or read(years))
    monkeypatch.setattr(evaluations, "status", lambda *args, read=evaluations.status: reads.append(2) or read(*args))
    for path in ("/medlemskap/vurdering/2026", "/medlemskap/vurdering", "/medlemskap/vurdering/2026/avslutt"):
        client.get(path)
    assert reads == []
    auth.logout()
    auth.login(people["lindas_contact"])
    assert _answer(client, 2026, ["Nettverket."]).status_code == 302
    auth.logout()
    auth.login(people["adviser"])
    reads.clear()  # the home page's own copy
    html = client.get("/medlemskap/vurdering/2026").get_data(as_text=True)
    assert "1 av 2 medlemskommuner har svart." in html and "Nettverket." in html
    assert "1 av 2" in client.get("/medlemskap/vurdering").get_data(as_text=True)
    assert reads == [1, 2, 1]
