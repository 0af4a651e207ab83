"""What runs when, in one place: the steps after each transition (in order), the tick's daily jobs, a case's
documents, the calendar feed's sources, what happens when someone becomes a contact person, the menu's badges and
the transitions that have a page of their own.

`create_app` installs this table on the app, and the session hooks on SQLAlchemy; nothing adds itself to either by
being imported. The test
`tests/test_wiring.py` prints it, so "what happens on give_notice?" is answered by reading this file.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.services import (agreement_print, agreements, archive, audit, calendar, cases, conferences, contributions,
                          cost_keys,
                          identities, members, mergers, minutes, news, organisations, payment_reminders, rate_limits,
                          reminders, replies, representatives, rounds, seals, stored_documents, subgroups, waiting)


@dataclass(frozen=True)
class Wiring:
    # (workflow, trigger) -> functions (obj, actor, data) run in the transition's transaction, after the state moved;
    # `data` holds the facts the transition was given and its comment (under "comment").
    after_transition: Mapping[tuple[str, str], tuple[Callable, ...]]
    daily_jobs: tuple[Callable, ...]  # fn(today) -> lines saying what was done; the tick runs them in this order
    case_documents: tuple[Callable, ...]  # fn(case) -> archive.Document list, in this order within a day
    calendar_sources: tuple[Callable, ...]  # fn(user) -> calendar.Entry iterable
    new_contact: tuple[Callable, ...]  # fn(user, actor): a user just became a municipality's contact person
    menu_counters: Mapping[str, Callable]  # badge name (navigation.NAV) -> fn(user) -> int
    # (workflow, trigger) -> endpoint of the page that asks for the step, taking the object's id under the same name
    # as the workflow's generic action page (case_id, ...); the generic page never takes such a step (views.own_page).
    action_pages: Mapping[tuple[str, str], str]

    def after(self, workflow: str, trigger: str) -> tuple[Callable, ...]:
        return self.after_transition.get((workflow, trigger), ())


def _membership(trigger: str, *steps: Callable) -> tuple[tuple[str, str], tuple[Callable, ...]]:
    return ("membership", trigger), steps


def _subgroup(trigger: str, *steps: Callable) -> tuple[tuple[str, str], tuple[Callable, ...]]:
    return ("subgroup", trigger), steps


def _cost_key(trigger: str, *steps: Callable) -> tuple[tuple[str, str], tuple[Callable, ...]]:
    return ("cost_key", trigger), steps


def _registration(trigger: str, *steps: Callable) -> tuple[tuple[str, str], tuple[Callable, ...]]:
    return ("conference_registration", trigger), steps


def _representative(trigger: str, *steps: Callable) -> tuple[tuple[str, str], tuple[Callable, ...]]:
    return ("representative", trigger), steps


WIRING = Wiring(
    after_transition=MappingProxyType(dict([
        _membership("accept", replies.record_reply),
        _membership("decline", replies.record_reply),
        _membership("accept_late", replies.record_reply),
        _membership("decline_late", replies.record_reply),
        _membership("reopen", rounds.reopened),
        _membership("issue_agreement", agreements.issue, agreements.tell_ready_to_sign),
        _membership("renew", agreements.renew, agreements.tell_ready_to_sign),
        _membership("decline_signing", agreements.retire_declined),
        _membership("complete_signing", seals.seal_signed),
        # The agreement takes effect before the ledger reads its years.
        _membership("activate", cases.agreement_in_force, contributions.owed_from_activation),
        # The notice is recorded on the case before the mail about it is written from the case.
        _membership("give_notice", cases.record_notice, agreements.tell_notice_confirmed),
        _membership("withdraw_notice", cases.clear_notice),
        _membership("terminate", members.end_membership),
        _membership("expire", members.end_membership),
        _membership("end_by_merger", members.end_membership),
        _subgroup("approve", subgroups.record_decision),
        _subgroup("reject", subgroups.record_decision),
        _subgroup("establish", subgroups.members_join),
        _subgroup("close", subgroups.members_leave),
        # The seat is locked and checked before the replaced term is shortened.
        _representative("approve", representatives.hold_seat, representatives.take_over,
                        representatives.tell_proposer),
        _representative("register", representatives.take_over),
        _representative("reject", representatives.tell_proposer),
        # The steering group decides on the figures of the day it gets the key.
        _cost_key("submit", cost_keys.refresh_shares),
        _cost_key("decide", cost_keys.record_decision, cost_keys.bill_decided),
        (("news", "publish"), (news.stamp_published,)),
        # The minutes become an item on the next meeting's agenda, whose decision the approval or return writes.
        (("minutes", "submit"), (minutes.put_on_agenda,)),
        (("minutes", "approve"), (minutes.record_approval,)),
        (("minutes", "return_for_correction"), (minutes.record_return,)),
        _registration("confirm", conferences.tell_confirmed),
        _registration("waitlist", conferences.tell_waitlisted),
        _registration("move_up", conferences.tell_moved_up),
        # The place a cancellation frees goes to the first on the waiting list, who is told by move_up's step.
        _registration("cancel", conferences.freed_place),
    ])),
    # The register first: the day's jobs see the names and numbers that took effect today; mergers before the new
    # year's lines, so that the successor owes the year of the merger.
    daily_jobs=(organisations.refresh_current, mergers.apply_due, contributions.new_year_lines,
                cost_keys.new_year_shares, payment_reminders.send_due, reminders.send_due_reminders,
                representatives.remind_ending_terms, rate_limits.prune, identities.prune, seals.seal_due,
                conferences.delete_personal_data),
    case_documents=(archive.invitation_letter, archive.case_history, replies.reply_documents,
                    agreement_print.agreement_documents, seals.sealed_documents, agreement_print.notice_document),
    calendar_sources=(calendar.case_dates, calendar.meeting_dates, representatives.term_end_dates),
    new_contact=(rounds.invite_new_contact,),
    menu_counters=MappingProxyType({"agreements_to_sign": agreements.awaiting_count,
                                    "pending_requests": waiting.actionable_count,
                                    "identity_requests": identities.waiting_count}),
    action_pages=MappingProxyType({
        # The reply pages ask for the contact person and send the receipt.
        ("membership", "accept"): "municipality.reply", ("membership", "decline"): "municipality.reply",
        ("membership", "accept_late"): "municipality.late_reply",
        ("membership", "reopen"): "invitations.extend_case", ("membership", "issue_agreement"): "agreements.issue",
        ("membership", "renew"): "agreements.renew", ("membership", "give_notice"): "agreements.notice",
        # The decision page asks for the meeting, the agenda item and the vedtak.
        ("cost_key", "decide"): "cost_keys.decide"}),
)


# What every database session does around its transactions, in this order per event: the audit chain's head and
# the counter that makes stored downloads stale (SQLAlchemy session events).
SESSION_HOOKS: tuple[tuple[str, Callable], ...] = (
    ("before_commit", audit.write_head),
    ("after_flush", stored_documents.count_flush),
    ("do_orm_execute", stored_documents.count_statement),
    ("after_commit", stored_documents.forget_count),
    ("after_rollback", audit.forget_head),
    ("after_rollback", stored_documents.forget_count),
    ("after_soft_rollback", audit.forget_head),
    ("after_soft_rollback", stored_documents.forget_count),
)


def install(app: Flask) -> None:
    """Read back with `app.extensions.wiring()`. The session hooks are SQLAlchemy's, for every app: added once."""
    app.extensions["wiring"] = WIRING
    for name, hook in SESSION_HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
