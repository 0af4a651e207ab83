"""Who is a member and when; the administrative contact; what ends when a membership ends."""
from datetime import date, timedelta

from sqlalchemy import and_, or_, select

from app import clock
from app.extensions import db
from app.models import AdministrativeContact, AuditEvent, MembershipCase, Organisation, User
from app.models.user import ADMIN, ADVISER, MUNICIPALITY_CONTACT, SIGNATORY
from app.services import audit, cases
from workflows.membership import ACTIVE, AGREEMENT_PENDING, EXPIRED, NOTICE_GIVEN, SIGNED, TERMINATED

MEMBER_STATES = (ACTIVE, NOTICE_GIVEN)
# A member renewing its agreement stays a member while the new one is being signed.
RENEWING = (AGREEMENT_PENDING, SIGNED)
ENDED = (TERMINATED, EXPIRED)


def member_periods(case: MembershipCase) -> list[tuple[date, date | None]]:
    """The stretches the case made its municipality a member: (first day, last day, or None while it lasts)."""
    periods, start = [], None
    for event in cases.history(case):
        if not event.to_state:
            continue
        day = event.at.astimezone(clock.OSLO).date()
        if event.to_state in MEMBER_STATES and start is None:
            start = day
        elif event.to_state not in MEMBER_STATES + RENEWING and start is not None:
            periods.append((start, day - timedelta(days=1)))
            start = None
    # A workflow hook runs before the transition's own event is written: the current state decides.
    if case.state in MEMBER_STATES and start is None:
        start = clock.today()
    elif case.state not in MEMBER_STATES + RENEWING and start is not None:
        periods.append((start, clock.today() - timedelta(days=1)))
        start = None
    if start is not None:
        periods.append((start, None))
    if case.state == TERMINATED and case.notice_effective and periods:
        # The tick may run after the effective date; the membership still ended on it.
        first, last = periods[-1]
        periods[-1] = (first, min(last or case.notice_effective, case.notice_effective - timedelta(days=1)))
    return [(first, last) for first, last in periods if last is None or last >= first]


def member_on(organisation: Organisation, day: date) -> bool:
    """Whether the municipality is (or was) a member on `day`; an open membership lasts until a notice takes effect."""
    for case in cases_ever_active(organisation):
        for first, last in member_periods(case):
            if last is None and case.state == NOTICE_GIVEN and case.notice_effective:
                last = case.notice_effective - timedelta(days=1)
            if first <= day and (last is None or day <= last):
                return True
    return False


def member_years(case: MembershipCase) -> list[int]:
    """The calendar years, up to this one, in which the case made its municipality a member for at least a day."""
    years = set()
    for first, last in member_periods(case):
        years.update(range(first.year, (last or clock.today()).year + 1))
    return sorted(years)


def member_case(organisation: Organisation) -> MembershipCase | None:
    """The case that makes the municipality a member today (active, in its notice period, or renewing)."""
    cases = db.session.scalars(select(MembershipCase).where(
        MembershipCase.organisation_id == organisation.id,
        MembershipCase.state.in_(MEMBER_STATES + RENEWING)).order_by(MembershipCase.id.desc()))
    for case in cases:
        if case.state in MEMBER_STATES:
            return case
        periods = member_periods(case)
        if periods and periods[-1][1] is None:
            return case
    return None


def is_member(organisation: Organisation) -> bool:
    return member_case(organisation) is not None


def is_member_today():
    """SQL: whether the organisation of the enclosing query is a member today (for a query over Organisation).

    Like `member_case`: a case renewing its agreement keeps the membership only if it was renewed from one,
    that is if the latest event that started its signing steps came from a member state.
    """
    started_from = select(AuditEvent.from_state).where(
        AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.object_id == MembershipCase.id,
        AuditEvent.to_state.in_(RENEWING), AuditEvent.from_state.not_in(RENEWING)) \
        .order_by(AuditEvent.seq.desc()).limit(1).scalar_subquery()
    return select(MembershipCase.id).where(
        MembershipCase.organisation_id == Organisation.id,
        or_(MembershipCase.state.in_(MEMBER_STATES),
            and_(MembershipCase.state.in_(RENEWING), started_from.in_(MEMBER_STATES)))).exists()


