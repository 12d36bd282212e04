"""Recognition pages: the praise wall, logging and importing praise, outreach tasks.

Service stars, scorecards and the career ladder live in views_stars.py and views_scorecards.py
(registered on the same blueprint at the bottom of this module)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from planner.access import LEADERS, ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.i18n.content import shown
from planner.i18n.formatting import format_day
from planner.jobs import enqueue
from planner.jobs.operations import INLINE_ROWS, active_job, file_input, line_count
from planner.jobs.views import job_page
from planner.models import Person
from planner.recognition import clock, forms, praise, reveal, stars
from planner.recognition.praise_csv import MAX_CSV_BYTES, ImportFailed

bp = Blueprint("recognition", __name__, url_prefix="/recognition")

TOO_LARGE = (
    f"The file is too large: this page accepts CSV files up to {MAX_CSV_BYTES // 1048576} MB. "
    "Split it into smaller files."
)


def me() -> Person:
    """The signed-in person as a model object."""
    return current_user._get_current_object()


def upload_form() -> tuple[forms.UploadForm, bool]:
    """The upload form and whether it was validly submitted; an oversize body is a form error."""
    try:
        form = forms.UploadForm()
        return form, form.validate_on_submit()
    except RequestEntityTooLarge:
        form = forms.UploadForm(formdata=None)
        form.file.errors = [TOO_LARGE]
        return form, False


def read_upload(form: forms.UploadForm) -> bytes:
    """The uploaded bytes, read no further than one byte past the cap."""
    return form.file.data.read(MAX_CSV_BYTES + 1)


@bp.route("/")
@allow(*SIGNED_IN)
def index() -> Any:
    """The praise wall, with each role's next steps."""
    db = get_session()
    person = me()
    return render_template(
        "recognition/index.html",
        wall=praise.recent_praise(db),
        mine=praise.praise_for(db, person.id)[:5],
        tasks=praise.tasks_for(db, person) if person.role in LEADERS else [],
        decisions=stars.pending_for(db, person) if person.role in LEADERS else [],
        unrecognised=(
            stars.unrecognised_teams(db, clock.today(db), utcnow())
            if person.role in ORGANISERS
            else []
        ),
        show_customer=person.role in praise.PRAISE_READERS,
    )


