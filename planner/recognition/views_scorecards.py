"""Scorecard pages (internal beside external measures, with trend charts) and the career ladder."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from planner.access import LEADERS, ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound
from planner.i18n import _, ngettext
from planner.i18n.formatting import format_day, format_month, format_number
from planner.models import CareerLevel, Team
from planner.recognition import careers, clock, cycle_data, cycle_reading, forms, scorecards, svg
from planner.recognition.praise_csv import ImportFailed
from planner.recognition.views import TOO_LARGE, bp, me, read_upload, upload_form


def _render_scorecard(team: Team | None) -> Any:
    """The scorecard page of a team or of the organisation."""
    db = get_session()
    card = scorecards.scorecard(db, team.id if team else None, clock.today(db))
    labels = [format_day(m, "monthshort") for m in card.months]
    charts = [
        (
            metric,
            svg.trend_chart(
                f"chart-{metric.key}",
                f"{metric.label} by month",
                metric.unit,
                labels,
                card.values[metric.key],
                low=metric.low,
                high=metric.high,
            ),
        )
        for metric in scorecards.METRICS
        if any(v is not None for v in card.values.get(metric.key, []))
    ]
    cycle = None if team else cycle_data.cycle_card(db, clock.today(db))
    return render_template(
        "recognition/scorecard.html",
        cycle=cycle,
        reading=cycle.reading.sentence(cycle.latest, format_number) if cycle else "",
        indicators=cycle_reading.INDICATORS,
        quarter_labels=[quarter_label(q.first) for q in cycle.quarters] if cycle else [],
        card=card,
        team=team,
        labels=labels,
        charts=charts,
        internal=[m for m in scorecards.METRICS if m.side == "internal"],
        external=[m for m in scorecards.METRICS if m.side == "external"],
        teams=list(db.scalars(select(Team).order_by(Team.name))),
    )


@bp.route("/scorecards")
@allow(*SIGNED_IN)
def scorecard() -> Any:
    """The organisation's scorecard and links to every team's."""
    return _render_scorecard(None)


def quarter_label(first: date) -> str:
    """e.g. "Q3 2026"."""
    return _("Q%(quarter)d %(year)d", quarter=(first.month - 1) // 3 + 1, year=first.year)


@bp.route("/scorecards/cycle", methods=["GET", "POST"])
@allow(*ORGANISERS)
def cycle_thresholds() -> Any:
    """Show and change the thresholds the cycle reading uses."""
    db = get_session()
    stored = cycle_data.thresholds(db)
    form = forms.ThresholdsForm(
        data={f"{k}_{w}": getattr(b, w) for k, b in stored.items() for w in ("failure", "success")}
    )
    if form.validate_on_submit():
        values = {
            i.key: cycle_reading.Bounds(
                getattr(form, f"{i.key}_failure").data, getattr(form, f"{i.key}_success").data
            )
            for i in cycle_reading.INDICATORS
        }
        try:
            cycle_data.save_thresholds(db, values)
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The thresholds are saved."), "success")
            return redirect(url_for("recognition.scorecard", _anchor="cycle"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "recognition/cycle_thresholds.html",
        form=form,
        indicators=cycle_reading.INDICATORS,
        defaults=cycle_reading.default_bounds(),
    ), status


@bp.route("/scorecards/team/<int:team_id>")
@allow(*SIGNED_IN)
def team_scorecard(team_id: int) -> Any:
    """A team's scorecard: the stable URL that scorecard-review events link to."""
    team = get_session().get(Team, team_id)
    if team is None:
        abort(404)
    return _render_scorecard(team)


@bp.route("/scorecards/enter", methods=["GET", "POST"])
@allow(*LEADERS)
def enter_metrics() -> Any:
    """Enter a team's numbers for one month; empty boxes leave a number as it is."""
    db = get_session()
    form = forms.MetricsForm()
    form.team.choices = forms.options(
        [(t.id, t.name) for t in scorecards.teams_for_entry(db, me())]
    )
    if form.validate_on_submit():
        values = {
            m.key: getattr(form, m.key).data
            for m in scorecards.ENTERED
            if getattr(form, m.key).data is not None
        }
        try:
            scorecards.set_values(
                db, me(), form.team.data, form.month.data, values, clock.today(db)
            )
        except (InvalidInput, NotFound) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(
                ngettext(
                    "Saved %(num)d number for %(month)s.",
                    "Saved %(num)d numbers for %(month)s.",
                    len(values),
                    month=format_month(form.month.data),
                ),
                "success",
            )
            return redirect(url_for("recognition.team_scorecard", team_id=form.team.data))
    return render_template("recognition/metrics_form.html", form=form)


