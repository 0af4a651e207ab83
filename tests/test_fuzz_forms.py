"""Every form, posted with hostile values: never a 5xx, and what comes back is escaped.

Each form gets a valid submission first (it must succeed: proof that the fuzzing reaches the code behind the form),
then one bad value per field over that valid base (a sweep of known troublemakers), then hypothesis-generated
mixtures. Objects a successful post uses up (an agreement once signed, an answered invitation) are made afresh for
each submission.
"""
import ast
import importlib
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select
from wtforms import (BooleanField, DateField, FieldList, FileField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TimeField)
from wtforms.fields.core import UnboundField
from wtforms.validators import EqualTo, Length, NumberRange

import app as app_package
from app import clock, forms
from app.extensions import db
from app.models import Contribution, JoinRequest, MailboxLink, PendingIdentity, Subgroup, User
from app.models.meeting import STEERING_MEETING
from app.models.case import MUNICIPALITY_PARTY
from app.models.mailbox_link import JOIN, REPLY
from app.safe_input import MAX_ID
from app.services import (conferences, contributions, cost_keys, evaluations, mailbox_tokens, meeting_items, meetings,
                          news, password_links, representatives, subgroups, workflow)
from tests import factories, security_world
from tests.conftest import Auth, csrf_token
from workflows.key_shares import PERCENT

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, "<img src=x onerror=alert(1)>")
SQL = "'; DROP TABLE user; --"
CONTROL = "a\x00b\x01c\x08\x0b\x1b\x1f\x7fd\u0085\u2028e"
UNICODE = "Ærlig talt 🙂 \u202eesrever\u202c Z\u0351\u0352a"
TODAY = "2026-11-23"
TEXT_BAD = (SCRIPT, IMG, SQL, CONTROL, UNICODE, "", "   ")
DATE_BAD = ("0001-01-01", "9999-12-31", "2026-02-31", "31.02.2026", "abc", "", "20261-01-01")
INT_BAD = ("abc", "", "-1", "1.5", "99999999999999999999", "-2147483649", "2147483648")
TIME_BAD = ("25:00", "12:60", "abc", "", "23:59")
CHOICE_BAD = ("", "abc", "-1", "99999999999999999999")
FLAG_BAD = ("", "nei", "\x00")
MAX_EXAMPLES = 12


# --- which fields a form has, and what bad values suit each ---------------------------------------------------------

@dataclass(frozen=True)
class Input:
    """What an input takes: its kind of value, and for text its maximum length."""

    kind: str
    max_length: int | None = None


def _unbound_fields(form_class) -> dict[str, UnboundField]:
    return {name: value for name in dir(form_class) if isinstance(value := getattr(form_class, name), UnboundField)}


def _validators(unbound: UnboundField) -> list:
    return list(unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else []))


def _max_length(unbound: UnboundField) -> int | None:
    return next((v.max for v in _validators(unbound) if isinstance(v, Length) and v.max >= 0), None)


def _kind(field_class) -> str | None:
    for kind, classes in (("submit", SubmitField), ("flag", BooleanField), ("file", FileField),
                          ("date", DateField), ("time", TimeField), ("int", IntegerField),
                          ("multi", SelectMultipleField), ("choice", SelectField), ("text", StringField)):
        if issubclass(field_class, classes):
            return kind
    return None


def fields_of(form_class, prefix: str = "") -> dict[str, Input]:
    """The form's input names (with prefix, and two rows of a field list) and the kind of value each takes."""
    found = {}
    for name, unbound in _unbound_fields(form_class).items():
        if unbound.field_class is FieldList:
            inner = unbound.args[0].args[0]
            for row in (0, 1):
                found.update(fields_of(inner, f"{prefix}{name}-{row}-"))
            continue
        kind = _kind(unbound.field_class)
        assert kind, f"{form_class.__name__}.{name}: unknown field type {unbound.field_class.__name__}"
        if kind != "submit":
            found[prefix + name] = Input(kind, _max_length(unbound) if kind == "text" else None)
    return found


def sweep(spec: Input) -> list:
    """Known troublemakers for one field."""
    if spec.kind == "text":
        lengths = [n for n in (spec.max_length, 5000) if n]
        return [SCRIPT, IMG, SQL, CONTROL, *("x" * n for n in lengths)]
    return {"date": list(DATE_BAD), "int": list(INT_BAD), "time": list(TIME_BAD), "choice": list(CHOICE_BAD),
            "multi": [list(CHOICE_BAD)], "flag": list(FLAG_BAD), "file": [("x" * 300 + ".pdf", b"%PDF-1.4\x00")]
            }[spec.kind]


_text = st.one_of(st.sampled_from(TEXT_BAD), st.text(max_size=40),
                  st.integers(200, 4000).map(lambda n: "å" * n))
STRATEGIES = {
    "text": _text,
    "date": st.one_of(st.sampled_from(DATE_BAD), st.dates().map(date.isoformat), st.text(max_size=12)),
    "int": st.one_of(st.sampled_from(INT_BAD), st.integers().map(str), st.text(max_size=8)),
    "time": st.one_of(st.sampled_from(TIME_BAD), st.times().map(lambda t: t.strftime("%H:%M")), st.text(max_size=6)),
    "choice": st.one_of(st.sampled_from(CHOICE_BAD), st.integers(-5, 10 ** 6).map(str), _text),
    "multi": st.lists(st.one_of(st.sampled_from(CHOICE_BAD), st.integers(-5, 10 ** 6).map(str), _text), max_size=3),
    "flag": st.sampled_from(FLAG_BAD + ("y",)),
    "file": st.tuples(st.text(max_size=300).map(lambda s: s + ".pdf"),
                      st.sampled_from([b"%PDF-1.4\n%%EOF", b"", b"\x00\xff\xfe"])),
}


