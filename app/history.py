"""Audit events in words people read: "Takk ja", "Signerte avtalen", ..."""
import json
from datetime import date, timedelta

from app.extensions import db
from app.models import AuditEvent, Organisation, Signature, User
from app.services.organisations import official_name
from workflows import WORKFLOWS, WorkflowError

# Actions that are not transitions; other areas add theirs here.
ACTION_LABELS = {
    "membership.invite": "Invitert",
    "membership.extend_deadline": "Svarfristen forlenget",
    "invitation.reply_update": "Oppdaterte svaret",
    "invitation.mailbox": "Invitasjonen sendt til postmottak",
    "invitation.mailbox_contact": "Den som svarte fra postmottak, ble kontaktperson",
    "invitation.mailbox_contact_declined": "Den som svarte fra postmottak, ble ikke kontaktperson",
    "join.request": "Ba om å bli med",
    "join.confirm": "Forespørselen bekreftet fra postmottak",
    "join.decide": "Forespørselen om å bli med avgjort",
    "round.create": "Invitasjonsrunde opprettet",
    "round.extend_deadline": "Svarfristen for runden forlenget",
    "round.remind": "Påminnelse sendt",
    "agreement.sign": "Signerte avtalen",
    "request.reject": "Avviste forespørselen",
    "request.cancel": "Trakk forespørselen",
    "user.create": "Bruker opprettet",
    "user.update": "Bruker endret",
    "user.invite": "Lenke for å velge passord bestilt",
    "user.password_link": "Lenke for å velge passord sendt",
    "user.password": "Passord satt",
    "user.session_end": "Innloggingen utløp",
    "user.role_grant": "Fikk rollen administrator eller FoU-rådgiver",
    "user.password_forgotten": "Ba om lenke for nytt passord",
    "user.password_forgotten_unknown": "Noen ba om lenke for nytt passord til en ukjent adresse",
    "user.sign_in_provider": "Logget inn med ekstern identitet",
    "user.sign_in_provider_refused": "Innlogging med ekstern identitet avvist",
    "user.identity_tied": "Ekstern identitet koblet til kontoen",
    "identity.pending": "Første innlogging med ekstern identitet",
    "identity.code_sent": "Engangskode sendt til kontoen",
    "identity.code_unknown_account": "Engangskode bedt om til en ukjent adresse",
    "identity.code_wrong": "Feil eller utløpt engangskode",
    "identity.code_confirmed": "Engangskoden bekreftet",
    "identity.access_requested": "Ba om tilgang",
    "identity.approved": "Tilgang godkjent",
    "identity.rejected": "Tilgang avvist",
    "subgroup.create": "Forslag til undergruppe opprettet",
    "subgroup.update": "Forslaget endret",
    "subgroup.member_add": "Medlem lagt til",
    "subgroup.member_remove": "Medlem fjernet",
    "user.export": "Personopplysninger hentet ut",
    "user.anonymise": "Person anonymisert",
    "calendar.token_create": "Kalenderlenke laget",
    "calendar.token_revoke": "Kalenderlenke slått av",
    "meeting.create": "Møte planlagt",
    "meeting.update": "Møte endret",
    "meeting.minutes": "Referat lagret",
    "meeting.attendance": "Oppmøte registrert",
    "representative.propose": "Foreslo representant",
    "representative.end": "Avsluttet representantens periode",
    "admin_contact.update": "Endret administrativ kontaktperson",
    "contribution.expect": "Bidrag registrert som forventet",
    "contribution.invoice": "Registrerte faktura for bidrag",
    "contribution.pay": "Registrerte betaling av bidrag",
    "contribution.cancel": "Annullerte bidrag",
    "contribution.rekey": "Bidraget fulgte en ny fordelingsnøkkel",
    "cost_key.create": "Utkast til fordelingsnøkkel laget",
    "cost_key.update": "Utkastet til fordelingsnøkkel endret",
    "evaluation.create": "Opprettet årlig vurdering",
    "evaluation.close": "Avsluttet årlig vurdering",
    "evaluation.answer": "Svarte på årlig vurdering",
    "evaluation.update_answer": "Endret svar på årlig vurdering",
    "organisation.register": "Lagt til i organisasjonsregisteret",
    "organisation.change": "Nytt navn eller nummer registrert",
    "organisation.update": "Opplysninger i organisasjonsregisteret endret",
    "merger.record": "Sammenslåing registrert",
    "merger.apply": "Sammenslåing gjennomført",
}


def _trigger_label(workflow_name: str, trigger: str) -> str:
    try:
        return WORKFLOWS[workflow_name].spec(trigger).label
    except (KeyError, WorkflowError):
        return trigger


def describe(event: AuditEvent) -> str:
    """A bokmål line for what happened in `event`."""
    if event.action == "agreement.sign" and event.data:
        # The event names the signature by id; the name and title as signed are kept with the signature. (Revision
        # 0016 gave the events before it the id where it found the signature.)
        facts = json.loads(event.data)
        signature = db.session.get(Signature, facts["signature"]) if "signature" in facts else None
        who = f": {signature.name}, {signature.title}" if signature else ""
        how = " (skannet avtale)" if facts.get("method") == "upload" else ""
        return f"Signerte avtalen{who}{how}"
    if event.action == "merger.continue" and event.data:
        # The case and its history now belong to the successor; this line keeps whose they were before.
        facts = json.loads(event.data)
        first_day = date.fromisoformat(facts["first_day"])
        before = db.session.get(Organisation, facts["predecessor"])
        after = db.session.get(Organisation, facts["successor"])
        return (f"Videreført av {official_name(after, first_day)} fra {first_day:%d.%m.%Y} etter sammenslåing "
                f"(før: {official_name(before, first_day - timedelta(days=1))})")
    if event.action in ("subgroup.member_add", "subgroup.member_remove") and event.data:
        facts = json.loads(event.data)
        person = db.session.get(User, facts["user_id"])
        when = f"fra {_day(facts['joined_on'])}" if "joined_on" in facts else f"til og med {_day(facts['left_on'])}"
        return f"{ACTION_LABELS[event.action]}: {person.name} ({when})"
    if (event.action.endswith(".extend_deadline") or event.action == "membership.reopen") and event.data:
        new = date.fromisoformat(json.loads(event.data)["to"])
        label = ACTION_LABELS.get(event.action) or _trigger_label("membership", "reopen")
        return f"{label} til {new:%d.%m.%Y}"
    if event.action in ACTION_LABELS:
        label = ACTION_LABELS[event.action]
        if event.action.startswith("request.") and event.data:
            trigger = json.loads(event.data).get("trigger", "")
            return f"{label}: «{_trigger_label(_workflow_of(event), trigger)}»"
        return label
    if event.action == "request.create":
        trigger = json.loads(event.data or "{}").get("trigger", "")
        return f"Ba om godkjenning: «{_trigger_label(_workflow_of(event), trigger)}»"
    workflow_name, _, trigger = event.action.partition(".")
    if workflow_name in WORKFLOWS:
        return _trigger_label(workflow_name, trigger)
    return event.action


def _day(iso: str) -> str:
    """2026-11-23 as 23.11.2026."""
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


def _workflow_of(event: AuditEvent) -> str:
    from app.models import STATEFUL

    model = STATEFUL.get(event.object_type)
    return model.workflow.name if model else ""


def state_label(workflow_name: str, state: str | None) -> str:
    if not state:
        return ""
    try:
        return WORKFLOWS[workflow_name].label(state)
    except (KeyError, WorkflowError):
        return state


def register(app) -> None:
    app.jinja_env.filters.update(describe=describe)
    app.jinja_env.globals.update(state_label=state_label)
