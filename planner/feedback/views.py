"""Views of "You said, we did": the board, raising, an item's page, receipts, updates, leaders."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from planner.access import LEADERS, SIGNED_IN, allow, public
from planner.db import get_session
from planner.errors import ChangedMeanwhile, NotFound, PlannerError
from planner.feedback import board as boards
from planner.feedback import departments, forms, lifecycle, notify, pages, publishing
from planner.feedback.anonymity import item_for_receipt, quiet_request_logs
from planner.feedback.blueprint import bp
from planner.feedback.measures import compute_measures
from planner.i18n import _
from planner.mail import send_all

quiet_request_logs()
# Pages carrying a receipt token must not be kept by browsers or proxies, and pages of the
# anonymous flow must not tell the next request (nor its log line) where the browser came from.
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
RECEIPT_KEY = "feedback_receipt"


@bp.route("/")
@allow(*SIGNED_IN)
def board() -> Any:
    """The board: every item, filters, team counts, measures."""
    db = get_session()
    pages.publish_if_due(db, current_app)
    filters = boards.BoardFilters(**{k: request.args.get(k, "")[:20] for k in pages.FILTER_KEYS})
    today = pages.today(db)
    loaded = boards.load_board(db, filters, today=today, viewer_id=current_user.id)
    measures = compute_measures(db, today)
    by_department = departments.overview(db, today)
    return render_template(
        "feedback/board.html", board=loaded, filters=filters, measures=measures,
        by_department=by_department, **pages.choices(),
    )  # fmt: skip


def _raise_page(form_class: Any, *, meeting: bool) -> Any:
    """The raise form for staff or for a skip-level meeting: one flow, two attributions."""
    db = get_session()
    form = pages.raise_form(db, form_class, current_user)
    if form.validate_on_submit():
        try:
            raised = lifecycle.raise_item(
                db, author=current_user, from_meeting=meeting, **pages.raise_values(db, form)
            )
        except lifecycle.DuplicateSubmission as exc:
            db.rollback()
            return render_template("feedback/duplicate.html", item_id=exc.item_id), 409
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            if raised.item is None:
                # Carried to a page of its own in this browser's signed session cookie (never
                # stored on the server, never in a URL), shown there once.
                session[RECEIPT_KEY] = raised.receipt
                return redirect(url_for("feedback.received"), 303)
            flash(
                (
                    _("Logged for the group as %(id)s.", id=raised.item.public_id)
                    if meeting
                    else _("Thank you. Your feedback is %(id)s.", id=raised.item.public_id)
                ),
                "success",
            )
            if raised.item.meeting_event_id is not None:
                return redirect(url_for("meetings.page", event_id=raised.item.meeting_event_id))
            return redirect(url_for("feedback.item", item_id=raised.item.id))
    status = 400 if request.method == "POST" else 200
    page = render_template("feedback/new.html", form=form, meeting=meeting)
    return page, status, {} if meeting else {"Referrer-Policy": "no-referrer"}


@bp.route("/received")
@allow(*SIGNED_IN)
def received() -> Any:
    """The page that shows an anonymous raise's receipt link, once."""
    token = session.pop(RECEIPT_KEY, None)
    page = render_template("feedback/receipt_issued.html", receipt=token)
    return page, 200 if token else 410, NO_STORE