@st.composite
def submissions(draw, fields: dict[str, Input], valid: dict):
    """The valid submission with one to three fields replaced by generated values."""
    chosen = draw(st.sets(st.sampled_from(sorted(fields)), min_size=1, max_size=3))
    return {**valid, **{name: draw(STRATEGIES[fields[name].kind]) for name in chosen}}


# --- the world the forms act on ------------------------------------------------------------------------------------

class Ctx:
    """The security world plus fresh objects for posts that use one up."""

    def __init__(self, app, orgs):
        self.app, self.orgs = app, orgs
        self.world = security_world.build(app, orgs)
        self.n = itertools.count(1)
        self.cache: dict = {}

    def id(self, name: str) -> int:
        return self.world.ids[name]

    def user(self, role: str):
        return self.world.users[role]

    def done(self, value):
        db.session.commit()
        return value

    def once(self, key: str, make: Callable):
        if key not in self.cache:
            self.cache[key] = self.done(make())
        return self.cache[key]

    def round(self, **kwargs):
        return factories.invitation_round(title=f"Runde {next(self.n)}", **kwargs)

    def lindas(self):
        """Lindås, free to be invited again: what it holds from the world or an earlier submission ends first."""
        factories.end_agreements(self.orgs["Lindås"], self.user("adviser"))
        return self.orgs["Lindås"]

    def accepted_case(self):
        return factories.accepted_case(self.lindas(), self.round(), by=self.user("adviser"))

    def issued_agreement(self):
        return factories.issued_case(self.lindas(), self.round(), by=self.user("adviser")).agreement

    def member_case(self, activated_on=date(2025, 3, 1)):
        return factories.member_case(self.lindas(), self.user("adviser"), activated_on=activated_on)

    def contribution_line(self) -> int:
        """A line nobody has touched: each new membership owes one year more than the one before."""
        case = self.member_case(activated_on=date(2030 + next(self.n), 1, 1))
        return db.session.scalar(select(Contribution.id).where(Contribution.case_id == case.id)
                                 .order_by(Contribution.year.desc()))

    def held_conference(self) -> tuple[int, int]:
        """A conference held in June, with one registration with a place: (its id, the registration's id)."""
        with clock.pinned(date(2026, 5, 1)):
            held = conferences.create(conferences.Plan(
                title="Fagkonferansen 2026", held_on=date(2026, 6, 10), place="Bergen", capacity=10,
                registration_deadline=date(2026, 6, 1), consent_text="Samtykke."), self.user("adviser"))
            registration = conferences.register(held, name="Kari", email="kari@example.no", organisation_id=None,
                                                organisation_text="Firma", dietary_needs=None, remote_addr="10.2.0.1")
        return held.id, registration.id

    def invoiced_line(self) -> int:
        line = db.session.get(Contribution, self.id("line_id"))
        contributions.mark_invoiced(line, self.user("adviser"), invoiced_on=date(2026, 11, 1), reference="F-1")
        return line.id

    def late_request(self):
        contact = db.session.get(User, self.id("user_id"))
        factories.end_agreements(self.orgs["Voss"], self.user("adviser"))
        case = factories.case(self.orgs["Voss"], self.round(deadline=date(2026, 11, 1)))
        return workflow.perform(case, "accept_late", contact)

    def pending_representative(self):
        n = next(self.n)
        start = date(2026, 1, 1).toordinal() + 20 * n
        return representatives.propose(
            self.orgs["Lindås"], self.user("municipality_contact"), group="steering", name=f"Foreslått {n}",
            email=f"forslag{n}@test.kommune.no", starts_on=date.fromordinal(start),
            ends_on=date.fromordinal(start + 10))

    def seconded_subgroup(self) -> Subgroup:
        proposer, seconder = self.user("project_member"), self.once("seconder", lambda: factories.user(
            "project_member", organisation=self.orgs["Voss"], name="Siri Lie"))
        subgroup = factories.subgroup(proposer, name=f"Undergruppe {next(self.n)}")
        workflow.perform(subgroup, "submit", proposer)
        workflow.perform(subgroup, "second", seconder)
        return subgroup

    def established_subgroup(self) -> Subgroup:
        subgroup = self.seconded_subgroup()
        workflow.perform(subgroup, "approve", self.user("adviser"), data={"decided_on": "2026-11-20"})
        workflow.perform(subgroup, "establish", self.user("adviser"))
        return subgroup

    def _held_meeting(self, day: date):
        starts = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
        with clock.pinned(min(day, clock.today())):
            return meetings.create("coordination", starts_at=starts, ends_at=starts.replace(hour=11), place="Bergen",
                                   invitees=[self.user("steering_member")], actor=self.user("adviser"), notify=False)

    def held_item(self) -> int:
        """An item of a meeting that has been held, for its decision."""
        with clock.pinned(date(2026, 1, 1)):
            item = meeting_items.add(self._held_meeting(date(2026, 2, 1)), self.user("adviser"), title="Sak",
                                     description="")
        return self.done(item.id)

    def minutes_pair(self) -> tuple[int, int]:
        """A meeting held with draft minutes, and a later one of the same body to put them before (used up)."""
        n = next(self.n)
        held = self._held_meeting(date.fromordinal(date(2020, 1, 1).toordinal() + 2 * n))
        later = self._held_meeting(date.fromordinal(date(2020, 1, 2).toordinal() + 2 * n))
        meetings.record_minutes(held, text="Referat.", pdf=None, actor=self.user("adviser"))
        self.cache["minutes_pair"] = self.done((held.id, later.id))
        return self.cache["minutes_pair"]

    def submitted_key(self) -> int:
        """A key the adviser drafted and sent to the steering group (returning or deciding it uses it up)."""
        bergen = self.orgs["Bergen"]
        key = cost_keys.create(cost_keys.KeyDraft(2030, 2032, 1_000_000, PERCENT, bergen.id, {bergen.id: 10_000}),
                               self.user("adviser"))
        workflow.perform(key, "submit", self.user("adviser"))
        return self.done(key.id)

    def austevoll_contact(self):
        """A contact of a municipality with no newer invitation, so a late answer is still possible."""
        return self.once("austevoll", lambda: factories.user("municipality_contact",
                                                             organisation=self.orgs["Austevoll"]))

    def evaluation_question_ids(self) -> list[int]:
        return [q.id for q in evaluations.for_year(2026).questions]


