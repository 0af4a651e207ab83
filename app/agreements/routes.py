"""The agreement pages: read, PDF, sign, register a scanned copy, issue or renew, give notice, check a sealed PDF."""
from datetime import date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app import access, agreement_text, clock, downloads, formatting, letters, search
from app.services import agreement_print
from app.agreements.forms import CheckForm, IssueForm, NoticeForm, SignForm, UploadForm
from app.cases.routes import get_case
from app.extensions import db
from app.forms import names
from app.models import Agreement, AgreementDocument, MembershipCase, Organisation
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.security import allowed_if, role_required
from app.services import agreements, overview, seal_checks, seals, uploads, workflow
from app.views import attempt, step_refusal, stored, stored_page
from workflows import MEMBERSHIP
from workflows.roles import ADVISER, SIGNATORY

bp = Blueprint("agreements", __name__, url_prefix="/avtaler")
AGREEMENTS_PER_PAGE = 50


def get_agreement(agreement_id: int, *loads) -> Agreement:
    """The agreement, if the signed-in user may see its case; 404 otherwise. Read with its case and organisation;
    `loads`: loader options for what else the page shows."""
    agreement = db.session.get(Agreement, agreement_id, options=[
        joinedload(Agreement.case).joinedload(MembershipCase.organisation), *loads])
    if agreement is None or not agreement.case.can_view(current_user):
        abort(404)
    return agreement


@bp.app_template_global()
def case_agreements(case: MembershipCase) -> list[Agreement]:
    return agreements.for_case(case)


@bp.app_template_global()
def may_sign(agreement: Agreement) -> bool:
    return agreements.may_sign_now(agreement, current_user)


@bp.app_template_global()
def notice_request(item):
    return agreements.notice_request(item)


@bp.app_template_filter()
def document_date(value: date | datetime | None) -> str:
    """The agreement is a Norwegian document: its dates read 31.12.2022 whatever the UI language."""
    if isinstance(value, datetime):
        value = value.astimezone(clock.OSLO)
    return value.strftime("%d.%m.%Y") if value else ""


@bp.app_template_filter()
def document_time(value: datetime) -> str:
    return value.astimezone(clock.OSLO).strftime("%H:%M")


@bp.route("/")
@allowed_if(access.sees_memberships)
def agreement_list():
    every = agreements.visible_to(current_user).join(MembershipCase.organisation)
    waiting = request.args.get("venter") == "1"
    stmt = agreements.awaiting(current_user, every) if waiting else every
    query = request.args.get("q", "").strip()
    stmt = search.where(stmt, query, Organisation)
    stmt = stmt.options(contains_eager(Agreement.case), selectinload(Agreement.signatures)) \
        .order_by(Organisation.name, Agreement.id)
    requested = max(request.args.get("page", 1, type=int), 1)
    if access.sees_all(current_user) and not waiting and not query:
        # Every agreement, the same for all of Bergen's side: a page read once per content version and stored
        # (views.stored; in-process probe ~2.9x -> ~1.8x, 01.12.2026).
        listed = stored_page("agreement_list_page", "", requested, AGREEMENTS_PER_PAGE,
                             lambda number: _agreement_page(stmt, number))
    else:
        listed = _agreement_page(stmt, requested)
    page = overview.ListPage(listed["rows"], listed["page"], AGREEMENTS_PER_PAGE, listed["total"])
    return render_template("agreements/list.html", page=page, waiting=waiting, query=query,
                           can_wait=current_user.has_role(SIGNATORY),
                           anything=bool(page.total) or (waiting or bool(query)) and db.finds(every))


def _agreement_page(stmt, page: int) -> dict:
    """A page of the agreements `stmt` finds as plain data (dates written out in this request's language)."""
    found = db.paginate(stmt, page=page, per_page=AGREEMENTS_PER_PAGE, error_out=False)
    return {"page": found.page, "total": found.total, "rows": [{
        "id": a.id, "municipality_name": a.municipality_name, "period": a.period,
        "end_date": formatting.short_date(a.end_date),
        "case": {"state": a.case.state, "notice_last_day": formatting.short_date(a.case.notice_last_day)},
        "signed_by": [s.name for s in (a.signatures or (a.continues.signatures if a.continues else []))
                      if not s.superseded_at]} for a in found.items]}


