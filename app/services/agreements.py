"""The cooperation agreement: issued from the shared template, its text and fingerprint, signing, scans, notice."""
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, exists, false, func, select

from app import access, agreement_text, clock, letters
from app.extensions import db
from app.models import Agreement, AgreementDocument, AgreementTemplate, MembershipCase, Organisation, Signature, User
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.models.request import APPROVED, TransitionRequest
from app.models.user import UserRole
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT, SIGNATORY
from app.services import ServiceError, mail, cases, organisations, uploads, workflow
from workflows import add_years, notice_last_day
from workflows.membership import AGREEMENT_PENDING

HOST_UNIT = "Byrådsavdeling for helse og omsorg"
TERMS = ("agreement_end", "contribution", "contribution_from", "contribution_to")
_HEADING = re.compile(r"(\d+)\. (.+)")


def fingerprint(text: str) -> str:
    """The SHA-256 of a text, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_template() -> AgreementTemplate:
    """The template of the texts in force, stored the first time an agreement is made from it (a version stored
    before it had a nynorsk text gets that text now: its bokmål text stays as it was)."""
    template = _stored_template()
    if template is None:
        template = AgreementTemplate(version=agreement_text.VERSION, text=agreement_text.TEXT,
                                     sha256=fingerprint(agreement_text.TEXT), created_at=clock.now())
        db.session.add(template)
    if template.text_nn is None:
        template.text_nn, template.sha256_nn = agreement_text.TEXT_NN, fingerprint(agreement_text.TEXT_NN)
    db.session.flush()
    problem = _template_mismatch(template)
    if problem:
        raise ServiceError(problem)
    return template


def template_problem() -> str | None:
    """Why no agreement can be issued from the text in app/agreement_text.py now, or None."""
    template = _stored_template()
    return None if template is None else _template_mismatch(template)


def _stored_template() -> AgreementTemplate | None:
    return db.session.scalar(select(AgreementTemplate).where(AgreementTemplate.version == agreement_text.VERSION))


def _template_mismatch(template: AgreementTemplate) -> str | None:
    # Agreements point at the stored template of their version: a text edited without a new VERSION would be shown
    # (and fingerprinted on the issue page) while the old text was issued.
    if all(template.text_in(language) in (None, agreement_text.text_in(language))
           and template.sha256_in(language) in (None, fingerprint(agreement_text.text_in(language)))
           for language in agreement_text.LANGUAGES):
        return None
    return _("Avtaleteksten er endret uten nytt versjonsnummer: den lagrede malen for versjon %(version)s "
             "er ikke lik teksten i systemet. Ingen avtaler kan sendes før systemansvarlig har gitt den nye teksten "
             "et nytt versjonsnummer (VERSION i app/agreement_text.py).", version=template.version)


def text_matches(agreement: Agreement) -> bool:
    """Whether the agreement's text is still exactly the template text it was issued with."""
    return fingerprint(agreement.text) == agreement.template_hash


# --- the text as a document --------------------------------------------------------------------------------------

@dataclass
class Block:
    kind: str  # "p", "ul" or "signatures"
    text: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class Section:
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # an unknown placeholder stays visible rather than breaking the page


def fields(agreement: Agreement) -> dict[str, str]:
    """The party fields of an agreement, as they read in the text."""
    return _Fields(
        host=agreement.host_name, municipality=agreement.municipality_name,
        contribution=f"{format_decimal(agreement.contribution, '#,##0', locale='nb')} kr",
        period=agreement.period, end_date=agreement.end_date.strftime("%d.%m.%Y"))


def sections(agreement: Agreement) -> list[Section]:
    """The agreement's text as numbered sections with the party fields filled in."""
    values, result = fields(agreement), []
    for chunk in agreement.text.strip().split("\n\n"):
        lines = chunk.strip().split("\n")
        heading = _HEADING.fullmatch(chunk.strip())
        if heading:
            result.append(Section(int(heading[1]), heading[2]))
            continue
        if not result:
            result.append(Section(0, ""))
        if chunk.strip() == "{signatures}":
            result[-1].blocks.append(Block("signatures"))
        elif all(line.startswith("• ") for line in lines):
            result[-1].blocks.append(Block("ul", items=[line[2:].format_map(values) for line in lines]))
        else:
            result[-1].blocks.append(Block("p", text=" ".join(lines).format_map(values)))
    return result


def party_name(agreement: Agreement, party: str) -> str:
    """How a party is named in the signature block."""
    if party == MUNICIPALITY_PARTY:
        return agreement.municipality_name
    return f"{agreement.host_name}, {agreement.host_unit}"


