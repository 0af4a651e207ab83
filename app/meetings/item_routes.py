"""A meeting's agenda items: the adviser adds, changes, moves and removes them before the meeting, attaches
documents and records each decision; whoever sees the meeting reads them."""
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app import downloads, history
from app.extensions import db
from app.formatting import short_date
from app.forms import ConfirmForm
from app.meetings.forms import DecisionForm, DocumentForm, ItemForm
from app.meetings.routes import get_meeting
from app.models import Meeting, MeetingItem, MeetingItemDocument
from app.security import role_required
from app.services import meeting_items, meetings
from app.views import attempt, attempt_or_flash, attempt_result, confirmation, stored
from workflows.roles import ADVISER

bp = Blueprint("meeting_items", __name__, url_prefix="/moter")
# The item's meeting, without its invitees (hundreds): the adviser's pages do not read them.
WITH_MEETING = joinedload(MeetingItem.meeting).lazyload(Meeting.invitees)


def get_item(agenda_item_id: int) -> MeetingItem:
    """The item, if the signed-in user sees its meeting; 404 otherwise."""
    item = db.session.get(MeetingItem, agenda_item_id, options=[WITH_MEETING])
    if item is None or not item.meeting.can_view(current_user):
        abort(404)
    return item


def _item_page(agenda_item_id: int) -> str:
    return url_for("meeting_items.item_page", agenda_item_id=agenda_item_id)


@bp.route("/<int:meeting_id>/saker/ny", methods=["GET", "POST"])
@role_required(ADVISER)
def item_new(meeting_id: int):
    meeting = get_meeting(meeting_id, meetings.WITHOUT_INVITEES)
    form = ItemForm()
    item = form.validate_on_submit() and attempt_result(
        lambda: meeting_items.add(meeting, current_user, title=form.title.data, description=form.description.data),
        form, "title")
    if item:
        flash(_("Sak %(number)s er satt på sakslisten.", number=item.reference), "success")
        return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id, _anchor="agenda"))
    return render_template("meetings/item_form.html", form=form, meeting=meeting, item=None)


@bp.route("/saker/<int:agenda_item_id>")
def item_page(agenda_item_id: int):
    item = get_item(agenda_item_id)
    return _page(item, DecisionForm(decision=item.decision), DocumentForm())


def _page(item: MeetingItem, decision_form: DecisionForm, document_form: DocumentForm):
    # Its documents, what was decided under it and its history are the same for everyone who sees the meeting: read
    # once per content version (11 -> 5 statements, CPU time against /_bench/rows ~1.8x -> ~1.4x, 01.12.2026).
    shared = stored("item_page", item.id, lambda: {
        "documents": [{"id": document.id, "title": document.title, "uploaded": short_date(document.uploaded_at)}
                      for document in item.documents],
        "decided": [asdict(found) for found in meeting_items.decided_under(item)],
        "history": history.rows(meeting_items.history(item))})
    return render_template("meetings/item.html", item=item, meeting=item.meeting, decision_form=decision_form,
                           document_form=document_form, form=ConfirmForm(), started=item.meeting.has_begun,
                           documents=shared["documents"], decided=shared["decided"], history=shared["history"])


@bp.route("/saker/<int:agenda_item_id>/endre", methods=["GET", "POST"])
@role_required(ADVISER)
def item_edit(agenda_item_id: int):
    item = get_item(agenda_item_id)
    form = ItemForm(obj=item)
    if item.approves_minutes_of_id is not None:
        form.title.data = item.heading
    if form.validate_on_submit() and attempt(lambda: meeting_items.update(
            item, current_user, title=form.title.data, description=form.description.data), form, "title"):
        flash(_("Saken er endret."), "success")
        return redirect(_item_page(item.id))
    return render_template("meetings/item_form.html", form=form, meeting=item.meeting, item=item)


@bp.route("/saker/<int:agenda_item_id>/flytt", methods=["POST"])
@role_required(ADVISER)
def item_move(agenda_item_id: int):
    item = get_item(agenda_item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    step = -1 if request.form.get("step") == "up" else 1
    attempt_or_flash(lambda: meeting_items.move(item, current_user, step))
    return redirect(url_for("meetings.meeting_page", meeting_id=item.meeting_id, _anchor="agenda"))


@bp.route("/saker/<int:agenda_item_id>/fjern", methods=["GET", "POST"])
@role_required(ADVISER)
def item_remove(agenda_item_id: int):
    item = get_item(agenda_item_id)
    meeting_id = item.meeting_id

    def remove() -> str:
        number = item.reference
        meeting_items.remove(item, current_user)
        return _("Sak %(number)s er fjernet fra sakslisten.", number=number)

    return confirmation("meetings/item_remove.html", ConfirmForm(), remove,
                        url_for("meetings.meeting_page", meeting_id=meeting_id, _anchor="agenda"),
                        back=_item_page(item.id), item=item,
                        refusal=meeting_items.agenda_refusal(item.meeting))


@bp.route("/saker/<int:agenda_item_id>/vedtak", methods=["POST"])
@role_required(ADVISER)
def item_decision(agenda_item_id: int):
    item = get_item(agenda_item_id)
    form = DecisionForm()
    if form.validate_on_submit() and attempt(lambda: meeting_items.record_decision(
            item, current_user, text=form.decision.data, reason=form.reason.data), form, "decision"):
        flash(_("Vedtaket i sak %(number)s er registrert.", number=item.reference), "success")
        return redirect(_item_page(item.id))
    return _page(item, form, DocumentForm())


@bp.route("/saker/<int:agenda_item_id>/dokumenter", methods=["POST"])
@role_required(ADVISER)
def item_attach(agenda_item_id: int):
    item = get_item(agenda_item_id)
    form = DocumentForm()
    if form.validate_on_submit() and attempt(lambda: meeting_items.attach(
            item, current_user, title=form.title.data, pdf=form.file.data.read()), form, "file"):
        flash(_("Dokumentet er lagt ved saken."), "success")
        return redirect(_item_page(item.id))
    return _page(item, DecisionForm(decision=item.decision), form)


def get_document(item_document_id: int) -> MeetingItemDocument:
    document = db.session.get(MeetingItemDocument, item_document_id)
    if document is None:
        abort(404)
    get_item(document.item_id)
    return document


@bp.route("/dokumenter/<int:item_document_id>.pdf")
def item_document(item_document_id: int):
    document = get_document(item_document_id)
    content = meeting_items.document_pdf(document)
    if content is None:
        abort(404)
    return downloads.kept_file("meeting_item_document", item_document_id, lambda: content,
                               _("sak-%(id)s.pdf", id=item_document_id))


@bp.route("/dokumenter/<int:item_document_id>/fjern", methods=["GET", "POST"])
@role_required(ADVISER)
def document_remove(item_document_id: int):
    document = get_document(item_document_id)
    item_id = document.item_id
    return confirmation("meetings/document_remove.html", ConfirmForm(),
                        lambda: meeting_items.detach(document, current_user) or _("Dokumentet er fjernet."),
                        _item_page(item_id), document=document,
                        refusal=meeting_items.documents_refusal(document.item))
