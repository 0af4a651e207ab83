"""The main menu: what each role sees, in one table."""
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request, url_for
from flask_login import current_user

from app.extensions import wiring
from workflows.roles import ADMIN, ADVISER, MUNICIPALITY_CONTACT, PROJECT_MEMBER, SIGNATORY, STEERING_MEMBER


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: tuple[str, ...] = ()  # empty: everyone signed in
    count: str | None = None  # name of a badge counter in app/wiring.py
    text: str = ""  # what the page is for, shown on the home page


NAV = (
    NavItem("main.home", "Forside"),
    NavItem("invitations.round_list", "Invitasjoner", (ADVISER,),
            text="Invitasjonsrunder: send invitasjoner, følg med på svarene og send påminnelser."),
    NavItem("municipality.home", "Min kommune", (MUNICIPALITY_CONTACT,),
            text="Invitasjonen til kommunen din: les brevet og svar før fristen."),
    NavItem("cases.case_list", "Saker", text="Medlemskapssakene: status, historikk og neste steg."),
    NavItem("agreements.agreement_list", "Avtaler", (ADVISER, ADMIN, SIGNATORY, MUNICIPALITY_CONTACT),
            count="agreements_to_sign", text="Samarbeidsavtalene: les, last ned som PDF og signer."),
    NavItem("members.index", "Medlemskap", (ADVISER, ADMIN, MUNICIPALITY_CONTACT, SIGNATORY),
            text="Medlemskommunene: representanter, administrativ kontaktperson, bidrag og årlig vurdering."),
    NavItem("contributions.contribution_list", "Bidrag", (ADVISER,),
            text="Årlige bidrag per kommune: forventet, fakturert, betalt og utestående."),
    NavItem("cost_keys.key_list", "Fordelingsnøkkel", (ADVISER, ADMIN, STEERING_MEMBER),
            text="Hvordan partene deler kostnaden til FoU-ressursen: utkast, vedtak i styringsgruppen og historikk."),
    NavItem("evaluations.evaluation_list", "Årlig vurdering", (ADVISER,),
            text="Spørsmålene for årets vurdering, og hvem som har svart."),
    NavItem("approvals.inbox", "Godkjenninger", (ADVISER,), count="pending_requests",
            text="Forespørsler som venter på din godkjenning."),
    NavItem("subgroups.subgroup_list", "Undergrupper",
            text="Prosjektgruppens undergrupper: tema, mandat, medlemmer og brukerrepresentanter."),
    NavItem("subgroups.new", "Foreslå undergruppe", (PROJECT_MEMBER,),
            text="Foreslå en ny undergruppe for prosjektgruppen."),
    NavItem("cockpit.overview", "Oversikt", (ADVISER, ADMIN),
            text="Alle kommunene: status, neste frist, søk og filtre, og uttrekk til Excel."),
    NavItem("cockpit.timeline", "Tidslinje", (ADVISER, ADMIN),
            text="Når hver kommune var invitert, medlem, i oppsigelsestid og avsluttet, 2016 til i dag."),
    NavItem("organisations.organisation_list", "Organisasjoner", (ADVISER, ADMIN),
            text="Organisasjonsregisteret: kommunene og de andre partene, med navn og nummer over tid."),
    NavItem("meetings.meeting_list", "Møter",
            text="Styringsgruppemøter og koordineringsmøter: innkalling og referat."),
    NavItem("calendar.settings", "Kalender", text="Frister og møter i din egen kalender (Outlook, Google, telefon)."),
    NavItem("admin.user_list", "Brukere", (ADMIN,), text="Opprett brukere, gi roller og send invitasjonslenker."),
    NavItem("identity.requests", "Tilgang", (ADMIN,), count="identity_requests",
            text="Forespørsler om tilgang fra dem som logger inn med Ansattporten eller Entra ID."),
    NavItem("admin.outbox", "E-post", (ADMIN, ADVISER), text="Utgående e-post: sendt, ventende og feilet."),
    NavItem("admin.audit_log", "Logg", (ADMIN, ADVISER), text="Revisjonsloggen: hvem gjorde hva, og når."),
    NavItem("auth.change_password", "Bytt passord", text="Velg et nytt passord for kontoen din."),
)


def nav_items() -> list[dict]:
    """The menu entries for the signed-in user, with badge counts."""
    roles, endpoint, views = current_user.roles, request.endpoint, current_app.view_functions
    counters = wiring().menu_counters
    return [{
        "url": _url(item.endpoint, request.script_root),
        "label": item.label,
        "active": endpoint == item.endpoint,
        "count": counters[item.count](current_user) if item.count else 0,
        "text": item.text,
    } for item in NAV if (not item.roles or roles.intersection(item.roles)) and item.endpoint in views]


@lru_cache(maxsize=128)
def _url(endpoint: str, script_root: str) -> str:
    """A menu link: the same on every page, so built once for each place the app is mounted."""
    return url_for(endpoint)


def register(app) -> None:
    app.context_processor(lambda: {"nav_items": nav_items})