@bp.route("/new", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def raise_item() -> Any:
    """Raise an obstacle; an anonymous one goes to the pending pool, its receipt on /received."""
    return _raise_page(forms.RaiseForm, meeting=False)


@bp.route("/meeting", methods=["GET", "POST"])
@allow(*LEADERS)
def meeting_item() -> Any:
    """A leader logs an obstacle raised at a skip-level meeting, attributed to the meeting."""
    return _raise_page(forms.MeetingItemForm, meeting=True)


@bp.route("/<int:item_id>")
@allow(*SIGNED_IN)
def item(item_id: int) -> Any:
    """One item: its text, status, public response, history and (for leaders) the status form."""
    db = get_session()
    try:
        found = lifecycle.get_item(db, item_id)
    except NotFound:
        abort(404)
    return render_template("feedback/item.html", **pages.item_context(db, found, current_user))


@bp.route("/<int:item_id>/status", methods=["POST"])
@allow(*LEADERS)
def change_status(item_id: int) -> Any:
    """Move an item on; a stale form is told "changed meanwhile" and changes nothing."""
    db = get_session()
    try:
        found = lifecycle.get_item(db, item_id)
    except NotFound:
        abort(404)
    form = forms.StatusForm()
    if not form.validate_on_submit():
        context = pages.item_context(db, found, current_user, status_form=form)
        return render_template("feedback/item.html", **context), 400
    try:
        change = lifecycle.change_status(
            db, found, actor=current_user, **pages.status_values(db, form)
        )
        messages = notify.status_change_messages(
            db, found, change, actor_id=current_user.id, **pages.mail_settings()
        )
        db.commit()
    except (StaleDataError, IntegrityError):
        return pages.changed_meanwhile(db, item_id)
    except PlannerError as exc:
        db.rollback()
        form.form_errors.append(str(exc))
        found = lifecycle.get_item(db, item_id)
        context = pages.item_context(db, found, current_user, status_form=form)
        return render_template("feedback/item.html", **context), 409 if isinstance(
            exc, ChangedMeanwhile
        ) else 400
    send_all(current_app.config, messages)
    flash(
        _(
            "%(public_id)s is now %(lower)s.",
            public_id=found.public_id,
            lower=found.status_label.lower(),
        ),
        "success",
    )
    return redirect(url_for("feedback.item", item_id=item_id))


@bp.route("/<int:item_id>/vote", methods=["POST"])
@allow(*SIGNED_IN)
def vote(item_id: int) -> Any:
    """Add or take back a "me too"."""
    db = get_session()
    try:
        found = lifecycle.get_item(db, item_id)
        voted = lifecycle.toggle_vote(db, found, current_user)
        db.commit()
    except NotFound:
        abort(404)
    except PlannerError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        flash("Me too: counted." if voted else "Your vote was taken back.", "success")
    return redirect(url_for("feedback.item", item_id=item_id))


@bp.route("/receipt/<token>")
@public
def receipt(token: str) -> Any:
    """The anonymous author's private view of their item, opened with the receipt token."""
    db = get_session()
    found = item_for_receipt(db, token)
    if found is None:
        pending = publishing.pending_for_receipt(db, token)
        if pending is None:
            abort(404)
        return render_template("feedback/receipt_pending.html", pending=pending), 200, NO_STORE
    return (
        render_template("feedback/receipt.html", **pages.receipt_context(db, found)),
        200,
        NO_STORE,
    )


@bp.route("/updates")
@allow(*SIGNED_IN)
def updates_latest() -> Any:
    """This month's update."""
    return redirect(url_for("feedback.updates", month=f"{pages.today(get_session()):%Y-%m}"))


@bp.route("/updates/<month>")
@allow(*SIGNED_IN)
def updates(month: str) -> Any:
    """The monthly "you said, we did" update: what was closed with a response that month."""
    try:
        first = boards.parse_month(month)
    except PlannerError:
        abort(404)
    update = boards.monthly_update(get_session(), first)
    return render_template("feedback/updates.html", update=update, **pages.month_links(first))


@bp.route("/leaders/<int:person_id>")
@allow(*SIGNED_IN)
def leader(person_id: int) -> Any:
    """A leader's record of acting on feedback."""
    db = get_session()
    person = pages.leader_or_none(db, person_id)
    if person is None:
        abort(404)
    measures = compute_measures(db, pages.today(db), leader_id=person.id)
    owned = pages.owned_items(db, person.id)
    return render_template("feedback/leader.html", person=person, measures=measures, owned=owned)


@bp.route("/export.csv")
@allow(*SIGNED_IN)
def export_csv() -> Any:
    """The board as CSV (public fields only; spreadsheet formulas neutralised)."""
    db = get_session()
    body = pages.board_csv(db, pages.today(db))
    headers = {"Content-Disposition": 'attachment; filename="feedback-board.csv"'}
    return body, 200, {"Content-Type": "text/csv; charset=utf-8", **headers}


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def unsubscribe(token: str) -> Any:
    """One-click unsubscribe: GET shows a confirm button, POST unsubscribes (no sign-in)."""
    db = get_session()
    target = notify.read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    if target is None:
        abort(404)
    form = forms.UnsubscribeForm()
    done = False
    if form.validate_on_submit():
        if not notify.unsubscribe(db, *target):
            abort(404)
        db.commit()
        done = True
    return render_template(
        "feedback/unsubscribe.html", form=form, done=done, digest=target[1] is None
    )


# Departments, routing and thank-yous add their routes to the same blueprint.
from planner.feedback import views_departments  # noqa: E402, F401
