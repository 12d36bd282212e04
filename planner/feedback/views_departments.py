"""Views of departments as owners: routing an item, thanking a department, the department pages
and their monthly customer-signal reports."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from planner.access import LEADERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import NotFound, PlannerError
from planner.feedback import board as boards
from planner.feedback import departments, forms, lifecycle, notify, pages, signals, thanks
from planner.feedback.blueprint import bp
from planner.feedback.measures import compute_measures
from planner.i18n import _
from planner.mail import send_all


def _item_or_404(item_id: int) -> Any:
    try:
        return lifecycle.get_item(get_session(), item_id)
    except NotFound:
        abort(404)


def _department_or_404(team_id: int) -> Any:
    try:
        return departments.get_department(get_session(), team_id)
    except PlannerError:
        abort(404)


@bp.route("/<int:item_id>/route", methods=["POST"])
@allow(*LEADERS)
def route(item_id: int) -> Any:
    """Route an item to a department (its head owns it from now on) with its customer impact."""
    db = get_session()
    found = _item_or_404(item_id)
    form = pages.route_form(db, found, forms.RouteForm())
    if form.validate_on_submit():
        try:
            change = departments.route_item(
                db, found, actor=current_user, **pages.route_values(db, form)
            )
            messages = notify.routed_messages(
                db, found, base_url=pages.mail_settings()["base_url"], actor_id=current_user.id
            ) if change is not None else []  # fmt: skip
            db.commit()
        except (StaleDataError, IntegrityError):
            return pages.changed_meanwhile(db, item_id)
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            send_all(current_app.config, messages)
            flash(_("Saved: %(id)s.", id=found.public_id), "success")
            return redirect(url_for("feedback.item", item_id=item_id))
    found = lifecycle.get_item(db, item_id)
    context = pages.item_context(db, found, current_user, routing_form=form)
    return render_template("feedback/item.html", **context), 400


@bp.route("/<int:item_id>/thank", methods=["POST"])
@allow(*LEADERS)
def thank(item_id: int) -> Any:
    """One click: thank the department that got the item done (a second click changes nothing)."""
    db = get_session()
    found = _item_or_404(item_id)
    if not forms.ThankForm().validate_on_submit():
        abort(400)
    try:
        _event, created = thanks.thank_department(
            db, found, actor=current_user, now=utcnow(), today=pages.today(db)
        )
        db.commit()
    except IntegrityError:
        db.rollback()  # a double click: the first thank-you stands
        created = False
    except PlannerError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("feedback.item", item_id=item_id))
    department = found.department.name if found.department else ""
    flash(
        _("%(department)s was thanked.", department=department)
        if created
        else _("%(department)s was already thanked for this item.", department=department),
        "success",
    )
    return redirect(url_for("feedback.item", item_id=item_id))


@bp.route("/departments")
@allow(*SIGNED_IN)
def department_list() -> Any:
    """Every department with its head, open items and response times."""
    db = get_session()
    return render_template(
        "feedback/departments.html", rows=departments.overview(db, pages.today(db))
    )


@bp.route("/departments/<int:team_id>")
@allow(*SIGNED_IN)
def department(team_id: int) -> Any:
    """One department: the items routed to it and its measures."""
    db = get_session()
    team = _department_or_404(team_id)
    today = pages.today(db)
    return render_template(
        "feedback/department.html", department=team,
        head=departments.department_head(db, team),
        measures=compute_measures(db, today, department_id=team.id),
        items=departments.routed_items(db, team.id), month=f"{today:%Y-%m}",
    )  # fmt: skip


@bp.route("/departments/<int:team_id>/signals/<month>")
@allow(*LEADERS)
def department_signals(team_id: int, month: str) -> Any:
    """A department's customer signals for one month."""
    db = get_session()
    team = _department_or_404(team_id)
    try:
        first = boards.parse_month(month)
    except PlannerError:
        abort(404)
    if not 2000 <= first.year <= 2100:
        abort(404)
    report = signals.build_report(db, team, first)
    return render_template("feedback/signals.html", report=report, **pages.month_links(first))
