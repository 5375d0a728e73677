"""Pages: an event's registration questions, for its organisers (add one, remove one)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from app.errors.domain import DomainError
from app.events import questions, services
from app.events.routes import bp
from app.events.sign_up_pages import expired
from app.events.signup_forms import place_form_errors
from app.extensions import csrf
from app.models.question import QUESTION_KINDS
from app.unit_of_work import attempt, savepoint


class QuestionForm(FlaskForm):
    label_zh = StringField(_l("Question in Chinese"))
    label_en = StringField(_l("Question in English (optional)"))
    kind = SelectField(_l("Kind of answer"), choices=lambda: [(k, questions.kind_labels()[k]) for k in QUESTION_KINDS])
    options = TextAreaField(_l("Options (one choice or several choices)"), description=_l("One option per line."))
    required = BooleanField(_l("An answer is required"))


def _managed(event_id: int):
    event = services.managed_event(current_user, event_id)
    if not event.can_edit(current_user):
        abort(403)
    return event


@bp.route("/events/<int:event_id>/questions", methods=["GET", "POST"])
@csrf.exempt  # the form checks its token itself, so that an expired page keeps what was typed
@login_required
def questions_page(event_id: int):
    event = _managed(event_id)
    form = QuestionForm()
    problems, status = [], 200
    if form.validate_on_submit():
        data = {k: form[k].data for k in ("label_zh", "label_en", "kind", "required")}
        data["options"] = [line for line in (form.options.data or "").splitlines() if line.strip()]
        try:
            with savepoint():
                questions.add_question(current_user, event, data)
        except DomainError as error:
            problems, status = place_form_errors(form, error), error.status
        else:
            flash(_("Question added."), "success")
            return redirect(url_for("events.questions_page", event_id=event.id))
    elif expired(form):
        status = 400
    return render_template(
        "events/questions.html",
        event=event,
        form=form,
        problems=problems,
        questions=questions.questions_of(event),
        kinds=questions.kind_labels(),
        signed_up=questions.has_sign_ups(event),
    ), status


@bp.post("/events/<int:event_id>/questions/<int:question_id>/remove")
@login_required
def remove_question(event_id: int, question_id: int):
    event = _managed(event_id)
    attempt(lambda: questions.remove_question(current_user, event, question_id), _("Question removed."))
    return redirect(url_for("events.questions_page", event_id=event.id))
