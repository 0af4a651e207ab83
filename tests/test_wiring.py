"""The wiring table (app/wiring.py): complete, in order, and the only place anything is attached."""
import ast
import pathlib

from app.wiring import WIRING
from workflows import WORKFLOWS

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _name(function) -> str:
    return f"{function.__module__.removeprefix('app.services.')}.{function.__name__}"


def render() -> str:
    """The table as text: what a reader asks ("what happens on give_notice?") answered in order."""
    lines = []
    for (workflow, trigger), steps in WIRING.after_transition.items():
        lines.append(f"{workflow}.{trigger}: " + " → ".join(_name(step) for step in steps))
    for title, functions in (("daily", WIRING.daily_jobs), ("documents", WIRING.case_documents),
                             ("calendar", WIRING.calendar_sources), ("new contact", WIRING.new_contact)):
        lines.append(f"{title}: " + ", ".join(_name(f) for f in functions))
    lines.append("badges: " + ", ".join(f"{key}={_name(f)}" for key, f in WIRING.menu_counters.items()))
    lines.append("pages: " + ", ".join(f"{workflow}.{trigger}={endpoint}"
                                       for (workflow, trigger), endpoint in WIRING.action_pages.items()))
    return "\n".join(lines)


def test_the_table_reads_in_order():
    table = render()
    print(table)
    assert "membership.give_notice: cases.record_notice → agreements.tell_notice_confirmed" in table
    assert "membership.activate: cases.agreement_in_force → contributions.owed_from_activation" in table
    assert "membership.issue_agreement: agreements.issue → agreements.tell_ready_to_sign" in table
    assert "membership.complete_signing: seals.seal_signed\n" in table
    assert "agreement_print.agreement_documents, seals.sealed_documents, agreement_print.notice_document" in table
    for ending in ("terminate", "expire", "end_by_merger"):  # every way a membership ends
        assert f"membership.{ending}: members.end_membership\n" in table
    assert "representative.approve: representatives.hold_seat → representatives.take_over → " \
        "representatives.tell_proposer" in table
    assert "membership.accept_late: replies.record_reply" in table
    assert "membership.reopen: rounds.reopened" in table
    assert "cost_key.decide: cost_keys.record_decision → cost_keys.bill_decided" in table
    assert "daily: organisations.refresh_current, mergers.apply_due, contributions.new_year_lines, " \
        "cost_keys.new_year_shares, payment_reminders.send_due, reminders.send_due_reminders, " \
        "representatives.remind_ending_terms" in table
    assert "documents: archive.invitation_letter, archive.case_history, replies.reply_documents, " in table
    assert "new contact: rounds.invite_new_contact" in table
    assert "membership.accept=municipality.reply, membership.decline=municipality.reply, " \
        "membership.accept_late=municipality.late_reply" in table


def test_every_wired_trigger_exists_in_its_workflow():
    for workflow, trigger in [*WIRING.after_transition, *WIRING.action_pages]:
        assert trigger in {spec.trigger for spec in WORKFLOWS[workflow].specs}, (workflow, trigger)


def test_the_app_uses_the_table(app):
    assert app.extensions["wiring"] is WIRING


def test_action_pages_and_badges_name_real_endpoints(app):
    from app.navigation import NAV

    for endpoint in WIRING.action_pages.values():
        assert endpoint in app.view_functions
    assert {e.count for section in NAV for e in section.entries if e.count} == set(WIRING.menu_counters)


def test_nothing_is_attached_at_import_time():
    """No module appends to a shared list or registers a hook as a side effect of being imported."""
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                    and call.func.attr in ("append", "extend", "update", "register"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.AugAssign) or (
                    isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "attr", None) == "listens_for"
                    for d in node.decorator_list):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} (an event hook: list it in app/wiring.py)")
            if isinstance(node, ast.ImportFrom) and node.lineno > 1 and _after_definitions(tree, node):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} (import at the bottom)")
    assert offenders == []


def _after_definitions(tree: ast.Module, node: ast.stmt) -> bool:
    return any(isinstance(other, (ast.FunctionDef, ast.ClassDef)) and other.lineno < node.lineno
               for other in tree.body)
