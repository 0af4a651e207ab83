"""What each kind of audit event says, written once: the log page, the case history and the other histories read it.

A kind is the event's action ("membership.activate"); an approval request's events are told apart by the step
asked for ("request.create:membership.give_notice"). A sentence names people and things by placeholders that
app/history.py fills in when the page is shown (the events refer to people by id only):
{actor} who did it ("Systemet" when the clock or the app did), {organisation} the municipality or party it is
about, {person} the person it is about, {subject} the round, subgroup, meeting or key it is about, and facts the
event keeps: {year}, {to}, {first_day}, {joined_on}, {left_on}, {predecessor}, {predecessors}, {successor},
{signer}, {signed_for}, {roles}, {decider}, {decision}, {reason}, {count}.

A kind may say something else in one situation (`variants`): "own" when the person it is about did it themselves,
"scanned" when a signature was registered from a scanned agreement.
"""
from dataclasses import dataclass, field
from types import MappingProxyType

from workflows.i18n import N_

# The topics the log's filter offers, in the order it lists them.
TOPICS = MappingProxyType({
    "invitation": N_("Invitasjoner og svar"),
    "agreement": N_("Avtaler og signering"),
    "membership": N_("Medlemskap og oppsigelse"),
    "representative": "Representanter",
    "money": N_("Bidrag og fordelingsnøkkel"),
    "subgroup": "Undergrupper",
    "meeting": N_("Møter, årsrapporter og vurderinger"),
    "register": "Organisasjonsregisteret",
    "account": N_("Brukere og innlogging"),
    "public": N_("Nettsiden og fagkonferansen"),
})
VARIANTS = ("own", "scanned")
# The events about a request for approval: one kind per step that needs approval.
REQUEST_ACTIONS = ("request.create", "request.reject", "request.cancel")


@dataclass(frozen=True)
class Kind:
    topic: str
    label: str  # what the log's filter calls it
    sentence: str
    variants: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


def _kind(topic: str, label: str, sentence: str, **variants: str) -> Kind:
    if topic not in TOPICS or not set(variants) <= set(VARIANTS):
        raise ValueError(f"{label}: unknown topic {topic!r} or variant in {sorted(variants)}")
    return Kind(topic, label, sentence, MappingProxyType(variants))


def request_kind(action: str, workflow_name: str, trigger: str) -> str:
    """The kind of an event about a request: "request.create:membership.give_notice"."""
    return f"{action}:{workflow_name}.{trigger}"


