"""The adviser's news: write, change, publish and take down the news items of the public website (app/public)."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import NewsItem
from app.news.forms import NewsForm, NewsStepForm
from app.security import role_required
from app.services import news, workflow
from app.views import attempt_result, confirmation, spec_or_404, step_refusal
from workflows.roles import ADVISER

bp = Blueprint("news", __name__, url_prefix="/redaksjon/nyheter")


def get_item(item_id: int) -> NewsItem:
    item = db.session.get(NewsItem, item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/")
@role_required(ADVISER)
def news_list():
    return render_template("news/list.html", items=news.all_items())


@bp.route("/ny", methods=["GET", "POST"])
@role_required(ADVISER)
def new():
    form = NewsForm()
    if form.validate_on_submit():
        item = attempt_result(lambda: news.create(current_user, title=form.title.data, body=form.body.data), form)
        if item is not None:
            return redirect(url_for("news.edit", item_id=item.id))
    return render_template("news/form.html", form=form, item=None)


@bp.route("/<int:item_id>", methods=["GET", "POST"])
@role_required(ADVISER)
def edit(item_id: int):
    item = get_item(item_id)
    form = NewsForm(obj=item)
    if form.validate_on_submit() and attempt_result(
            lambda: news.update(item, current_user, title=form.title.data, body=form.body.data) or True, form):
        return redirect(url_for("news.edit", item_id=item.id))
    return render_template("news/form.html", form=form, item=item, editable=item.state in news.EDITABLE,
                           actions=workflow.actions(item, current_user))


@bp.route("/<int:item_id>/<trigger>", methods=["GET", "POST"])
@role_required(ADVISER)
def step(item_id: int, trigger: str):
    item = get_item(item_id)
    spec = spec_or_404(item, trigger)
    form = NewsStepForm()

    def take() -> str:
        workflow.perform(item, spec.trigger, current_user, comment=form.comment.data)
        return _("Utført: %(step)s.", step=_(spec.label))

    return confirmation("confirm_step.html", form, take, url_for("news.edit", item_id=item.id),
                        refusal=step_refusal(item, spec), danger=item.workflow.is_destructive(spec.trigger),
                        final=not item.workflow.triggers_from(spec.dest), obj=item, spec=spec, title=item.title)