def case_party_name(case: MembershipCase, party: str) -> str:
    """A party of a case in a sentence of today: "Lindås kommune" or "Bergen kommune"."""
    return organisations.official_name(case.organisation) if party == MUNICIPALITY_PARTY else _host_name()


def _host_name() -> str:
    host = db.session.scalar(select(Organisation).where(Organisation.is_host))
    return organisations.official_name(host) if host else "Bergen kommune"


# --- issuing ------------------------------------------------------------------------------------------------------

def proposed_terms(case: MembershipCase, renewal: bool) -> dict:
    """What a new agreement for the case says unless the adviser changes it.

    A first agreement follows the round; a renewal continues the period in force for as many years again.
    Contributions run from the later of the period's first year and this year, to the end date's year.
    """
    previous = case.agreement if renewal else None
    if previous:
        years = previous.contribution_to - previous.contribution_from + 1
        end, first_year, contribution = add_years(previous.end_date, years), previous.end_date.year + 1, \
            previous.contribution
    else:
        end, first_year, contribution = case.round.agreement_end, case.round.contribution_from, case.round.contribution
    return {"agreement_end": end, "contribution": contribution,
            "contribution_from": max(first_year, clock.today().year), "contribution_to": end.year if end else None}


def issue(case: MembershipCase, actor: User | None, data: dict) -> None:
    _new_agreement(case, actor, data, renewal=False)


def renew(case: MembershipCase, actor: User | None, data: dict) -> None:
    _new_agreement(case, actor, data, renewal=True)


def retire_declined(case: MembershipCase, actor: User | None, data: dict) -> None:
    """A declined agreement is signed no further; the adviser issues a new one."""
    _supersede(case)


def _supersede(case: MembershipCase) -> None:
    """Retire the case's current agreement and its signatures; both stay as history."""
    now = clock.now()
    for signature in case.signatures:
        signature.superseded_at = now
    if case.agreement:
        case.agreement.superseded_at = now
    db.session.flush()
    db.session.expire(case, ["agreement", "signatures"])


def _new_agreement(case: MembershipCase, actor: User | None, data: dict, renewal: bool) -> Agreement:
    """Issue an agreement from the current template with the case's party fields; earlier ones become history."""
    terms = proposed_terms(case, renewal) | {key: data[key] for key in TERMS if data.get(key) is not None}
    end = terms["agreement_end"]
    end = date.fromisoformat(end) if isinstance(end, str) else end
    first, last, amount = (int(terms[k]) if terms[k] is not None else None
                           for k in ("contribution_from", "contribution_to", "contribution"))
    if end is None:
        raise ServiceError(_("Oppgi hvor lenge avtalen skal gjelde."), field="agreement_end")
    if end <= clock.today():
        raise ServiceError(_("Avtalen må gjelde til en dato etter i dag."), field="agreement_end")
    if amount is None or amount < 0:
        raise ServiceError(_("Oppgi det årlige bidraget i hele kroner."), field="contribution")
    if first is None or last is None or first > last:
        raise ServiceError(_("Bidragsperioden må starte senest det året den slutter."), field="contribution_from")
    if last > end.year:
        raise ServiceError(_("Bidragsperioden kan ikke vare lenger enn avtalen."), field="contribution_to")
    _supersede(case)
    template = current_template()
    language = letters.locale_of(case.organisation)
    agreement = Agreement(
        case_id=case.id, template=template, language=language, template_hash=template.sha256_in(language),
        host_name=_host_name(),
        host_unit=HOST_UNIT, municipality_name=organisations.official_name(case.organisation), contribution=amount,
        contribution_from=first, contribution_to=last, end_date=end, issued_at=clock.now(),
        issued_by_id=actor.id if actor else None)
    db.session.add(agreement)
    db.session.flush()
    db.session.expire(case, ["agreement", "agreements"])
    case.agreement_end = end
    case.agreement_start = None
    return agreement


# --- signing ------------------------------------------------------------------------------------------------------

def signing_party(case: MembershipCase, user: User) -> str | None:
    """The party `user` signs for: a signatory of the municipality, or a signatory of Bergen (the host)."""
    if SIGNATORY not in user.roles or user.organisation is None:
        return None
    if user.organisation_id == case.organisation_id:
        return MUNICIPALITY_PARTY
    return HOST_PARTY if user.organisation.is_host else None


def may_sign_now(agreement: Agreement, user: User) -> bool:
    """Whether the signing form is open to `user` for this agreement right now."""
    party = signing_party(agreement.case, user)
    return party is not None and is_open(agreement) and agreement.signed_by(party) is None