@bp.route("/<int:agreement_id>")
def agreement_page(agreement_id: int):
    agreement = get_agreement(agreement_id, joinedload(Agreement.template))
    # The document is the same for every reader (in the agreement's language, checked today): stored, as views.stored
    # keeps a page's shared data (in-process, CPU time against the reference: 2.05x -> 1.55x, 01.12.2026).
    document = Markup(stored("agreement_document", agreement.id, lambda: str(agreement_print.document(agreement))))
    return render_template("agreements/agreement.html", **agreement_print.facts(agreement), document=document,
                           sealed=seals.sealed(agreement), sealed_key=seals.sealed_key(agreement))


@bp.route("/kontroll", methods=["GET", "POST"])
def check():
    """Any signed-in user uploads a PDF and learns whether it is one of our sealed agreements; nothing is kept."""
    form = CheckForm()
    finding = None
    if form.validate_on_submit():
        finding = seal_checks.check(form.document.data.read())
    return render_template("agreements/check.html", form=form, finding=finding,
                           party_name=agreements.party_name)


@bp.route("/<int:agreement_id>/samarbeidsavtale.pdf")
def agreement_pdf(agreement_id: int):
    agreement = get_agreement(agreement_id)
    return downloads.made("agreement", agreement.id, lambda: agreement_print.pdf(agreement), "application/pdf",
                          agreement_print.filename(agreement))


@bp.route("/<int:agreement_id>/signer", methods=["GET", "POST"])
def sign(agreement_id: int):
    agreement = get_agreement(agreement_id)
    party = agreements.signing_party(agreement.case, current_user)
    if party is None:
        abort(403)
    form = SignForm(agreements.party_name(agreement, party))
    if request.method == "GET":
        form.title.data = current_user.title
    open_ = agreements.may_sign_now(agreement, current_user)
    if open_ and form.validate_on_submit():
        if attempt(lambda: agreements.sign(agreement, current_user, title=form.title.data,
                                           confirmed=form.confirm.data), form):
            case = agreement.case
            flash(_("Du har signert avtalen. Begge parter har nå signert.") if case.both_signed else
                  _("Du har signert avtalen. Avtalen venter på den andre partens signatur."), "success")
            return redirect(url_for("agreements.agreement_page", agreement_id=agreement.id))
    status = 409 if request.method == "POST" and not open_ else 200
    return render_template("agreements/sign.html", agreement=agreement, form=form, open_=open_, today=clock.today(),
                           party_label=agreements.party_name(agreement, party),
                           may_decline=_refusal(agreement.case, "decline_signing") is None), status


@bp.route("/<int:agreement_id>/skannet", methods=["GET", "POST"])
@role_required(ADVISER)
def upload(agreement_id: int):
    agreement = get_agreement(agreement_id)
    form = UploadForm()
    unsigned = [p for p in (MUNICIPALITY_PARTY, HOST_PARTY) if not agreement.signed_by(p)]
    form.party.choices = names((p, agreements.party_name(agreement, p)) for p in unsigned)
    open_ = agreements.is_open(agreement)
    if open_ and unsigned and form.validate_on_submit():
        upload_file = form.document.data
        if attempt(lambda: agreements.register_upload(
                agreement, current_user, party=form.party.data, name=form.name.data, title=form.title.data,
                signed_on=form.signed_on.data, filename=upload_file.filename or "", content=upload_file.read()),
                form):
            flash(_("Signaturen er registrert, og den skannede avtalen er lagret."), "success")
            return redirect(url_for("agreements.agreement_page", agreement_id=agreement.id))
    return render_template("agreements/upload.html", agreement=agreement, form=form, open_=open_ and unsigned)


