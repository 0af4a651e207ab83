"""Public pages (no account): a municipality's request to join, and the pages opened from a link sent to an
official mailbox (answering an invitation, confirming a request to join). A link opens a page; only its POST acts,
so a mail scanner that follows links uses nothing up."""
from dataclasses import asdict

from flask import Blueprint, make_response, redirect, render_template, request, url_for

from app import clock
from app.forms import ConfirmForm, names
from app.mailbox.forms import JoinForm, MailboxReplyForm
from app.models.invitation import ANSWER_LABELS
from app.security import public
from app.services import ServiceError, joins, mailbox_links, replies
from app.views import attempt, attempt_result, stored

bp = Blueprint("mailbox", __name__)
DETAILS = tuple(replies.ReplyDetails.__dataclass_fields__)


def _page(template: str, **context):
    """A page whose address holds a working token."""
    response = make_response(render_template(template, **context))
    response.headers["Referrer-Policy"] = "no-referrer"  # a link on the page would carry this address along
    return response


@bp.route("/postmottak/svar/<token>", methods=["GET", "POST"])
@public
def reply(token: str):
    try:
        link = mailbox_links.reply_link(token)
    except ServiceError as error:
        return render_template("link_refused.html", message=error.message), 404
    case, form = link.case, MailboxReplyForm()
    if request.method == "POST" and form.validate():
        details = replies.ReplyDetails(**{name: (getattr(form, name).data or "").strip() or None
                                          for name in DETAILS})
        if attempt(lambda: mailbox_links.answer(token, answer=form.answer.data, details=details,
                                                comment=form.comment.data), form):
            return _page("mailbox/replied.html", case=case, facts=asdict(details),
                         answer_label=ANSWER_LABELS[form.answer.data])
    return _page("mailbox/reply.html", case=case, form=form)


@bp.route("/bli-med", methods=["GET", "POST"])
@public
def join():
    form = JoinForm()
    form.organisation_id.choices = _joinable()
    if form.validate_on_submit():
        found = attempt_result(lambda: joins.request_to_join(
            form.organisation_id.data, name=form.name.data, title=form.title.data, email=form.email.data,
            remote_addr=request.remote_addr), form, "organisation_id")
        if found is not None:
            return redirect(url_for("mailbox.join_sent"))
    return render_template("mailbox/join.html", form=form)


def _joinable() -> list:
    """The municipalities that may ask to join today (joins.joinable), as ids and names: hundreds, read once per
    content version (stored; 2 ms a page at 500 units)."""
    def read() -> list:
        found = joins.joinable(clock.today())
        return [[o.id for o in found], [o.display_name for o in found]]

    ids, labels = stored("joinable_municipalities", "", read)
    return names(zip(ids, labels))


@bp.route("/bli-med/sendt")
@public
def join_sent():
    return render_template("mailbox/join_sent.html")


@bp.route("/bli-med/bekreft/<token>", methods=["GET", "POST"])
@public
def confirm_join(token: str):
    try:
        found = joins.by_token(token)
    except ServiceError as error:
        return render_template("link_refused.html", message=error.message), 404
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(lambda: joins.confirm(token), form):
        return _page("mailbox/join_confirmed.html", found=found)
    return _page("mailbox/join_confirm.html", found=found, form=form)