def is_open(agreement: Agreement) -> bool:
    """Whether the agreement is the case's current one and waiting for signatures."""
    return agreement.superseded_at is None and agreement.case.state == AGREEMENT_PENDING


def sign(agreement: Agreement, user: User, *, title: str, confirmed: bool):
    """The signed-in signatory signs for their party: name and date from the sign-in, the title as confirmed."""
    party = signing_party(agreement.case, user)
    if party is None:
        raise ServiceError(_("Bare en signaturberettiget for en av partene kan signere avtalen."))
    _check_open(agreement, party)
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Skriv tittelen din."), field="title")
    if not confirmed:
        raise ServiceError(_("Kryss av for å bekrefte at du signerer på vegne av %(party)s.",
                             party=party_name(agreement, party)),
                           field="confirm")
    return cases.sign(agreement.case, party, user, name=user.name, title=title, signed_on=clock.today())


def _check_open(agreement: Agreement, party: str) -> None:
    if agreement.superseded_at is not None:
        raise ServiceError(_("Denne avtalen er erstattet av en nyere og kan ikke signeres."))
    if agreement.case.state != AGREEMENT_PENDING:
        raise ServiceError(_("Avtalen kan bare signeres mens den venter på signering."))
    if agreement.signed_by(party):
        raise ServiceError(_("%(party)s har allerede signert avtalen.", party=party_name(agreement, party)),
                           field="party")


def register_upload(agreement: Agreement, adviser: User, *, party: str, name: str, title: str, signed_on: date,
                    filename: str, content: bytes):
    """The adviser registers a party's signature from a scanned signed copy, which is kept with the agreement."""
    if ADVISER not in adviser.roles:
        raise ServiceError(_("Bare FoU-rådgiveren kan registrere en skannet avtale."))
    if party not in (MUNICIPALITY_PARTY, HOST_PARTY):
        raise ServiceError(_("Velg hvilken part som har signert."), field="party")
    _check_open(agreement, party)
    uploads.check_pdf(content, field="document")
    if signed_on > clock.today():
        raise ServiceError(_("Datoen for signaturen kan ikke være frem i tid."), field="signed_on")
    if signed_on < clock.day_of(agreement.issued_at):
        raise ServiceError(_("Datoen for signaturen kan ikke være før avtalen ble sendt til signering."),
                           field="signed_on")
    document = AgreementDocument(
        agreement_id=agreement.id, party=party, filename=uploads.safe_filename(filename, "signert-avtale"),
        content_type="application/pdf", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        content=content, uploaded_by_id=adviser.id, uploaded_at=clock.now())
    db.session.add(document)
    db.session.flush()
    return cases.sign(agreement.case, party, adviser, name=name.strip(), title=title.strip(),
                           signed_on=signed_on, method="upload", document=document)


# --- notice -------------------------------------------------------------------------------------------------------

def notice_last_day_on(case: MembershipCase, notice_date: date) -> date:
    """The last day of membership after a notice given on `notice_date`."""
    return notice_last_day(notice_date, case.end_date)


def check_notice_date(case: MembershipCase, notice_date: date) -> None:
    """Refuse a notice dated ahead, or before the agreement took effect."""
    if notice_date > clock.today():
        raise ServiceError(_("Oppsigelsen kan ikke dateres frem i tid."), field="notice_date")
    if case.agreement_start and notice_date < case.agreement_start:
        raise ServiceError(_("Oppsigelsen kan ikke dateres før avtalen trådte i kraft (%(date)s).",
                             date=case.agreement_start.strftime("%d.%m.%Y")), field="notice_date")


def give_notice(case: MembershipCase, user: User, *, notice_date: date, reason: str | None):
    """A signatory gives written notice for their party; the adviser confirms receipt (approval)."""
    party = signing_party(case, user)
    if party is None:
        raise ServiceError(_("Bare en signaturberettiget for en av partene kan si opp avtalen."))
    check_notice_date(case, notice_date)
    return workflow.perform(case, "give_notice", user, comment=reason,
                            data={"notice_date": notice_date.isoformat(), "notice_by": party})


def notice_request(request: TransitionRequest) -> dict | None:
    """The facts of a notice waiting for the adviser's confirmation: who, dated when, the last day of membership."""
    if request.trigger != "give_notice" or not request.data:
        return None
    data = json.loads(request.data)
    case = db.session.get(MembershipCase, request.object_id)
    notice_date = date.fromisoformat(data["notice_date"])
    return {"party": case_party_name(case, data.get("notice_by", MUNICIPALITY_PARTY)), "notice_date": notice_date,
            "last_day": notice_last_day_on(case, notice_date)}