@dataclass
class Target:
    """A form, who may use it, where it is posted and what a valid submission looks like."""

    role: str | Callable[[Ctx], object]  # a role of the security world, "anonymous", or who else signs in
    path: Callable[[Ctx], str]
    valid: Callable[[Ctx], dict]
    ok: int = 302
    method: str = "POST"
    prefix: str = ""
    fields: Callable[[Ctx], dict[str, Input]] | None = None
    shown: tuple[str, ...] = ()
    fresh_client: bool = False
    files: tuple[str, ...] = ()
    opens: Callable[[Ctx, object], object] | None = None  # what the client does before each post (opens a link)
    saves: bool = True  # a valid POST writes a row (the check of a sealed PDF keeps nothing)


PDF = ("avtale.pdf", factories.pdf())


def _unreachable_provider(ctx) -> None:
    ctx.app.config["OIDC_PROVIDERS"] = [{
        "name": "nede", "label": "Nede", "discovery_url": "http://127.0.0.1:1/.well-known/openid-configuration",
        "client_id": "kk", "client_secret": "hemmelig"}]


def _first_sign_in(ctx, client) -> None:
    """The browser has signed in with a provider whose subject is tied to no account yet."""
    pending = ctx.once("first_sign_in", lambda: _pending(ctx))
    with client.session_transaction() as session:
        session["identity_pending"] = pending.id


def _pending(ctx) -> PendingIdentity:
    pending = PendingIdentity(provider="test", subject=f"fuzz-{next(ctx.n)}", created_at=clock.now())
    db.session.add(pending)
    return pending


def _person(ctx, **extra):
    return {"name": "Kari Nordmann", "title": "Rådgiver", "email": f"kari{next(ctx.n)}@test.kommune.no",
            "phone": "55 55 55 55", **extra}


def _merger(ctx) -> dict:
    """Two fresh municipalities that become a new one (each post uses its predecessors up)."""
    pair = [ctx.done(factories.municipality(f"Fusjonskommune {next(ctx.n)} kommune")) for _ in range(2)]
    return {"predecessor_ids": [str(org.id) for org in pair], "first_day": "2027-01-01", "successor_id": "0",
            "official_name": f"Samlekommune {next(ctx.n)} kommune", "number": f"{8000 + next(ctx.n)}",
            "org_number": "", "continued_case_id": "0", "action": "save"}


def _news_draft(ctx):
    return news.create(ctx.user("adviser"), title=f"Nyhet {next(ctx.n)}", body="Tekst.")


