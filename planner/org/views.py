"""Views of the org area: people, chart, teams, settings, CSV import and export.

Leaders may browse (people list, chart, person and team pages) read-only; coordinators and
admins edit. Staff get 403 on every org page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from planner.access import LEADERS, ORGANISERS, allow
from planner.db import get_session, utcnow
from planner.errors import NotFound, PlannerError
from planner.i18n import _
from planner.org import forms, operations, queries
from planner.org.chart import skip_level_leader

bp = Blueprint("org", __name__, url_prefix="/org")


def _actor() -> Any:
    """The signed-in person as a model object (operations take it as a plain argument)."""
    return current_user._get_current_object()


def _person_or_404(person_id: int) -> Any:
    try:
        return operations.get_person(get_session(), person_id)
    except NotFound:
        abort(404)


def _team_or_404(team_id: int) -> Any:
    try:
        return operations.get_team(get_session(), team_id)
    except NotFound:
        abort(404)


def _with_team_choices(form: Any) -> Any:
    form.team_id.choices = forms.options([("", _("No team")), *queries.team_choices(get_session())])
    return form


def _person_form(person: Any) -> Any:
    form = forms.PersonForm(
        formdata=None,
        obj=person,
        team_id=str(person.team_id or ""),
        manager_email=person.manager.email if person.manager else "",
        loaded_at=person.updated_at.isoformat() if person.updated_at else "",
    )
    return _with_team_choices(form)


def _change(form: Any) -> operations.PersonChange:
    return operations.PersonChange(
        name=form.name.data or "",
        email=form.email.data or "",
        role=form.role.data,
        team_id=int(form.team_id.data) if form.team_id.data else None,
        manager_email=form.manager_email.data or "",
        active=bool(form.active.data),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
    )


def _skip_leader_of(db: Any, person: Any) -> dict[str, Any]:
    """A frontline member's skip-level leader is their team's (with why); others': the
    manager's manager."""
    if person.team is not None and person.team.frontline:
        leaders, why = queries.team_skip_leaders(db, person.team.id)
        return {"skip_leader": leaders[0] if leaders else None, "skip_why": why}
    return {"skip_leader": skip_level_leader(person), "skip_why": ""}


def _person_page(person: Any, status: int = 200, **forms_and_values: Any) -> Any:
    db = get_session()
    context = {
        "person": person,
        "chain": queries.manager_chain(person),
        "absences": queries.absences(db, person.id),
        **_skip_leader_of(db, person),
        "form": forms_and_values.pop("form", None) or _person_form(person),
        "absence_form": forms_and_values.pop("absence_form", None)
        or forms.AbsenceForm(prefix="absence"),
        **forms_and_values,
    }
    return render_template("org/person.html", **context), status


@bp.route("/people")
@allow(*LEADERS)
def people() -> Any:
    """The people list: search, filter by team and role, paginated."""
    form = forms.PeopleFilterForm(request.args)
    form.team.choices = forms.options(
        [("", _("Any team")), ("none", _("No team")), *queries.team_choices(get_session())]
    )
    form.validate()
    found = queries.people_page(
        get_session(),
        q=form.q.data or "" if not form.q.errors else "",
        team=form.team.data or "" if not form.team.errors else "",
        role=form.role.data or "" if not form.role.errors else "",
        page=form.page.data or 1 if not form.page.errors else 1,
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("org/people.html", form=form, found=found, args=args)


@bp.route("/people/new", methods=["GET", "POST"])
@allow(*ORGANISERS)
def new_person() -> Any:
    """Add one person by hand."""
    form = _with_team_choices(forms.PersonForm())
    if form.validate_on_submit():
        db = get_session()
        try:
            person = operations.create_person(db, _change(form), actor=_actor())
        except PlannerError as exc:
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("%(name)s was added.", name=person.name), "success")
            return redirect(url_for("org.person", person_id=person.id))
    return render_template("org/new_person.html", form=form)


@bp.route("/people/<int:person_id>")
@allow(*LEADERS)
def person(person_id: int) -> Any:
    """A person's page: reporting line, reports, absences; editable by coordinators."""
    return _person_page(_person_or_404(person_id))


def _loaded_at(raw: str | None) -> datetime | None:
    """The instant the edit form was loaded (an aware ISO time it carries), or ValueError."""
    if not raw:
        return None
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError("The form is out of date or was changed. Reload the page and try again.")
    return value


@bp.route("/people/<int:person_id>/edit", methods=["POST"])
@allow(*ORGANISERS)
def edit_person(person_id: int) -> Any:
    """Save a person's details."""
    target = _person_or_404(person_id)
    form = _with_team_choices(forms.PersonForm())
    if form.validate_on_submit():
        db = get_session()
        try:
            loaded_at = _loaded_at(form.loaded_at.data)
            operations.update_person(
                db, person_id, _change(form), actor=_actor(), loaded_at=loaded_at
            )
        except (PlannerError, ValueError) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("%(name)s was saved.", name=target.name), "success")
            return redirect(url_for("org.person", person_id=person_id))
    return _person_page(_person_or_404(person_id), 422, form=form)


