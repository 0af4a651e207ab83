"""Every kind of audit event the app writes has its sentence, written once (app/sentences.py), and the history reads
it: who did what to which organisation, who asked for a step that needs approval and who decided, names looked up
when shown (an anonymised person as such), in a fixed number of queries."""
import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app import clock
from app.extensions import db
from app.history import PLACEHOLDERS, lines
from app.models import AuditEvent, MembershipCase
from app.sentences import KINDS, REQUEST_ACTIONS, TOPICS, VARIANTS, request_kind
from app.services import agreements, calendar, cases, mergers, privacy, workflow
from tests import factories
from workflows import MEMBERSHIP, WORKFLOWS

ROOT = Path(__file__).resolve().parent.parent
# The one place that writes an action built from its parts: every workflow's steps.
WORKFLOW_STEPS = ROOT / "app" / "services" / "workflow.py"


def _is_audit_record(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "record" and \
        isinstance(call.func.value, ast.Name) and call.func.value.id == "audit"


def _actions(node: ast.expr, path: Path) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _actions(node.body, path) | _actions(node.orelse, path)
    if isinstance(node, ast.JoinedStr) and path == WORKFLOW_STEPS:
        return {f"{w.name}.{spec.trigger}" for w in WORKFLOWS.values() for spec in w.specs}
    raise AssertionError(f"{path}:{node.lineno}: write the audit event's action as a literal, so that this test "
                         "sees its kind")


def written_kinds() -> set[str]:
    """Every kind of event the app writes: each audit.record call's action, an approval request's events for each
    step that needs approval, and what a migration writes."""
    actions = set()
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _is_audit_record(node):
                actions |= _actions(node.args[1], path)
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        actions |= set(re.findall(r'"action": "([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    kinds = actions - set(REQUEST_ACTIONS)
    for action in actions & set(REQUEST_ACTIONS):
        kinds |= {request_kind(action, w.name, spec.trigger) for w in WORKFLOWS.values() for spec in w.specs
                  if spec.needs_approval}
    return kinds


def test_every_kind_of_event_the_app_writes_has_a_sentence():
    written = written_kinds()
    assert {"membership.give_notice", "request.create:membership.give_notice", "user.session_end",
            "audit.rechain", "evaluation.update_answer"} <= written  # the test sees each way of writing one
    assert sorted(written - set(KINDS)) == [], "add a sentence for these kinds to KINDS in app/sentences.py"


def test_every_sentence_names_only_what_the_history_looks_up():
    used = {name for kind in KINDS.values() for text in (kind.sentence, *kind.variants.values())
            for _, name, _, _ in string.Formatter().parse(text) if name}
    assert sorted(used - set(PLACEHOLDERS)) == []
    assert {kind.topic for kind in KINDS.values()} == set(TOPICS)
    assert {variant for kind in KINDS.values() for variant in kind.variants} == set(VARIANTS)


def _texts(events) -> list[tuple[str, str | None]]:
    return [(line.text, line.approval) for line in lines(events)]


def _history(case: MembershipCase) -> list[AuditEvent]:
    return cases.history(case)


@pytest.fixture
def alver(orgs, adviser):
    """Lindås a member since 2024; its signatory Olav Hauge."""
    case = factories.member_case(orgs["Lindås"], adviser)
    signer = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    db.session.commit()
    return case, signer


def test_the_adviser_confirms_the_notice_the_signatory_gave(alver, adviser):
    case, signer = alver
    with clock.pinned(date(2026, 3, 2)):
        request = agreements.give_notice(case, signer, notice_date=date(2026, 3, 1), reason="Vedtak.")
    with clock.pinned(date(2026, 3, 4)):
        workflow.approve(request, adviser)
    db.session.commit()
    assert _texts(_history(case)[-2:]) == [
        ("Olav Hauge sa opp samarbeidsavtalen for Lindås kommune.", "Godkjent av Marianne N. Solbakk 04.03.2026."),
        ("Marianne N. Solbakk bekreftet oppsigelsen fra Lindås kommune.", "Olav Hauge ba om dette 02.03.2026.")]
    assert lines(_history(case)[-1:])[0].state == "I oppsigelsestid"


def test_a_rejected_or_waiting_request_says_who_asked_and_who_decided(alver, adviser, orgs):
    case, signer = alver
    request = agreements.give_notice(case, signer, notice_date=date(2026, 11, 23), reason="Vedtak.")
    db.session.commit()
    assert _texts(_history(case)[-1:]) == [("Olav Hauge sa opp samarbeidsavtalen for Lindås kommune.",
                                            "Venter på godkjenning fra FoU-rådgiveren.")]
    workflow.reject(request, adviser, "Mangler vedtak.")
    db.session.commit()
    assert _texts(_history(case)[-2:]) == [
        ("Olav Hauge sa opp samarbeidsavtalen for Lindås kommune.", "Avvist av Marianne N. Solbakk 23.11.2026."),
        ("Marianne N. Solbakk avviste oppsigelsen fra Lindås kommune.", "Olav Hauge ba om dette 23.11.2026.")]


def test_signatures_name_the_signer_and_the_party(orgs, adviser):
    olav = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    nina = factories.user("signatory", organisation=orgs["Bergen"], name="Nina Mevold")
    case = factories.signed_case(orgs["Lindås"], adviser, nina, olav)
    db.session.commit()
    assert [text for text, _ in _texts(_history(case))][-3:] == [
        "Olav Hauge signerte samarbeidsavtalen for Lindås kommune.",
        "Nina Mevold signerte samarbeidsavtalen med Lindås kommune for Bergen kommune.",
        "Begge parter har signert samarbeidsavtalen med Lindås kommune."]


def test_an_anonymised_person_is_named_as_anonymised(orgs, adviser):
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
    admin = factories.user("admin", organisation=orgs["Bergen"], name="Sindre Admin")
    case = factories.case(orgs["Lindås"], actor=adviser)
    workflow.perform(case, "accept", contact)
    db.session.commit()
    assert _texts(_history(case))[-1][0] == "Kari Nordtveit svarte ja på invitasjonen for Lindås kommune."
    privacy.anonymise(contact, admin)
    db.session.commit()
    assert _texts(_history(case))[-1][0] == "En anonymisert person svarte ja på invitasjonen for Lindås kommune."
    anonymised = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.anonymise"))
    assert _texts([anonymised]) == [("Sindre Admin anonymiserte en anonymisert person.", None)]


def test_the_clock_and_own_deeds_read_as_sentences(orgs, adviser):
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 1)), adviser)
    workflow.apply(case, MEMBERSHIP.spec("expire_reply"), None)
    calendar.create_token(adviser)
    calendar.revoke(adviser, factories.user("admin", organisation=orgs["Bergen"], name="Sindre Admin"))
    db.session.commit()
    assert _texts(_history(case))[-1] == ("Svarfristen gikk ut uten svar fra Lindås kommune.", None)
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert _texts([created])[0][0] == "Systemet opprettet brukeren Marianne N. Solbakk."
    token_events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("calendar.%"))
                                      .order_by(AuditEvent.seq)).all()
    assert [text for text, _ in _texts(token_events)] == [
        "Marianne N. Solbakk laget en kalenderlenke.", "Sindre Admin slo av kalenderlenken til Marianne N. Solbakk."]