TARGETS: dict[str, Target] = {
    "app.admin.forms.UserForm": Target(
        "admin", lambda ctx: f"/admin/brukere/{ctx.id('user_id')}",
        lambda ctx: {"name": "Kari Nordmann", "title": "Rådgiver", "phone": "55 55 55 55",
                     "organisation_id": str(ctx.orgs["Voss"].id), "roles": ["municipality_contact"], "active": "y"},
        shown=("name", "title")),
    "app.admin.forms.LogFilterForm": Target(
        "adviser", lambda ctx: "/admin/logg",
        lambda ctx: {"organisation": "Voss", "person": "Marianne", "kind": "membership"}, ok=200, method="GET"),
    "app.admin.forms.NewUserForm": Target(
        "admin", lambda ctx: "/admin/brukere/ny",
        lambda ctx: {"name": "Ola Nordmann", "email": f"ny{next(ctx.n)}@test.kommune.no", "title": "",
                     "phone": "", "organisation_id": "0", "roles": ["project_member"], "active": "y"},
        shown=("name", "title")),
    "app.agreements.forms.IssueForm": Target(
        "adviser", lambda ctx: f"/avtaler/sak/{ctx.done(ctx.accepted_case()).id}/send-til-signering",
        lambda ctx: {"agreement_end": "2030-12-31", "contribution": "40000", "contribution_from": "2027",
                     "contribution_to": "2030", "comment": "Som avtalt.", "submit": "1"}),
    "app.agreements.forms.SignForm": Target(
        "signatory", lambda ctx: f"/avtaler/{ctx.done(ctx.issued_agreement()).id}/signer",
        lambda ctx: {"title": "Rådmann", "confirm": "y", "submit": "1"},
        shown=("title",)),
    "app.agreements.forms.UploadForm": Target(
        "adviser", lambda ctx: f"/avtaler/{ctx.done(ctx.issued_agreement()).id}/skannet",
        lambda ctx: {"party": MUNICIPALITY_PARTY, "name": "Kari Nordmann", "title": "Rådmann",
                     "signed_on": TODAY, "document": PDF, "submit": "1"}, files=("document",),
        shown=("name", "title")),
    "app.agreements.forms.NoticeForm": Target(
        "signatory", lambda ctx: f"/avtaler/sak/{ctx.done(ctx.member_case()).id}/oppsigelse",
        lambda ctx: {"notice_date": TODAY, "reason": "Kommunen prioriterer annet.", "send": "1"},
        shown=("reason",)),
    "app.agreements.forms.CheckForm": Target(
        "project_member", lambda ctx: "/avtaler/kontroll", lambda ctx: {"document": PDF, "submit": "1"}, ok=200,
        files=("document",), saves=False),
    "app.approvals.forms.ApproveForm": Target(
        "adviser", lambda ctx: f"/godkjenninger/{ctx.done(ctx.late_request()).id}/godkjenn",
        lambda ctx: {"comment": "Godkjent."}),
    "app.approvals.forms.RejectForm": Target(
        "adviser", lambda ctx: f"/godkjenninger/{ctx.done(ctx.late_request()).id}/avvis",
        lambda ctx: {"comment": "For sent."}),
    "app.auth.forms.LoginForm": Target(
        "anonymous", lambda ctx: "/login",
        lambda ctx: {"email": ctx.user("adviser").email, "password": factories.PASSWORD}, fresh_client=True),
    "app.auth.forms.ForgotPasswordForm": Target(
        "anonymous", lambda ctx: "/passord/glemt", lambda ctx: {"email": ctx.user("adviser").email},
        fresh_client=True),
    # A provider that cannot be reached: the sign-in is refused (and audited) without leaving this machine.
    "app.auth.forms.ProviderSignInForm": Target(
        "anonymous", lambda ctx: "/login/ekstern/nede", lambda ctx: {"submit": "Logg inn"}, ok=400,
        fields=lambda ctx: {"submit": Input("text")}, opens=lambda ctx, client: _unreachable_provider(ctx)),
    "app.auth.forms.IdentityCodeRequestForm": Target(
        "anonymous", lambda ctx: "/login/ny-identitet/kode", lambda ctx: {"email": ctx.user("adviser").email},
        opens=lambda ctx, client: _first_sign_in(ctx, client)),
    # No code was mailed: the valid form reaches the check, which counts the wrong try.
    "app.auth.forms.IdentityCodeForm": Target(
        "anonymous", lambda ctx: "/login/ny-identitet/bekreft", lambda ctx: {"code": "12345678"}, ok=400,
        opens=lambda ctx, client: _first_sign_in(ctx, client)),
    "app.auth.forms.AccessRequestForm": Target(
        "anonymous", lambda ctx: "/login/ny-identitet/tilgang",
        lambda ctx: {"name": "Kari Nordmann", "email": "kari@bergen.kommune.no"},
        opens=lambda ctx, client: _first_sign_in(ctx, client)),
    "app.auth.forms.PasswordLinkForm": Target(
        "anonymous", lambda ctx: "/invitasjon", lambda ctx: {"token": _invitation_token(ctx)}),
    "app.auth.forms.SetPasswordForm": Target(
        "anonymous", lambda ctx: "/passord/velg",
        lambda ctx: {"password": "mitt-nye-passord", "confirm": "mitt-nye-passord"},
        opens=lambda ctx, client: client.post("/invitasjon", data={"token": _invitation_token(ctx),
                                                                   "csrf_token": client.token})),
    "app.auth.forms.ChangePasswordForm": Target(
        "project_member", lambda ctx: "/passord",
        lambda ctx: {"current_password": factories.PASSWORD, "password": factories.PASSWORD,
                     "confirm": factories.PASSWORD}),
    "app.cases.forms.ActionForm": Target(
        "adviser", lambda ctx: f"/saker/{ctx.done(ctx.accepted_case()).id}/handling/withdraw",
        lambda ctx: {"comment": "Kommunen har trukket seg."},
        shown=("comment",)),
    "app.cases.forms.AsOfForm": Target(
        "adviser", lambda ctx: f"/saker/{ctx.id('case_id')}", lambda ctx: {"as_of": "2026-11-01"},
        ok=200, method="GET"),
    "app.forms.ConfirmForm": Target(
        "adviser", lambda ctx: f"/invitasjoner/{ctx.id('round_id')}/paminnelse", lambda ctx: {},
        fields=lambda ctx: {"submit": Input("text")}),  # no fields of its own: a stray one is ignored
    "app.invitations.forms.InviteForm": Target(
        "adviser", lambda ctx: f"/invitasjoner/{ctx.id('round_id')}/inviter",
        lambda ctx: {"region": "", "organisations": [str(ctx.orgs["Fedje"].id)], "action": "send"}),
    "app.invitations.forms.RoundForm": Target(
        "adviser", lambda ctx: "/invitasjoner/ny",
        lambda ctx: {"title": "Invitasjon 2027", "reply_deadline": "2027-01-15", "contribution": "40000",
                     "contribution_from": "2027", "contribution_to": "2029", "agreement_end": "2029-12-31",
                     "meeting": "Felles møte i januar", "letter_text": "Bergen kommune inviterer kommunen.",
                     "region": "", "organisations": [str(ctx.orgs["Modalen"].id)], "action": "send"},
        shown=("title", "meeting", "letter_text")),
    "app.invitations.forms.DeadlineForm": Target(
        "adviser", lambda ctx: f"/invitasjoner/{ctx.done(ctx.round()).id}/frist",
        lambda ctx: {"deadline": "2027-01-15", "reason": "Mange kommuner har bedt om mer tid."}),
    "app.meetings.forms.MeetingForm": Target(
        "adviser", lambda ctx: f"/moter/ny/{STEERING_MEETING}",
        lambda ctx: {"date": "2027-01-20", "start_time": "10:00", "end_time": "14:00", "place": "Rådhuset",
                     "invitees": [str(ctx.user("steering_member").id)]},
        shown=("place",)),
    "app.meetings.forms.MinutesStepForm": Target(
        "adviser", lambda ctx: f"/moter/{ctx.cache['minutes_pair'][0]}/referat/submit",
        lambda ctx: {"meeting_id": str(ctx.minutes_pair()[1]), "comment": "Lagt fram."}, shown=("comment",)),
    "app.meetings.forms.ItemForm": Target(
        "adviser", lambda ctx: f"/moter/{ctx.id('meeting_id')}/saker/ny",
        lambda ctx: {"title": "Årsrapport", "description": "Bakgrunn."}, shown=("title",)),
    "app.meetings.forms.DecisionForm": Target(
        "adviser", lambda ctx: f"/moter/saker/{ctx.once('held_item', ctx.held_item)}/vedtak",
        lambda ctx: {"decision": f"Vedtatt {next(ctx.n)}.", "reason": "Retting."}, shown=("decision",)),
    "app.meetings.forms.DocumentForm": Target(
        "adviser", lambda ctx: f"/moter/saker/{ctx.id('agenda_item_id')}/dokumenter",
        lambda ctx: {"title": "Saksframlegg", "file": PDF}, files=("file",), shown=("title",)),
    "app.meetings.forms.MinutesForm": Target(
        "adviser", lambda ctx: f"/moter/{ctx.id('meeting_id')}/referat",
        lambda ctx: {"minutes": "Styringsgruppen vedtok årsplanen."}, files=("minutes_file",),
        shown=("minutes",)),
    "app.members.forms.RepresentativeForm": Target(
        "adviser", lambda ctx: f"/medlemskap/{ctx.id('org_id')}/representanter/ny",
        lambda ctx: _person(ctx, group="steering", user_id="0", starts_on=TODAY, ends_on="2026-12-31"),
        shown=("name", "title")),
    "app.members.forms.ContactForm": Target(
        "adviser", lambda ctx: f"/medlemskap/{ctx.id('org_id')}/kontaktperson", _person,
        shown=("name", "title")),
    "app.members.forms.RepresentativeStepForm": Target(
        "adviser",
        lambda ctx: f"/medlemskap/representanter/{ctx.done(ctx.pending_representative()).id}/handling/approve",
        lambda ctx: {"comment": "Godkjent."}),
    "app.contributions.forms.InvoiceForm": Target(
        "adviser", lambda ctx: f"/medlemskap/bidrag/{ctx.id('line_id')}",
        lambda ctx: {"invoiced_on": TODAY, "invoice_ref": "F-2026-1", "submit": "1"}, shown=("invoice_ref",)),
    "app.contributions.forms.PaymentForm": Target(
        "adviser", lambda ctx: f"/medlemskap/bidrag/{ctx.once('invoiced', ctx.invoiced_line)}/betaling",
        lambda ctx: {"paid_on": TODAY, "payment_ref": "B-2026-1"}, shown=("payment_ref",)),
    "app.contributions.forms.CancelForm": Target(
        "adviser", lambda ctx: f"/medlemskap/bidrag/{ctx.done(ctx.contribution_line())}/annuller",
        lambda ctx: {"reason": "Året er ikke skyldig."}, shown=("reason",)),
    "app.contributions.key_forms.key_form.<locals>.KeyForm": Target(
        "adviser", lambda ctx: "/okonomi/fordelingsnokkel/ny",
        lambda ctx: {"first_year": "2030", "last_year": "2032", "budget": "1000000", "method": "percent",
                     "remainder_to_id": str(ctx.orgs["Bergen"].id), f"share_{ctx.orgs['Bergen'].id}": "60",
                     f"share_{ctx.orgs['Helse Bergen'].id}": "40", "note": "Utvidelse av ressursen."},
        fields=lambda ctx: {"first_year": Input("int"), "last_year": Input("int"), "budget": Input("int"),
                            "method": Input("choice"), "remainder_to_id": Input("choice"),
                            "note": Input("text", 2000),
                            **{f"share_{org.id}": Input("text", 20) for org in cost_keys.larger_parties()}},
        shown=("note",)),
    "app.contributions.key_forms.StepForm": Target(
        "steering_member",
        lambda ctx: f"/okonomi/fordelingsnokkel/{ctx.submitted_key()}/handling/return_for_changes",
        lambda ctx: {"comment": "Helse Bergens andel må ned."}, shown=("comment",)),
    "app.contributions.key_forms.DecisionForm": Target(
        "steering_member", lambda ctx: f"/okonomi/fordelingsnokkel/{ctx.submitted_key()}/vedtak",
        lambda ctx: {"decided_on": TODAY, "meeting_id": str(ctx.id("meeting_id")), "agenda_item": "Sak 4/2026",
                     "comment": "Styringsgruppen vedtok nøkkelen."}, shown=("agenda_item", "comment")),
    "app.evaluations.forms.NewEvaluationForm": Target(
        "adviser", lambda ctx: "/medlemskap/vurdering",
        lambda ctx: {"year": str(2026 - next(ctx.n) % 10), "questions": "Hva har samarbeidet gitt?\nHva bør endres?"},
        shown=("questions",)),
    "app.evaluations.forms.answer_form.<locals>.AnswerForm": Target(
        "municipality_contact", lambda ctx: "/medlemskap/vurdering/2026/svar",
        lambda ctx: {f"q{q}": "Samarbeidet har gitt oss mye." for q in ctx.evaluation_question_ids()},
        fields=lambda ctx: {f"q{q}": Input("text", 4000) for q in ctx.evaluation_question_ids()}),
    "app.conference.forms.ConferenceForm": Target(
        "adviser", lambda ctx: "/konferanser/ny",
        lambda ctx: {"title": "Fagkonferansen 2028", "held_on": "2028-06-08", "place": "Grieghallen",
                     "description": "Forskning og innovasjon.", "capacity": "200",
                     "registration_deadline": "2028-05-20", "consent_text": "Jeg samtykker."},
        shown=("title", "place")),
    "app.conference.forms.SessionForm": Target(
        "adviser", lambda ctx: f"/konferanser/{ctx.id('conference_id')}",
        lambda ctx: {"starts_at": "13:00", "ends_at": "14:00", "title": "Velferdsteknologi", "speakers": "Kari Berg"},
        shown=("title", "speakers")),
    "app.conference.forms.RegistrationForm": Target(
        "anonymous", lambda ctx: "/konferanse",
        lambda ctx: {"name": "Kari Nordmann", "email": "kari@example.no", "organisation_id": "0",
                     "organisation_text": "Eget firma", "dietary_needs": "Vegetar", "consent": "y"}, ok=303),
    "app.conference.forms.AttendanceForm": Target(
        "adviser", lambda ctx: f"/konferanser/{ctx.once('held', ctx.held_conference)[0]}/oppmote",
        lambda ctx: {"attended": [str(ctx.once("held", ctx.held_conference)[1])]}),
    "app.mailbox.forms.JoinForm": Target(
        "anonymous", lambda ctx: "/bli-med",
        lambda ctx: {"organisation_id": str(_with_mailbox(ctx.orgs["Vaksdal"]).id), "name": "Kari Nordmann",
                     "title": "Kommunedirektør", "email": "kari@vaksdal.kommune.no"}),
    "app.approvals.forms.JoinDecisionForm": Target(
        "adviser", lambda ctx: f"/godkjenninger/innmelding/{_confirmed_join_request(ctx)}",
        lambda ctx: {"decision": "decline", "decided_by": "steering_group", "decided_on": "2026-11-20",
                     "comment": "Ikke i regionen."}),
    "app.mailbox.forms.MailboxReplyForm": Target(
        "anonymous", lambda ctx: _mailbox_path(ctx),
        lambda ctx: {"answer": "yes", "contact_name": "Kari Nordmann", "contact_title": "Kommunalsjef",
                     "contact_email": "kari@vaksdal.kommune.no", "contact_phone": "56 00 00 00",
                     "steering_rep": "Per Hansen", "project_rep_1": "Anne Berg", "project_rep_2": "",
                     "comment": "Vi gleder oss."},
        ok=200),
    "app.municipality.forms.ReplyForm": Target(
        "municipality_contact",
        lambda ctx: f"/min-kommune/invitasjon/{ctx.done(factories.case(ctx.lindas(), ctx.round())).id}/svar",
        lambda ctx: {"answer": "yes", "contact_name": "Kari Nordmann", "contact_title": "Kommunalsjef",
                     "contact_email": "kari@lindas.kommune.no", "contact_phone": "56 00 00 00",
                     "steering_rep": "Per Hansen", "project_rep_1": "Anne Berg", "project_rep_2": "",
                     "comment": "Vi gleder oss.", "action": "send"},
        shown=("contact_name", "contact_title", "steering_rep", "comment")),
    "app.municipality.forms.LateReplyForm": Target(
        lambda ctx: ctx.austevoll_contact(), lambda ctx: "/min-kommune/invitasjon/{}/sent-svar".format(ctx.done(
            factories.case(ctx.orgs["Austevoll"], ctx.round(deadline=date(2026, 11, 1)))).id),
        lambda ctx: {"contact_name": "Kari Nordmann", "contact_email": "kari@lindas.kommune.no",
                     "comment": "Vi rakk ikke fristen.", "action": "send"},
        shown=("contact_name", "comment")),
    "app.organisations.forms.NewOrganisationForm": Target(
        "adviser", lambda ctx: "/organisasjoner/ny",
        lambda ctx: {"official_name": f"Prøvekommune {next(ctx.n)} kommune", "name": "", "kind": "municipality",
                     "number": f"{9000 + next(ctx.n)}", "org_number": "", "written_standard": "nynorsk",
                     "mailbox": "postmottak@prove.kommune.no", "region": "Nordhordland", "active_from": "",
                     "action": "save"},
        shown=("official_name", "name")),
    "app.organisations.forms.ChangeForm": Target(
        "adviser", lambda ctx: f"/organisasjoner/{ctx.id('org_id')}/endring",
        lambda ctx: {"valid_from": f"{2030 + next(ctx.n)}-01-01", "official_name": f"Lindås kommune {next(ctx.n)}",
                     "name": "", "number": "", "org_number": "", "action": "save"},
        shown=("official_name", "name")),
    "app.organisations.forms.DetailsForm": Target(
        "adviser", lambda ctx: f"/organisasjoner/{ctx.id('org_id')}/opplysninger",
        lambda ctx: {"kind": "municipality", "written_standard": "nynorsk", "mailbox": "postmottak@lindas.kommune.no",
                     "region": "Nordhordland", "active_from": "", "active_to": ""}),
    "app.organisations.forms.MergerForm": Target(
        "adviser", lambda ctx: "/organisasjoner/sammenslaing", lambda ctx: _merger(ctx),
        shown=("official_name",)),
    "app.subgroups.forms.ProposalForm": Target(
        "project_member", lambda ctx: "/undergrupper/ny",
        lambda ctx: {"name": "Velferdsteknologi", "themes": ["welfare_technology"], "mandate": "Kartlegge.",
                     "duration": "12 måneder", "end_date": "", "chair_id": str(ctx.user("project_member").id),
                     "member_query": "", "member_ids": [], "representatives-0-name": "Randi Helland",
                     "representatives-0-represents": "Eldrerådet", "representatives-0-contact": "randi@test.no",
                     "assessment": "", "save": "1"},
        shown=("name", "mandate", "duration", "representatives-0-name")),
    "app.news.forms.NewsForm": Target(
        "adviser", lambda ctx: "/redaksjon/nyheter/ny", lambda ctx: {"title": "Fagkonferansen", "body": "Velkommen."},
        shown=("title", "body")),
    "app.news.forms.NewsStepForm": Target(
        "adviser", lambda ctx: f"/redaksjon/nyheter/{ctx.done(_news_draft(ctx)).id}/publish",
        lambda ctx: {"comment": "Klar."}),
    "app.subgroups.forms.ActionForm": Target(
        "adviser", lambda ctx: f"/undergrupper/{ctx.done(ctx.seconded_subgroup()).id}/handling/approve",
        lambda ctx: {"decided_on": "2026-11-20", "comment": "Vedtatt i sak 12/26."},
        shown=("comment",)),
    "app.subgroups.forms.AddMemberForm": Target(
        "adviser", lambda ctx: f"/undergrupper/{ctx.once('established', ctx.established_subgroup).id}/medlemmer",
        lambda ctx: {"user_id": str(ctx.done(factories.user(organisation=ctx.orgs["Voss"])).id),
                     "joined_on": TODAY}),
    "app.subgroups.forms.RemoveMemberForm": Target(
        "adviser", lambda ctx: _member_path(ctx), lambda ctx: {"left_on": TODAY}),
    "app.subgroups.forms.MemberSearchForm": Target(
        "adviser", lambda ctx: f"/undergrupper/{ctx.once('established', ctx.established_subgroup).id}/medlemmer",
        lambda ctx: {"q": "Bruker"}, ok=200, method="GET"),
}
# Forms only ever used as the base of other forms (their fields are fuzzed through those).
BASES = {"app.members.forms.PersonForm"}


