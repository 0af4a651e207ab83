"""New municipalities at any time (agreement §1): a municipality not in an open round asks to join on a public
form; the request is confirmed through a link sent to its official mailbox (so nobody joins a municipality by
typing its name); the adviser decides, or records the steering group's decision, and an accepted request continues
as an accepted invitation in the membership workflow."""
from datetime import date

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update

from app import clock, letters
from app.extensions import db
from app.models import JoinRequest, MailboxLink, Organisation, User
from app.models.invitation import YES
from app.models.mailbox_link import ACCEPTED, DECIDERS, DECLINED, JOIN
from app.models.organisation import MUNICIPALITY
from app.services import ServiceError, audit, cases, mail, rate_limits, replies, rounds, users, workflow
from app.services.mailbox_tokens import digest

AUDIT_TYPE = "join_request"
INVALID = _l("Lenken er ugyldig. Bruk lenken i den siste e-posten, eller send forespørselen på nytt.")


def joinable(today: date) -> list[Organisation]:
    """The municipalities that may ask to join today: they exist, are not the host, and neither they nor their
    successor is a member or has an open invitation (the rule of cases.refusals, in SQL)."""
    return list(db.session.scalars(select(Organisation).where(
        Organisation.kind == MUNICIPALITY, Organisation.is_host.is_(False),
        or_(Organisation.active_from.is_(None), Organisation.active_from <= today), cases.may_be_invited_sql())
        .order_by(Organisation.sort_key), cases.invitable_on(today)))


def _limits(organisation_id: int, remote_addr: str | None) -> None:
    config = current_app.config
    rule = rate_limits.Rule(config["JOIN_REQUESTS"], config["JOIN_WINDOW"], config["JOIN_WINDOW"],
                            config["JOIN_MAX_WAIT"])
    wait = rate_limits.first_wait([(f"join:addr:{remote_addr or '-'}", rule), (f"join:org:{organisation_id}", rule)])
    if wait:
        raise rate_limits.RateLimited(_("For mange forespørsler. Prøv igjen om %(wait)s.",
                                        wait=rate_limits.wait_text(wait)), wait)


def request_to_join(organisation_id: int, *, name: str, title: str, email: str,
                    remote_addr: str | None) -> JoinRequest:
    """Record the request and send the confirmation link to the municipality's official mailbox."""
    today = clock.today()
    organisation = next((o for o in joinable(today) if o.id == organisation_id), None)
    if organisation is None:
        raise ServiceError(_("Kommunen kan ikke be om å bli med nå: den er medlem, har en åpen invitasjon eller "
                             "finnes ikke lenger."), field="organisation_id")
    if not organisation.mailbox:
        raise ServiceError(_("%(name)s har ingen registrert postmottaksadresse. Ta kontakt med "
                             "FoU-rådgiveren i Bergen kommune.", name=organisation.display_name),
                           field="organisation_id")
    _limits(organisation.id, remote_addr)
    link = MailboxLink(purpose=JOIN, created_at=clock.now())
    db.session.add(link)
    db.session.flush()
    found = JoinRequest(organisation=organisation, name=name.strip(), title=title.strip(),
                        email=users.normalise_email(email), created_at=clock.now(), link_id=link.id)
    db.session.add(found)
    db.session.flush()
    audit.record(None, "join.request", AUDIT_TYPE, found.id, data={"organisation": organisation.id})
    mail.queue(organisation.mailbox, _l("Bekreft: %(name)s ber om å bli med i Kunnskapskommunen",
                                        name=organisation.display_name),
               "join_confirm", locale=letters.locale_of(organisation), mailbox_link=link, join_request=found,
               organisation=organisation,
               valid_days=current_app.config["JOIN_LINK_MAX_AGE"].days)
    return found