@bp.route("/praise/new", methods=["GET", "POST"])
@allow(*LEADERS)
def log_praise() -> Any:
    """Log one customer praise; it becomes an outreach task for a leader."""
    db = get_session()
    form = forms.PraiseForm()
    if form.validate_on_submit():
        try:
            logged = praise.log_praise(
                db,
                person_id=form.person.person_id,
                received_on=form.received_on.data,
                channel=form.channel.data or "",
                quote=form.quote.data or "",
                customer_name=form.customer_name.data or "",
                logged_by_id=me().id,
                today=clock.today(db),
                now=utcnow(),
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            _flash_task(logged)
            return redirect(url_for("recognition.praise_detail", praise_id=logged.id))
    return render_template("recognition/praise_form.html", form=form)


def _flash_task(logged: Any) -> None:
    """Tell who will reach out, or that nobody can."""
    if logged.task is None:
        flash(
            _(
                "Praise saved. %(name)s has no manager or skip-level leader, so no outreach "
                "task was created: ask a coordinator to fix the org chart.",
                name=logged.person.name,
            ),
            "warning",
        )
    else:
        flash(
            _(
                "Praise saved. %(leader)s will reach out by %(day)s (%(gesture)s).",
                leader=logged.task.leader.name,
                day=format_day(logged.task.due_on),
                gesture=shown(logged.task.gesture).lower(),
            ),
            "success",
        )


@bp.route("/praise/import", methods=["GET", "POST"])
@allow(*ORGANISERS)
def import_praise() -> Any:
    """Import praise from a CSV file, all or nothing."""
    db = get_session()
    form, submitted = upload_form()
    problems: list[str] = []
    if submitted:
        data = read_upload(form)
        big = len(data) <= MAX_CSV_BYTES and line_count(data) > INLINE_ROWS  # too big: refused now
        if big or active_job(db, "import-praise"):
            job, created = enqueue(
                db, "import-praise", file_input(data), requested_by=me().id, exclusive=True
            )
            db.commit()  # the worker takes it from here; its page shows the progress
            return job_page(job, created)
        try:
            result = praise.import_praise(
                db, data, logged_by_id=me().id, today=clock.today(db), now=utcnow()
            )
        except ImportFailed as exc:
            db.rollback()
            form.form_errors.append(str(exc))
            problems = exc.lines()
        else:
            db.commit()
            flash(
                _(
                    "Imported %(created)s praise; %(already_there)s were already there.",
                    created=result.created,
                    already_there=result.already_there,
                ),
                "success",
            )
            if result.without_leader:
                names = ", ".join(sorted(set(result.without_leader)))
                flash(
                    _("No leader to reach out to (no manager): %(names)s.", names=names), "warning"
                )
            return redirect(url_for("recognition.index"))
    status = 413 if form.file.errors == [TOO_LARGE] else 400 if problems else 200
    return render_template(
        "recognition/import.html", form=form, problems=problems, max_rows=praise.MAX_IMPORT_ROWS
    ), status


@bp.route("/praise/<int:praise_id>")
@allow(*SIGNED_IN)
def praise_detail(praise_id: int) -> Any:
    """One praise: staff see only their own; leaders see all, with the customer's name."""
    db = get_session()
    try:
        item = praise.get_praise(db, praise_id, me())
    except NotFound:
        abort(404)
    return render_template(
        "recognition/praise.html",
        item=item,
        show_customer=me().role in praise.PRAISE_READERS,
    )


@bp.route("/people/<int:person_id>")
@allow(*SIGNED_IN)
def person_praise(person_id: int) -> Any:
    """All praise of one person (staff: only their own page)."""
    db = get_session()
    person = db.get(Person, person_id)
    if person is None or (me().role not in praise.PRAISE_READERS and person.id != me().id):
        abort(404)
    own = [a for a in stars.hall_of_fame(db) if a.person_id == person.id]
    revealed, _early = reveal.split_revealed(db, own, me(), clock.today(db))
    return render_template(
        "recognition/person.html",
        person=person,
        items=praise.praise_for(db, person.id),
        awards=revealed,
        show_customer=me().role in praise.PRAISE_READERS,
    )


@bp.route("/outreach")
@allow(*LEADERS)
def outreach() -> Any:
    """Outreach tasks: a leader's own (coordinators and admins: everyone's)."""
    db = get_session()
    tasks = praise.tasks_for(db, me(), include_done=True)
    return render_template(
        "recognition/outreach.html",
        open_tasks=[t for t in tasks if not t.done],
        done_tasks=[t for t in tasks if t.done][-50:],
        today=clock.today(db),
    )


@bp.route("/outreach/<int:task_id>", methods=["GET", "POST"])
@allow(*LEADERS)
def outreach_task(task_id: int) -> Any:
    """One outreach task; its leader (or a coordinator) marks it done."""
    db = get_session()
    try:
        task = praise.get_task(db, task_id, me())
    except NotFound:
        abort(404)
    form = forms.CompleteOutreachForm()
    if form.validate_on_submit():
        try:
            praise.complete_outreach(db, task.id, me(), form.what_was_done.data or "", utcnow())
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("Thank you for reaching out. The task is done."), "success")
            return redirect(url_for("recognition.outreach_task", task_id=task.id))
    return render_template("recognition/task.html", task=task, form=form)


# The other pages register their routes on `bp`.
from planner.recognition import views_scorecards, views_stars  # noqa: E402

__all__ = ["bp", "views_scorecards", "views_stars"]