def _with_mailbox(organisation):
    organisation.mailbox = organisation.mailbox or "postmottak@test.kommune.no"
    db.session.commit()
    return organisation


def _confirmed_join_request(ctx) -> int:
    """A fresh request to join, confirmed from the mailbox (each decision uses one up)."""
    found = JoinRequest(organisation=ctx.orgs["Vaksdal"], name="Kari Nordmann", title="Kommunedirektør",
                        email="kari@vaksdal.kommune.no", link=MailboxLink(purpose=JOIN, created_at=clock.now(),
                                                                           used_at=clock.now()))
    db.session.add(found)
    return ctx.done(found).id


def _mailbox_path(ctx) -> str:
    """A fresh invitation's link sent to the official mailbox (each answer uses one up)."""
    case = factories.case(factories.municipality(f"Prøve{next(ctx.n)} kommune"), ctx.round())
    link = MailboxLink(purpose=REPLY, case_id=case.id, created_at=clock.now())
    db.session.add(link)
    db.session.flush()
    return ctx.done(f"/postmottak/svar/{mailbox_tokens.mint(link)}")


def _invitation_token(ctx) -> str:
    """The token of a fresh link to set a password."""
    return ctx.done(password_links.mint(factories.user("project_member", password=None)))


def _member_path(ctx) -> str:
    subgroup = ctx.once("established", ctx.established_subgroup)
    member = subgroups.add_member(subgroup, factories.user(organisation=ctx.orgs["Voss"]).id, date(2026, 11, 23),
                                  ctx.user("adviser"))
    return ctx.done(f"/undergrupper/{subgroup.id}/medlemmer/{member.id}/fjern")