def cases_ever_active(organisation: Organisation | None = None) -> list[MembershipCase]:
    """Every case (of one municipality, or all) that has been a membership, newest first per municipality."""
    stmt = select(MembershipCase).join(Organisation).where(MembershipCase.state.in_(MEMBER_STATES + RENEWING + ENDED)) \
        .order_by(Organisation.name, MembershipCase.id.desc())
    if organisation is not None:
        stmt = stmt.where(MembershipCase.organisation_id == organisation.id)
    return [case for case in db.session.scalars(stmt) if member_periods(case)]


def members_in(year: int) -> list[Organisation]:
    """The municipalities that were members for at least a day of `year`, by name."""
    found = {case.organisation for case in cases_ever_active() if year in member_years(case)}
    return sorted(found, key=lambda o: o.name)


def last_member_case(organisation: Organisation) -> MembershipCase | None:
    """The case that makes the municipality a member now, or else the one that last did."""
    current = member_case(organisation)
    if current:
        return current
    return next(iter(cases_ever_active(organisation)), None)


def sees_all(user: User) -> bool:
    """The adviser and the administrator see every membership, and so do Bergen's signatories (as on the cases)."""
    return user.has_role(ADVISER, ADMIN) or (
        user.organisation is not None and user.organisation.is_host and SIGNATORY in user.roles)


def can_view(user: User, organisation: Organisation) -> bool:
    """Everyone who sees all, and the people of the municipality itself."""
    return sees_all(user) or user.organisation_id == organisation.id


def can_edit(user: User, organisation: Organisation) -> bool:
    """The adviser, or the municipality's own contact person, may change its membership details."""
    return ADVISER in user.roles or (MUNICIPALITY_CONTACT in user.roles and user.organisation_id == organisation.id)


def admin_contact(organisation: Organisation) -> AdministrativeContact | None:
    return db.session.scalar(select(AdministrativeContact).where(
        AdministrativeContact.organisation_id == organisation.id))


def set_admin_contact(organisation: Organisation, actor: User, *, name: str, email: str,
                      title: str | None = None, phone: str | None = None) -> AdministrativeContact:
    """Name or change the municipality's administrative contact person (agreement §10)."""
    contact = admin_contact(organisation)
    before = _contact_facts(contact) if contact else None
    if contact is None:
        contact = AdministrativeContact(organisation_id=organisation.id)
        db.session.add(contact)
    contact.name, contact.email = name.strip(), email.strip().lower()
    contact.title, contact.phone = (title or "").strip() or None, (phone or "").strip() or None
    contact.updated_at, contact.updated_by_id = clock.now(), actor.id
    db.session.flush()
    audit.record(actor, "admin_contact.update", "organisation", organisation.id,
                 data={"before": before, "after": _contact_facts(contact)})
    return contact


def _contact_facts(contact: AdministrativeContact) -> dict:
    return {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone}


def end_membership(case: MembershipCase, effective: date, actor: User | None) -> None:
    """The membership ends on `effective`: terms end the day before; no contributions after the last owed year."""
    from app.services import contributions, representatives  # they import this module

    if member_case(case.organisation) is not None:
        return  # still a member through another case
    last_day = effective - timedelta(days=1)
    reason = f"Medlemskapet ble avsluttet {effective.strftime('%d.%m.%Y')}."
    representatives.end_terms(case.organisation, last_day, actor, reason)
    contributions.stop_after(case.organisation, last_day.year, actor, reason)


def notice_took_effect(case: MembershipCase, actor, data: dict) -> None:
    end_membership(case, case.notice_effective or clock.today(), actor)


def ended_by_merger(case: MembershipCase, actor, data: dict) -> None:
    end_membership(case, clock.today(), actor)