@bp.route("/dokument/<int:document_id>")
def scanned_copy(document_id: int):
    found = db.session.get(AgreementDocument, document_id)
    if found is None:
        abort(404)
    get_agreement(found.agreement_id)  # 404 unless the user may see the agreement
    # Made safe here too: copies uploaded before the names were stored safe keep the name they came with.
    return downloads.kept_file("scanned_copy", found.id, lambda: found.content,
                               uploads.safe_filename(found.filename, "signert-avtale"))


@bp.route("/sak/<int:case_id>/send-til-signering", methods=["GET", "POST"])
@role_required(ADVISER)
def issue(case_id: int):
    return _issue_page(get_case(case_id), "issue_agreement")


@bp.route("/sak/<int:case_id>/forny", methods=["GET", "POST"])
@role_required(ADVISER)
def renew(case_id: int):
    return _issue_page(get_case(case_id, joinedload(MembershipCase.agreement)), "renew")


def _issue_page(case: MembershipCase, trigger: str):
    """Issue a new agreement from the template (first time or renewal), with the terms the adviser confirms."""
    spec = MEMBERSHIP.spec(trigger)
    form = IssueForm()
    # The same for every case and adviser (4 statements, and the stored template's texts fingerprinted): read once
    # per content version and template version and stored.
    shared = stored("agreement_issue", agreement_text.VERSION, lambda: {
        "problem": agreements.template_problem(),
        "host": f"{agreements.case_party_name(case, HOST_PARTY)}, {agreements.HOST_UNIT}"})
    reason = _refusal(case, trigger) or shared["problem"]
    if request.method == "GET" and reason is None:
        for key, value in agreements.proposed_terms(case, renewal=trigger == "renew").items():
            getattr(form, key).data = value
    if reason is None and form.validate_on_submit():
        data = {key: getattr(form, key).data for key in agreements.TERMS}
        data["agreement_end"] = data["agreement_end"].isoformat()
        if attempt(lambda: workflow.perform(case, trigger, current_user, comment=form.comment.data, data=data),
                   form):
            flash(_("Avtalen er sendt til signering for %(organisation)s og Bergen kommune.",
                    organisation=case.organisation.display_name),
                  "success")
            return redirect(url_for("agreements.agreement_page", agreement_id=case.agreement.id))
    status = 409 if request.method == "POST" and reason else 200
    return render_template("agreements/issue.html", case=case, spec=spec, form=form, reason=reason,
                           template_version=agreement_text.VERSION,
                           template_hash=agreements.fingerprint(
                               agreement_text.text_in(letters.locale_of(case.organisation))),
                           host=shared["host"]), status


@bp.route("/sak/<int:case_id>/oppsigelse", methods=["GET", "POST"])
def notice(case_id: int):
    case = get_case(case_id)
    party = agreements.signing_party(case, current_user)
    if party is None:
        abort(403)
    form = NoticeForm()
    if request.method == "GET":
        form.notice_date.data = clock.today()
    reason = _refusal(case, "give_notice")
    step = "edit"
    if reason is None and form.validate_on_submit() and not form.edit.data:
        if form.send.data:
            if attempt(lambda: agreements.give_notice(case, current_user, notice_date=form.notice_date.data,
                                                      reason=form.reason.data), form):
                flash(_("Oppsigelsen er sendt. FoU-rådgiveren bekrefter at den er mottatt."), "success")
                return redirect(url_for("cases.case_page", case_id=case.id))
        elif attempt(lambda: agreements.check_notice_date(case, form.notice_date.data), form):
            step = "review"
    last_day = agreements.notice_last_day_on(case, form.notice_date.data) if form.notice_date.data else None
    status = 409 if request.method == "POST" and reason else 200
    return render_template("agreements/notice.html", case=case, form=form, reason=reason, step=step,
                           last_day=last_day, party_label=agreements.case_party_name(case, party),
                           capped=last_day is not None and last_day == case.end_date), status


def _refusal(case: MembershipCase, trigger: str) -> str | None:
    """Why the signed-in user cannot take `trigger` on the case now, or None."""
    return step_refusal(case, MEMBERSHIP.spec(trigger))