def test_a_case_moved_by_a_merger_names_whose_it_was_before(orgs):
    adviser = factories.adviser(orgs["Bergen"])
    lindas = factories.member_case(orgs["Lindås"], adviser, activated_on=date(2018, 3, 1))
    alver = factories.municipality("Alver kommune", "4631", active_from=date(2020, 1, 1))
    with clock.pinned(date(2020, 1, 6)):
        mergers.record(adviser, [orgs["Lindås"]], alver, date(2020, 1, 1), continued_case_id=lindas.id)
        workflow.perform(lindas, "renew", adviser)
    db.session.commit()
    texts = [text for text, _ in _texts(_history(lindas))]
    assert texts[0] == "Marianne N. Solbakk inviterte Lindås kommune til å bli med i samarbeidet."
    assert "Marianne N. Solbakk registrerte at Alver kommune overtar avtalen til Lindås kommune fra 01.01.2020." \
        in texts
    assert texts[-1] == "Marianne N. Solbakk sendte en ny samarbeidsavtale til Alver kommune for signering."


def test_names_are_looked_up_in_three_queries_however_many_events(orgs, adviser):
    for name in ("Lindås", "Voss", "Askøy", "Fedje"):
        factories.active_case(orgs[name], by=adviser)
    factories.subgroup(factories.user("project_member", organisation=orgs["Voss"]))
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert len(events) > 40

    def queries(some) -> int:
        sent = []
        listener = lambda *args: sent.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            shown = lines(some)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert not any("en person" in line.text or "en organisasjon" in line.text for line in shown)
        return len(sent)

    assert queries(events[:5]) == queries(events) == 3


def test_the_page_line_escapes_what_it_names_and_marks_the_names(alver, adviser):
    case, signer = alver
    signer.name = "Olav <b>Hauge</b> & co"
    with clock.pinned(date(2026, 3, 2)):
        agreements.give_notice(case, signer, notice_date=date(2026, 3, 1), reason="Vedtak.")
    db.session.commit()
    line = lines(_history(case)[-1:])[0]
    assert line.text.startswith("Olav <b>Hauge</b> & co sa opp")
    assert str(line.html) == ('<span translate="no">Olav &lt;b&gt;Hauge&lt;/b&gt; &amp; co</span> sa opp '
                              'samarbeidsavtalen for <span translate="no">Lindås kommune</span>.')