@bp.route("/people/<int:person_id>/invite", methods=["POST"])
@allow(*ORGANISERS)
def invite(person_id: int) -> Any:
    """Create a one-time invite link and show it to the coordinator to pass on."""
    target = _person_or_404(person_id)
    db = get_session()
    try:
        token = operations.invite_person(db, person_id, actor=_actor(), now=utcnow())
    except PlannerError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("org.person", person_id=person_id))
    db.commit()
    # BASE_URL, not the Host header: behind a proxy the request may name an internal host.
    base = current_app.config["BASE_URL"].rstrip("/")
    link = base + url_for("auth.accept_invite", token=token)
    return _person_page(target, invite_link=link)


@bp.route("/people/<int:person_id>/absences", methods=["POST"])
@allow(*ORGANISERS)
def add_absence(person_id: int) -> Any:
    """Record an absence for a person."""
    target = _person_or_404(person_id)
    form = forms.AbsenceForm(prefix="absence")
    if form.validate_on_submit():
        db = get_session()
        try:
            operations.add_absence(
                db, person_id, form.first_day.data, form.last_day.data, form.note.data or "",
                actor=_actor(),
            )  # fmt: skip
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The absence was added."), "success")
            return redirect(url_for("org.person", person_id=person_id) + "#absences")
    return _person_page(target, 422, absence_form=form)


@bp.route("/people/<int:person_id>/absences/<int:absence_id>/remove", methods=["POST"])
@allow(*ORGANISERS)
def remove_absence(person_id: int, absence_id: int) -> Any:
    """Remove one absence."""
    _person_or_404(person_id)
    db = get_session()
    try:
        operations.remove_absence(db, person_id, absence_id, actor=_actor())
    except NotFound:
        abort(404)
    db.commit()
    flash(_("The absence was removed."), "success")
    return redirect(url_for("org.person", person_id=person_id) + "#absences")


@bp.route("/chart")
@allow(*LEADERS)
def chart() -> Any:
    """The org chart: teams with their skip-level leaders, and the reporting lines."""
    db = get_session()
    roots, loose = queries.reporting_tree(db)
    return render_template(
        "org/chart.html",
        teams=queries.teams_overview(db, request.args.get("page", 1, type=int)),
        rows=queries.tree_rows(roots, queries.CHART_LEVELS),
        loose=loose,
        team_form=forms.NewTeamForm(),
    )


@bp.route("/teams", methods=["POST"])
@allow(*ORGANISERS)
def new_team() -> Any:
    """Add a team."""
    form = forms.NewTeamForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            team = operations.create_team(
                db, form.name.data or "", frontline=bool(form.frontline.data), actor=_actor()
            )
        except PlannerError as exc:
            db.rollback()
            flash(str(exc), "error")
        else:
            db.commit()
            flash(_("Team %(name)s was added.", name=team.name), "success")
            return redirect(url_for("org.team", team_id=team.id))
    else:
        flash(_("Give the new team a name (at most 120 characters)."), "error")
    return redirect(url_for("org.chart"))


def _team_page(team: Any, form: Any = None, status: int = 200) -> Any:
    db = get_session()
    form = form or forms.TeamForm(
        formdata=None,
        obj=team,
        skip_level_email=team.skip_level_override.email if team.skip_level_override else "",
        head_email=team.head.email if team.head else "",
    )
    leaders, why = queries.team_skip_leaders(db, team.id)
    from planner.feedback.departments import department_head

    context = {
        "team": team, "form": form, "leaders": leaders, "skip_why": why,
        "head": None if team.frontline else department_head(db, team),
    }  # fmt: skip
    return render_template("org/team.html", **context), status


@bp.route("/teams/<int:team_id>")
@allow(*LEADERS)
def team(team_id: int) -> Any:
    """A team: its members and skip-level leader; editable by coordinators."""
    return _team_page(_team_or_404(team_id))


@bp.route("/teams/<int:team_id>/edit", methods=["POST"])
@allow(*ORGANISERS)
def edit_team(team_id: int) -> Any:
    """Save a team's name, frontline flag and skip-level override."""
    target = _team_or_404(team_id)
    form = forms.TeamForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            operations.update_team(
                db, team_id, name=form.name.data or "", frontline=bool(form.frontline.data),
                skip_level_email=form.skip_level_email.data or "", actor=_actor(),
                head_email=form.head_email.data or "",
            )  # fmt: skip
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The team was saved."), "success")
            return redirect(url_for("org.team", team_id=team_id))
    return _team_page(_team_or_404(target.id), form, 422)


# Settings, import and export live in their own module; importing it adds its routes to bp.
from planner.org import views_admin  # noqa: E402, F401