@bp.route("/scorecards/import", methods=["GET", "POST"])
@allow(*LEADERS)
def import_metrics() -> Any:
    """Import scorecard numbers from a CSV file, all or nothing."""
    db = get_session()
    form, submitted = upload_form()
    problems: list[str] = []
    if submitted:
        try:
            count = scorecards.import_metrics(db, read_upload(form), me(), clock.today(db))
        except ImportFailed as exc:
            db.rollback()
            form.form_errors.append(str(exc))
            problems = exc.lines()
        else:
            db.commit()
            done = ngettext("Imported %(num)d number.", "Imported %(num)d numbers.", count)
            flash(done, "success")
            return redirect(url_for("recognition.scorecard"))
    status = 413 if form.file.errors == [TOO_LARGE] else 400 if problems else 200
    return render_template(
        "recognition/metrics_import.html", form=form, problems=problems, metrics=scorecards.ENTERED
    ), status


@bp.route("/careers")
@allow(*SIGNED_IN)
def career_ladder() -> Any:
    """The service career ladder, where people stand, and recent promotions."""
    db = get_session()
    levels = careers.ladder(db)
    placed = careers.levels_by_person(db)
    return render_template(
        "recognition/careers.html",
        levels=levels,
        members={lvl.id: [pl for pl in placed.values() if pl.level_id == lvl.id] for lvl in levels},
        promotions=careers.recent_promotions(db),
        own=placed.get(me().id),
    )


@bp.route("/careers/levels/new", methods=["GET", "POST"])
@bp.route("/careers/levels/<int:level_id>", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_level(level_id: int | None = None) -> Any:
    """Describe a level of the ladder."""
    db = get_session()
    level = db.get(CareerLevel, level_id) if level_id is not None else None
    if level_id is not None and level is None:
        abort(404)
    form = forms.LevelForm(obj=level)
    if form.validate_on_submit():
        try:
            careers.save_level(
                db,
                level_id=level_id,
                name=form.name.data or "",
                rank=form.rank.data or 0,
                meaning=form.meaning.data or "",
                requirements=form.requirements.data or "",
            )
        except (InvalidInput, NotFound) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The level is saved."), "success")
            return redirect(url_for("recognition.career_ladder"))
    return render_template("recognition/level_form.html", form=form, level=level)


def _ladder_choices(form: Any) -> None:
    """Fill the person and level options of a ladder form."""
    form.level.choices = forms.options(
        [(lvl.id, lvl.name) for lvl in careers.ladder(get_session())]
    )


@bp.route("/careers/promote", methods=["GET", "POST"])
@allow(*ORGANISERS)
def promote() -> Any:
    """Record a promotion; the team's calendar gets a celebration on that day."""
    db = get_session()
    form = forms.PromotionForm()
    _ladder_choices(form)
    if form.validate_on_submit():
        try:
            done = careers.promote(
                db,
                person_id=form.person.person_id,
                level_id=form.level.data,
                promoted_on=form.promoted_on.data,
                note=form.note.data or "",
                recorded_by=me(),
                now=utcnow(),
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(
                _(
                    "%(name)s is now %(name2)s. Congratulations!",
                    name=done.person.name,
                    name2=done.level.name,
                ),
                "success",
            )
            return redirect(url_for("recognition.career_ladder"))
    return render_template("recognition/ladder_form.html", form=form, title=_("Record a promotion"))


@bp.route("/careers/place", methods=["GET", "POST"])
@allow(*ORGANISERS)
def place() -> Any:
    """Place someone on the ladder without a celebration."""
    db = get_session()
    form = forms.PlacementForm()
    _ladder_choices(form)
    if form.validate_on_submit():
        try:
            careers.place(db, form.person.person_id, form.level.data, clock.today(db))
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("Placed on the ladder."), "success")
            return redirect(url_for("recognition.career_ladder"))
    return render_template(
        "recognition/ladder_form.html", form=form, title=_("Place on the ladder")
    )