def by_token(token: str) -> JoinRequest:
    """The request a confirmation link belongs to, while the link works (not used, not expired)."""
    found = db.session.scalar(select(JoinRequest).join(MailboxLink, JoinRequest.link_id == MailboxLink.id).where(
        MailboxLink.purpose == JOIN, MailboxLink.token_hash == digest(token or "")))
    if found is None:
        raise ServiceError(str(INVALID))
    link = found.link
    if link.used_at is not None:
        raise ServiceError(_("Forespørselen er allerede bekreftet. FoU-rådgiveren tar kontakt."))
    if clock.now() - link.minted_at > current_app.config["JOIN_LINK_MAX_AGE"]:
        raise ServiceError(_("Lenken er utløpt. Send forespørselen på nytt."))
    return found


def confirm(token: str) -> JoinRequest:
    """The official mailbox confirms the request: it now waits for the decision (in Godkjenninger)."""
    found = by_token(token)
    used = db.session.execute(update(MailboxLink).where(MailboxLink.id == found.link_id,
                                                        MailboxLink.used_at.is_(None))
                              .values(used_at=clock.now()).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise ServiceError(_("Forespørselen er allerede bekreftet."))
    db.session.expire(found.link, ["used_at"])
    audit.record(None, "join.confirm", AUDIT_TYPE, found.id, data={"organisation": found.organisation_id})
    return found


def _awaiting():
    return (JoinRequest.decision.is_(None), MailboxLink.used_at.is_not(None))


def awaiting_decision_query() -> Select:
    """Confirmed requests with no decision yet, oldest first."""
    return select(JoinRequest).join(MailboxLink, JoinRequest.link_id == MailboxLink.id).where(*_awaiting()) \
        .order_by(JoinRequest.id)


def awaiting_count_query():
    return select(func.count()).select_from(JoinRequest).join(
        MailboxLink, JoinRequest.link_id == MailboxLink.id).where(*_awaiting())


def decide(found: JoinRequest, actor: User, *, accept: bool, decided_by: str, decided_on: date | None,
           comment: str | None):
    """Record the decision; accepted, the municipality gets a case that continues as an accepted invitation (a
    round of its own with the standard terms, the requester as its contact in the answer)."""
    if found.decision is not None or found.link.used_at is None:
        raise ServiceError(_("Forespørselen er allerede avgjort, eller ikke bekreftet fra postmottak."))
    if decided_by not in DECIDERS:
        raise ServiceError(_("Velg hvem som har avgjort forespørselen."), field="decided_by")
    today = clock.today()
    decided_on = decided_on or today
    if decided_on > today:
        raise ServiceError(_("Vedtaksdatoen kan ikke være fram i tid."), field="decided_on")
    comment = (comment or "").strip() or None
    if not accept and not comment:
        raise ServiceError(_("Skriv hvorfor forespørselen avslås."), field="comment")
    found.decision, found.decided_by, found.decided_on = (ACCEPTED if accept else DECLINED), decided_by, decided_on
    found.decision_comment, found.recorded_by_id = comment, actor.id
    audit.record(actor, "join.decide", AUDIT_TYPE, found.id, comment=comment,
                 data={"decision": found.decision, "by": decided_by, "on": decided_on.isoformat()})
    if accept:
        found.case = _accepted_case(found, actor, comment)
    return found


def _accepted_case(found: JoinRequest, actor: User, comment: str | None):
    organisation, today = found.organisation, clock.today()
    terms = rounds.round_defaults(today)
    title = _("Innmelding %(name)s %(year)s", name=organisation.name, year=today.year)
    round_ = rounds.create_join_round(actor, organisation, title=title,
                                      **{k: terms[k] for k in ("letter_text", "contribution", "contribution_from",
                                                               "contribution_to", "agreement_end")})
    case = cases.invite(round_, organisation, actor)
    details = replies.ReplyDetails(contact_name=found.name, contact_title=found.title, contact_email=found.email)
    workflow.perform(case, "accept", actor, comment=comment or "Innmelding godkjent.",
                     data={"reply": replies.mailbox_facts(YES, details, comment)})
    return case