def confirmed_notice(case: MembershipCase) -> TransitionRequest | None:
    """The notice in force on the case, as the signatory gave it and the adviser confirmed it."""
    if case.notice_date is None:
        return None
    return db.session.scalar(select(TransitionRequest).where(
        TransitionRequest.object_type == case.audit_type, TransitionRequest.object_id == case.id,
        TransitionRequest.trigger == "give_notice", TransitionRequest.status == APPROVED)
        .order_by(TransitionRequest.id.desc()).limit(1))


# --- e-mail -------------------------------------------------------------------------------------------------------

def _people(*roles: str, organisation_id: int | None = None, host: bool = False) -> list[User]:
    """The active users with one of `roles`, of one organisation, of the host (Bergen), or anywhere."""
    stmt = select(User).where(User.active.is_(True), User.role_rows.any(UserRole.role.in_(roles)))
    if organisation_id is not None:
        stmt = stmt.where(User.organisation_id == organisation_id)
    if host:
        stmt = stmt.join(User.organisation).where(Organisation.is_host.is_(True))
    return list(db.session.scalars(stmt.order_by(User.name, User.id)))


def _path(endpoint: str, **values) -> str:
    """A path in the app, built without a request (hooks also run from the command line)."""
    return current_app.url_map.bind("").build(endpoint, values)


def tell_ready_to_sign(case: MembershipCase, actor: User | None, data: dict) -> None:
    """The municipality's signatories and contact persons hear that the agreement waits for signing."""
    agreement = case.agreement
    path = _path("agreements.agreement_page", agreement_id=agreement.id)
    for user in _people(SIGNATORY, MUNICIPALITY_CONTACT, organisation_id=case.organisation_id):
        mail.queue(user.email, _l("Samarbeidsavtalen er klar til signering"), "agreement_issued",
                   locale=letters.locale_of(case.organisation),
                   dedupe_key=f"agreement-issued:{agreement.id}:{user.id}", case=case, agreement=agreement,
                   user=user, signs=SIGNATORY in user.roles, path=path)


def tell_notice_confirmed(case: MembershipCase, actor: User | None, data: dict) -> None:
    """The adviser confirmed a written notice: the other party's signatories and the advisers hear of it."""
    party = case.notice_by or MUNICIPALITY_PARTY
    if party == MUNICIPALITY_PARTY:
        other = _people(SIGNATORY, host=True)
    else:
        other = _people(SIGNATORY, organisation_id=case.organisation_id)
    recipients = {user.id: user for user in other + _people(ADVISER)}
    request = confirmed_notice(case)
    subject = _l("Oppsigelse av samarbeidsavtalen: %(name)s", name=organisations.official_name(case.organisation))
    path = _path("cases.case_page", case_id=case.id)
    for user in recipients.values():
        mail.queue(user.email, subject, "notice_confirmed", locale=letters.locale_of(user.organisation),
                   dedupe_key=f"notice:{case.id}:{case.notice_date}:{user.id}",
                   case=case, user=user, party=case_party_name(case, party),
                   reason=request.comment if request else None, path=path)


# --- lists --------------------------------------------------------------------------------------------------------

def for_case(case: MembershipCase) -> list[Agreement]:
    """Every agreement of a case, the newest first (loaded once per case and request)."""
    return case.agreements


def current() -> Select:
    """The agreements in force or being signed (not superseded), joined to their case."""
    return select(Agreement).join(Agreement.case).where(Agreement.superseded_at.is_(None))


def visible_to(user: User) -> Select:
    """The agreements in force or being signed that `user` may see: everything for Bergen, else their own."""
    return current().where(access.visible(user, MembershipCase.organisation_id))


def awaiting(user: User, stmt: Select) -> Select:
    """Narrow `stmt` to the agreements waiting for `user`'s signature."""
    if SIGNATORY not in user.roles or user.organisation is None:
        return stmt.where(false())
    return awaiting_party(HOST_PARTY if user.organisation.is_host else MUNICIPALITY_PARTY, stmt)


def awaiting_party(party: str, stmt: Select) -> Select:
    """Narrow `stmt` (agreements joined to their case) to those waiting for `party`'s signature."""
    signed = exists().where(Signature.agreement_id == Agreement.id, Signature.party == party,
                            Signature.superseded_at.is_(None))
    return stmt.where(MembershipCase.awaiting_signatures, ~signed)


def awaiting_count(user: User) -> int:
    if SIGNATORY not in user.roles:
        return 0
    return db.session.scalar(select(func.count()).select_from(awaiting(user, visible_to(user)).subquery()))