KINDS = MappingProxyType({
    # Invitations and replies
    "round.create": _kind("invitation", N_("Invitasjonsrunde opprettet"),
                          N_("{actor} opprettet invitasjonsrunden «{subject}»")),
    "round.extend_deadline": _kind("invitation", N_("Svarfrist forlenget for en runde"),
                                   N_("{actor} forlenget svarfristen for «{subject}» til {to}")),
    "round.remind": _kind("invitation", N_("Påminnelse sendt"),
                          N_("{actor} sendte påminnelse om «{subject}» ({count} e-poster)")),
    "membership.invite": _kind("invitation", N_("Kommune invitert"),
                               N_("{actor} inviterte {organisation} til å bli med i samarbeidet")),
    "invitation.mailbox": _kind("invitation", N_("Invitasjon sendt til postmottak"),
                                N_("Invitasjonen til {organisation} ble sendt til kommunens postmottak")),
    "invitation.mailbox_contact": _kind(
        "invitation", N_("Ny kontaktperson fra postmottak"),
        N_("{actor} gjorde {person}, som svarte fra postmottaket, til kontaktperson for {organisation}")),
    "invitation.mailbox_contact_declined": _kind(
        "invitation", N_("Ikke kontaktperson fra postmottak"),
        N_("{actor} bestemte at den som svarte fra postmottaket til {organisation}, ikke blir kontaktperson")),
    "membership.accept": _kind("invitation", N_("Svarte ja"), N_("{actor} svarte ja på invitasjonen for {organisation}")),
    "membership.decline": _kind("invitation", N_("Svarte nei"), N_("{actor} svarte nei på invitasjonen for {organisation}")),
    "invitation.reply_update": _kind("invitation", N_("Svar endret"), N_("{actor} endret svaret fra {organisation}")),
    "request.create:membership.accept_late": _kind(
        "invitation", N_("Ba om å svare ja etter fristen"),
        N_("{actor} ba om å få svare ja for {organisation} etter svarfristen")),
    "membership.accept_late": _kind("invitation", N_("Sent ja-svar godtatt"),
                                    N_("{actor} godtok at {organisation} svarte ja etter svarfristen")),
    "request.reject:membership.accept_late": _kind(
        "invitation", N_("Sent ja-svar avvist"), N_("{actor} avviste at {organisation} kan svare ja etter svarfristen")),
    "request.cancel:membership.accept_late": _kind(
        "invitation", N_("Sent ja-svar trukket"),
        N_("{actor} trakk forespørselen om å svare ja for {organisation} etter svarfristen")),
    "membership.decline_late": _kind("invitation", N_("Sent nei-svar registrert"),
                                     N_("{actor} registrerte at {organisation} svarte nei etter svarfristen")),
    "membership.expire_reply": _kind("invitation", N_("Svarfristen gikk ut"),
                                     N_("Svarfristen gikk ut uten svar fra {organisation}")),
    "membership.extend_deadline": _kind("invitation", N_("Svarfrist forlenget for en kommune"),
                                        N_("{actor} forlenget svarfristen for {organisation} til {to}")),
    "membership.reopen": _kind("invitation", N_("Ny svarfrist"), N_("{actor} ga {organisation} ny svarfrist til {to}")),
    "membership.withdraw": _kind("invitation", N_("Invitasjon trukket tilbake"),
                                 N_("{actor} trakk tilbake invitasjonen til {organisation}")),
    "join.request": _kind("invitation", N_("Ba om å bli med"), N_("{organisation} ba om å bli med i samarbeidet")),
    "join.confirm": _kind("invitation", N_("Forespørsel bekreftet fra postmottak"),
                          N_("Postmottaket til {organisation} bekreftet at kommunen vil bli med")),
    "join.decide": _kind("invitation", N_("Forespørsel om å bli med avgjort"),
                         N_("{actor} registrerte at {decider} {decision} forespørselen fra {organisation} om å bli med")),
    # The agreement and its signatures
    "membership.issue_agreement": _kind("agreement", N_("Avtale sendt til signering"),
                                        N_("{actor} sendte samarbeidsavtalen til {organisation} for signering")),
    "agreement.sign": _kind(
        "agreement", N_("Avtale signert"), N_("{signer} signerte samarbeidsavtalen {signed_for}"),
        scanned=N_("{actor} la inn en skannet avtale som {signer} signerte {signed_for}")),
    "membership.complete_signing": _kind("agreement", N_("Begge parter har signert"),
                                         N_("Begge parter har signert samarbeidsavtalen med {organisation}")),
    "membership.decline_signing": _kind("agreement", N_("Signering avslått"),
                                        N_("{actor} avslo å signere samarbeidsavtalen for {organisation}")),
    "membership.renew": _kind("agreement", N_("Avtale fornyet"),
                              N_("{actor} sendte en ny samarbeidsavtale til {organisation} for signering")),
    "membership.expire": _kind("agreement", N_("Avtaleperioden er slutt"),
                               N_("Avtaleperioden for {organisation} er slutt")),
    # Membership, notice and mergers
    "membership.activate": _kind("membership", N_("Medlemskap startet"),
                                 N_("{actor} aktiverte medlemskapet til {organisation}")),
    "request.create:membership.give_notice": _kind(
        "membership", N_("Oppsigelse sendt"), N_("{actor} sa opp samarbeidsavtalen for {organisation}")),
    "membership.give_notice": _kind("membership", N_("Oppsigelse bekreftet"),
                                    N_("{actor} bekreftet oppsigelsen fra {organisation}")),
    "request.reject:membership.give_notice": _kind("membership", N_("Oppsigelse avvist"),
                                                   N_("{actor} avviste oppsigelsen fra {organisation}")),
    "request.cancel:membership.give_notice": _kind(
        "membership", N_("Oppsigelse trukket før den ble bekreftet"),
        N_("{actor} trakk oppsigelsen for {organisation} før den ble bekreftet")),
    "request.create:membership.withdraw_notice": _kind(
        "membership", N_("Ba om å trekke oppsigelsen"), N_("{actor} ba om å trekke oppsigelsen for {organisation}")),
    "membership.withdraw_notice": _kind("membership", N_("Oppsigelse trukket"),
                                        N_("{actor} bekreftet at oppsigelsen for {organisation} er trukket")),
    "request.reject:membership.withdraw_notice": _kind(
        "membership", N_("Avviste å trekke oppsigelsen"),
        N_("{actor} avviste at oppsigelsen for {organisation} blir trukket")),
    "request.cancel:membership.withdraw_notice": _kind(
        "membership", N_("Trakk forespørselen om å trekke oppsigelsen"),
        N_("{actor} trakk forespørselen om å trekke oppsigelsen for {organisation}")),
    "membership.terminate": _kind("membership", N_("Medlemskap avsluttet etter oppsigelse"),
                                  N_("Oppsigelsestiden er ute, og medlemskapet til {organisation} er avsluttet")),
    "membership.end_by_merger": _kind(
        "membership", N_("Medlemskap avsluttet ved sammenslåing"),
        N_("{actor} avsluttet medlemskapet til {organisation} fordi kommunen er slått sammen med en annen")),
    "merger.continue": _kind(
        "membership", N_("Avtale videreført etter sammenslåing"),
        N_("{actor} registrerte at {successor} overtar avtalen til {predecessor} fra {first_day}")),
    # Representatives
    "representative.propose": _kind("representative", N_("Representant foreslått"),
                                    N_("{actor} foreslo {person} som representant for {organisation}")),
    "representative.register": _kind("representative", N_("Representant registrert"),
                                     N_("{actor} registrerte {person} som representant for {organisation}")),
    "representative.approve": _kind("representative", N_("Representant godkjent"),
                                    N_("{actor} godkjente {person} som representant for {organisation}")),
    "representative.reject": _kind("representative", N_("Representant avvist"),
                                   N_("{actor} avviste {person} som representant for {organisation}")),
    "representative.withdraw": _kind("representative", N_("Forslag om representant trukket"),
                                     N_("{actor} trakk forslaget om {person} som representant for {organisation}")),
    "representative.lapse": _kind(
        "representative", N_("Representant bortfalt"),
        N_("{person} er ikke lenger representant for {organisation} fordi medlemskapet slutter")),
    "representative.end": _kind("representative", N_("Representant avsluttet"),
                                N_("{actor} avsluttet perioden til {person} som representant for {organisation}")),
    "admin_contact.update": _kind("representative", N_("Administrativ kontaktperson endret"),
                                  N_("{actor} endret den administrative kontaktpersonen for {organisation}")),
    # Contributions and the cost-sharing key
    "contribution.expect": _kind("money", N_("Bidrag ventet"),
                                 N_("{actor} registrerte at {organisation} skal betale bidrag for {year}")),
    "contribution.invoice": _kind("money", N_("Faktura registrert"),
                                  N_("{actor} registrerte faktura til {organisation} for bidraget for {year}")),
    "contribution.pay": _kind("money", N_("Betaling registrert"),
                              N_("{actor} registrerte at {organisation} har betalt bidraget for {year}")),
    "contribution.remind": _kind("money", N_("Påminnelse om betaling sendt"),
                                 N_("Påminnelse sendt til {organisation} om ubetalt bidrag for {year}")),
    "contribution.cancel": _kind("money", N_("Bidrag annullert"),
                                 N_("{actor} annullerte bidraget fra {organisation} for {year}")),
    "contribution.rekey": _kind("money", N_("Bidrag endret etter ny fordelingsnøkkel"),
                                N_("Bidraget fra {organisation} for {year} følger nå en ny fordelingsnøkkel")),
    "cost_key.create": _kind("money", N_("Utkast til fordelingsnøkkel"),
                             N_("{actor} laget et utkast til fordelingsnøkkel for {subject}")),
    "cost_key.update": _kind("money", N_("Utkast til fordelingsnøkkel endret"),
                             N_("{actor} endret utkastet til fordelingsnøkkel for {subject}")),
    "cost_key.submit": _kind("money", N_("Fordelingsnøkkel sendt til styringsgruppen"),
                             N_("{actor} sendte fordelingsnøkkelen for {subject} til styringsgruppen")),
    "cost_key.return_for_changes": _kind(
        "money", N_("Fordelingsnøkkel sendt tilbake"),
        N_("{actor} sendte fordelingsnøkkelen for {subject} tilbake for endringer")),
    "cost_key.decide": _kind("money", N_("Fordelingsnøkkel vedtatt"),
                             N_("{actor} registrerte styringsgruppens vedtak om fordelingsnøkkelen for {subject}")),
    # Subgroups
    "subgroup.create": _kind("subgroup", N_("Undergruppe foreslått"), N_("{actor} foreslo undergruppen «{subject}»")),
    "subgroup.update": _kind("subgroup", N_("Forslag endret"),
                             N_("{actor} endret forslaget om undergruppen «{subject}»")),
    "subgroup.submit": _kind("subgroup", N_("Forslag sendt inn"),
                             N_("{actor} sendte inn forslaget om undergruppen «{subject}»")),
    "subgroup.second": _kind("subgroup", N_("Forslag støttet"),
                             N_("{actor} støttet forslaget om undergruppen «{subject}»")),
    "subgroup.approve": _kind("subgroup", N_("Undergruppe godkjent"),
                              N_("{actor} registrerte at undergruppen «{subject}» er godkjent")),
    "subgroup.reject": _kind("subgroup", N_("Undergruppe avslått"),
                             N_("{actor} registrerte at forslaget om undergruppen «{subject}» er avslått")),
    "subgroup.return_for_changes": _kind(
        "subgroup", N_("Forslag sendt tilbake"),
        N_("{actor} sendte forslaget om undergruppen «{subject}» tilbake for endringer")),
    "subgroup.establish": _kind("subgroup", N_("Undergruppe etablert"), N_("{actor} etablerte undergruppen «{subject}»")),
    "subgroup.close": _kind("subgroup", N_("Undergruppe avsluttet"), N_("{actor} avsluttet undergruppen «{subject}»")),
    "subgroup.member_add": _kind("subgroup", N_("Medlem lagt til"),
                                 N_("{actor} la til {person} i undergruppen «{subject}» fra {joined_on}")),
    "subgroup.member_remove": _kind(
        "subgroup", N_("Medlem fjernet"),
        N_("{actor} tok {person} ut av undergruppen «{subject}» med {left_on} som siste dag")),
    # Meetings, annual reports and evaluations
    "meeting.create": _kind("meeting", N_("Møte planlagt"), N_("{actor} planla møtet «{subject}»")),
    "meeting.update": _kind("meeting", N_("Møte endret"), N_("{actor} endret møtet «{subject}»")),
    "meeting.minutes": _kind("meeting", N_("Referat lagret"), N_("{actor} lagret referatet fra møtet «{subject}»")),
    "meeting_item.create": _kind("meeting", N_("Sak satt på sakslisten"),
                                 N_("{actor} satte sak {subject} på sakslisten")),
    "meeting_item.update": _kind("meeting", N_("Sak endret"), N_("{actor} endret sak {subject}")),
    "meeting_item.move": _kind("meeting", N_("Sak flyttet"), N_("{actor} flyttet sak {subject} på sakslisten")),
    "meeting_item.remove": _kind("meeting", N_("Sak fjernet fra sakslisten"),
                                 N_("{actor} fjernet en sak fra sakslisten til møtet «{subject}»")),
    "meeting_item.attach": _kind("meeting", N_("Dokument lagt ved en sak"),
                                 N_("{actor} la ved et dokument i sak {subject}")),
    "meeting_item.detach": _kind("meeting", N_("Dokument fjernet fra en sak"),
                                 N_("{actor} fjernet et dokument fra sak {subject}")),
    "meeting_item.decide": _kind("meeting", N_("Vedtak registrert"),
                                 N_("{actor} registrerte vedtaket i sak {subject}")),
    "meeting_item.change_decision": _kind("meeting", N_("Vedtak endret"),
                                          N_("{actor} endret det registrerte vedtaket i sak {subject}")),
    "minutes.submit": _kind("meeting", N_("Referat lagt fram til godkjenning"),
                            N_("{actor} la fram referatet fra møtet «{subject}» til godkjenning")),
    "minutes.approve": _kind("meeting", N_("Referat godkjent"),
                             N_("{actor} registrerte at referatet fra møtet «{subject}» er godkjent")),
    "minutes.return_for_correction": _kind(
        "meeting", N_("Referat sendt tilbake for retting"),
        N_("{actor} registrerte at referatet fra møtet «{subject}» ble sendt tilbake for retting")),
    "meeting.attendance": _kind("meeting", N_("Oppmøte registrert"),
                                N_("{actor} registrerte hvem som kom på møtet «{subject}»")),
    "annual_report.generate": _kind("meeting", N_("Årsrapport laget"), N_("{actor} laget årsrapporten for {year}")),
    "evaluation.create": _kind("meeting", N_("Årlig vurdering opprettet"),
                               N_("{actor} opprettet den årlige vurderingen for {year}")),
    "evaluation.close": _kind("meeting", N_("Årlig vurdering avsluttet"),
                              N_("{actor} avsluttet den årlige vurderingen for {year}")),
    "evaluation.answer": _kind("meeting", N_("Svar på årlig vurdering"),
                               N_("{actor} svarte på den årlige vurderingen for {year} for {organisation}")),
    "evaluation.update_answer": _kind(
        "meeting", N_("Svar på årlig vurdering endret"),
        N_("{actor} endret svaret på den årlige vurderingen for {year} for {organisation}")),
    # The register of organisations
    "organisation.register": _kind("register", N_("Organisasjon lagt til"),
                                   N_("{actor} la til {organisation} i organisasjonsregisteret")),
    "organisation.change": _kind("register", N_("Nytt navn eller nummer"),
                                 N_("{actor} registrerte nytt navn eller nummer for {organisation}")),
    "organisation.update": _kind("register", N_("Opplysninger endret"),
                                 N_("{actor} endret opplysningene om {organisation} i registeret")),
    "merger.record": _kind("register", N_("Sammenslåing registrert"),
                           N_("{actor} registrerte at {predecessors} blir {successor} fra {first_day}")),
    "merger.apply": _kind("register", N_("Sammenslåing gjennomført"),
                          N_("{actor} gjennomførte sammenslåingen til {successor} fra {first_day}")),
    # The public website and the annual conference (a registration's person is never named here)
    "news.create": _kind("public", N_("Nyhet skrevet"), N_("{actor} skrev en nyhet")),
    "news.update": _kind("public", N_("Nyhet endret"), N_("{actor} endret en nyhet")),
    "news.publish": _kind("public", N_("Nyhet publisert"), N_("{actor} publiserte en nyhet")),
    "news.unpublish": _kind("public", N_("Nyhet avpublisert"), N_("{actor} tok en nyhet bort fra nettsiden")),
    "news.discard": _kind("public", N_("Nyhet forkastet"), N_("{actor} forkastet et utkast til en nyhet")),
    "conference.create": _kind("public", N_("Konferanse planlagt"), N_("{actor} planla en fagkonferanse")),
    "conference.change": _kind("public", N_("Konferanse endret"), N_("{actor} endret en fagkonferanse")),
    "conference.add_session": _kind("public", N_("Programpost lagt til"),
                                     N_("{actor} la til en post i konferanseprogrammet")),
    "conference.remove_session": _kind("public", N_("Programpost fjernet"),
                                       N_("{actor} fjernet en post fra konferanseprogrammet")),
    "conference.delete_personal_data": _kind("public", N_("Personopplysninger i påmeldinger slettet"),
                                             N_("{actor} slettet personopplysningene i påmeldingene til en "
                                                "fagkonferanse")),
    "conference_registration.confirm": _kind("public", N_("Påmelding med plass"),
                                             N_("En påmelding til fagkonferansen fikk plass")),
    "conference_registration.waitlist": _kind("public", N_("Påmelding på venteliste"),
                                              N_("En påmelding til fagkonferansen kom på venteliste")),
    "conference_registration.move_up": _kind("public", N_("Rykket opp fra ventelisten"),
                                             N_("En påmelding rykket opp fra ventelisten og fikk plass")),
    "conference_registration.cancel": _kind("public", N_("Påmelding avmeldt"),
                                            N_("En påmelding til fagkonferansen ble meldt av")),
    "conference_registration.attend": _kind("public", N_("Møtte på konferansen"),
                                            N_("{actor} registrerte at en deltaker møtte")),
    "conference_registration.mark_absent": _kind("public", N_("Møtte ikke på konferansen"),
                                                 N_("{actor} registrerte at en deltaker ikke møtte")),
    # Users and signing in
    "user.create": _kind("account", N_("Bruker opprettet"), N_("{actor} opprettet brukeren {person}")),
    "user.update": _kind("account", N_("Bruker endret"), N_("{actor} endret opplysningene om {person}"),
                         own=N_("{actor} endret opplysningene om seg selv")),
    "user.role_grant": _kind("account", N_("Fikk rollen administrator eller FoU-rådgiver"),
                             N_("{actor} ga {person} rollen {roles}")),
    "user.invite": _kind("account", N_("Lenke for å velge passord bestilt"),
                         N_("{actor} ba om at {person} får en lenke for å velge passord")),
    "user.password_link": _kind("account", N_("Lenke for å velge passord sendt"),
                                N_("{person} fikk en lenke for å velge passord")),
    "user.password": _kind("account", N_("Passord satt"), N_("{actor} satte nytt passord for {person}"),
                           own=N_("{actor} valgte nytt passord")),
    "user.session_end": _kind("account", N_("Innlogging utløpt"), N_("Innloggingen til {person} ble avsluttet {reason}")),
    "user.export": _kind("account", N_("Personopplysninger hentet ut"),
                         N_("{actor} hentet ut personopplysningene om {person}")),
    "user.anonymise": _kind("account", N_("Person anonymisert"), N_("{actor} anonymiserte {person}")),
    "calendar.token_create": _kind("account", N_("Kalenderlenke laget"), N_("{actor} laget en kalenderlenke for {person}"),
                                   own=N_("{actor} laget en kalenderlenke")),
    "calendar.token_revoke": _kind("account", N_("Kalenderlenke slått av"),
                                   N_("{actor} slo av kalenderlenken til {person}"),
                                   own=N_("{actor} slo av kalenderlenken sin")),
    "user.sign_in_provider": _kind("account", N_("Logget inn med ekstern identitet"),
                                   N_("{person} logget inn med ekstern identitet")),
    "user.sign_in_provider_refused": _kind("account", N_("Innlogging med ekstern identitet avvist"),
                                           N_("En innlogging med ekstern identitet ble avvist")),
    "user.identity_tied": _kind("account", N_("Ekstern identitet koblet til kontoen"),
                                N_("{actor} koblet en ekstern identitet til kontoen til {person}"),
                                own=N_("{actor} koblet en ekstern identitet til kontoen sin")),
    "user.password_forgotten": _kind("account", N_("Ba om lenke for nytt passord"),
                                     N_("{person} ba om en lenke for nytt passord")),
    "user.password_forgotten_unknown": _kind("account", N_("Lenke bedt om til ukjent adresse"),
                                             N_("Noen ba om en lenke for nytt passord til en adresse uten konto")),
    "identity.pending": _kind("account", N_("Første innlogging med ekstern identitet"),
                              N_("Noen logget inn med ekstern identitet for første gang")),
    "identity.code_sent": _kind("account", N_("Engangskode sendt"),
                                N_("En engangskode ble sendt til en konto for å koble til en ekstern identitet")),
    "identity.code_unknown_account": _kind("account", N_("Engangskode bedt om til ukjent adresse"),
                                           N_("Noen ba om en engangskode til en adresse uten konto")),
    "identity.code_wrong": _kind("account", N_("Feil engangskode"), N_("Noen skrev en feil eller utløpt engangskode")),
    "identity.code_confirmed": _kind("account", N_("Engangskoden bekreftet"),
                                     N_("{actor} bekreftet engangskoden og koblet den eksterne identiteten til kontoen")),
    "identity.access_requested": _kind("account", N_("Ba om tilgang"),
                                       N_("Noen som logget inn med ekstern identitet, ba om tilgang")),
    "identity.approved": _kind("account", N_("Tilgang godkjent"), N_("{actor} godkjente en forespørsel om tilgang")),
    "identity.rejected": _kind("account", N_("Tilgang avvist"), N_("{actor} avviste en forespørsel om tilgang")),
    "audit.rechain": _kind("account", N_("Loggen sikret på nytt"),
                           N_("Loggen ble sikret på nytt med appens nøkkel da appen ble oppgradert")),
})


def kinds_in(topic: str) -> list[str]:
    return [key for key, kind in KINDS.items() if kind.topic == topic]