def form_classes() -> dict[str, type | None]:
    """Every FlaskForm subclass written in the app, also those built inside a function (those map to None)."""
    root = Path(app_package.__file__).parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        module = importlib.import_module(".".join(("app", *path.relative_to(root).with_suffix("").parts))
                                         .removesuffix(".__init__"))
        for qualname, node in _class_definitions(ast.parse(path.read_text())):
            bases = [getattr(module, base.id, None) for base in node.bases if isinstance(base, ast.Name)]
            if any(isinstance(base, type) and issubclass(base, FlaskForm) for base in bases):
                found[f"{module.__name__}.{qualname}"] = None if "<locals>" in qualname else getattr(module, qualname)
    return found


def _class_definitions(tree, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            yield prefix + node.name, node
            yield from _class_definitions(node, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _class_definitions(node, f"{prefix}{node.name}.<locals>.")
        else:
            yield from _class_definitions(node, prefix)


def test_every_form_is_fuzzed():
    found = set(form_classes()) - BASES
    assert found - set(TARGETS) == set(), "add these forms to TARGETS in tests/test_fuzz_forms.py"
    assert set(TARGETS) - found == set(), "TARGETS names forms that no longer exist"


def test_every_field_is_bounded():
    """What the database cannot hold is refused on the field: text has a maximum length, numbers a range that
    fits an INTEGER column, and dates and numbers use the app's fields (dates within years date sums can handle,
    and one clear message for something that is not a date or number at all)."""
    problems = []
    for name, form_class in form_classes().items():
        for field_name, unbound in _unbound_fields(form_class or FlaskForm).items():
            where, kind = f"{name}.{field_name}", _kind(unbound.field_class)
            ranges = [v for v in _validators(unbound) if isinstance(v, NumberRange)]
            if kind == "text" and _max_length(unbound) is None and not any(
                    isinstance(v, EqualTo) for v in _validators(unbound)):
                problems.append(f"{where}: no Length(max=...)")
            elif kind == "int" and not (issubclass(unbound.field_class, forms.IntegerField) and any(
                    r.min is not None and r.max is not None and r.max <= MAX_ID for r in ranges)):
                problems.append(f"{where}: use app.forms.IntegerField with a NumberRange(min, max)")
            elif kind == "date" and not issubclass(unbound.field_class, forms.DateField):
                problems.append(f"{where}: use app.forms.DateField")
    assert problems == []


# --- posting -------------------------------------------------------------------------------------------------------

class Poster:
    """Submits a target's form as its user would and checks every answer."""

    def __init__(self, app, ctx: Ctx, target: Target):
        self.app, self.ctx, self.target = app, ctx, target
        self.client = self._client()

    def _client(self):
        client = self.app.test_client()
        role = self.target.role
        if role != "anonymous":
            Auth(client, self.ctx.orgs).login(self.ctx.user(role) if isinstance(role, str) else role(self.ctx))
        client.token = csrf_token(client, "/login" if self.target.role == "anonymous" else "/")
        return client

    def send(self, values: dict):
        client = self._client() if self.target.fresh_client else self.client
        if self.target.opens:
            self.target.opens(self.ctx, client)
        path = self.target.path(self.ctx)
        data = {f"{self.target.prefix}{name}": self._value(name, value) for name, value in values.items()}
        if self.target.method == "GET":
            response = client.get(path, query_string=data)
        else:
            response = client.post(path, data={**data, "csrf_token": client.token},
                                   content_type="multipart/form-data")
        body = response.get_data(as_text=True)
        assert response.status_code < 500, f"{response.status_code} for {path} with {values!r}"
        assert not any(raw in body for raw in RAW), f"unescaped script in the answer to {values!r}"
        return response

    def _value(self, name, value):
        if name in self.target.files and isinstance(value, tuple):
            filename, content = value
            return io.BytesIO(content), filename
        return value


def _row_count() -> int:
    """Rows in all tables: every change a user makes writes at least an audit event."""
    return sum(db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables)


@pytest.fixture
def ctx(app, orgs):
    return Ctx(app, orgs)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_form_survives_hostile_input(app, ctx, name):
    """A valid submission saves (so the bad ones below reach the code behind the form), then every field gets its
    sweep of troublemakers and hypothesis mixes them: each answer is a page, a redirect or a 4xx, escaped."""
    target = TARGETS[name]
    fields = target.fields(ctx) if target.fields else fields_of(form_classes()[name])
    poster = Poster(app, ctx, target)
    before = _row_count()
    first = poster.send(target.valid(ctx))
    assert first.status_code == target.ok, f"the valid submission did not go through: {first.status_code}"
    if target.method == "POST" and target.saves:
        assert _row_count() > before, "the valid submission saved nothing"

    for field_name, spec in sorted(fields.items()):
        for value in sweep(spec):
            poster.send({**target.valid(ctx), field_name: value})

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.data())
    def fuzz(data):
        poster.send(data.draw(submissions(fields, target.valid(ctx))))

    fuzz()


def _script(name: str) -> str:
    return f'<script>alert("{name}")</script>'


@pytest.mark.parametrize("name", sorted(n for n, t in TARGETS.items() if t.shown))
def test_stored_script_is_shown_escaped(app, ctx, name):
    """Script saved through the form comes back on the page after saving as text, never as markup."""
    target = TARGETS[name]
    poster = Poster(app, ctx, target)
    saved = poster.send({**target.valid(ctx), **{field: _script(field) for field in target.shown}})
    assert saved.status_code == 302
    page = poster.client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(" not in page
    for field in target.shown:
        assert escape(_script(field)) in page, f"{field} is not shown on {saved.headers['Location']}"


# --- query arguments and ids in the URL ----------------------------------------------------------------------------

QUERY_NAMES = ("q", "page", "status", "year", "as_of", "tema", "region", "sort", "venter", "action", "next",
               "erstatter", "plass", "gruppe", "fra")
QUERY_BAD = ("99999999999999999999", "0001-01-01", "9999-12-31", f"a\x00{SCRIPT}{SQL}", "x" * 3000)


def test_every_page_survives_hostile_query_arguments(app, ctx):
    """Search boxes, filters, page numbers and ids in the URL: a page or a 4xx, never a 5xx."""
    everyone = factories.user("admin", "adviser", "municipality_contact", "signatory", "project_member",
                              organisation=ctx.orgs["Lindås"])
    db.session.commit()
    client = app.test_client()
    Auth(client, ctx.orgs).login(everyone)
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"
             and not r.rule.endswith((".pdf", ".zip", ".xlsx"))]
    for rule in rules:
        values = {name: ctx.world.ids.get(name, 1) for name in rule.arguments}
        for bad in QUERY_BAD:
            path = rule.build(values, append_unknown=False)[1]
            response = client.get(path, query_string={name: bad for name in QUERY_NAMES})
            assert response.status_code < 500, f"{response.status_code} for {path} with {bad[:30]!r}"
            assert not any(raw in response.get_data(as_text=True) for raw in RAW), path
        ids = re.findall(r"<int:(\w+)>", rule.rule)
        if ids:
            huge = rule.build({**values, **dict.fromkeys(ids, 2 ** 70)}, append_unknown=False)[1]
            assert client.get(huge).status_code == 404, huge
