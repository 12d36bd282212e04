"""Lexicon pages: search, the printable card, adding or suggesting, review, CSV import/export."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from planner.access import ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.models.standards import LANGUAGES, SITUATIONS
from planner.recognition.praise_csv import MAX_CSV_BYTES, ImportFailed
from planner.standards import forms, operations
from planner.standards.blueprint import bp, me, posted
from planner.standards.lexicon_csv import COLUMNS

TOO_LARGE = f"The file is too large: at most {MAX_CSV_BYTES // 1048576} MB. Split it."


def _filters() -> dict[str, str]:
    """The search words, language and situation of the query string."""
    return {
        "text": request.args.get("q", "")[:200],
        "language": request.args.get("language", ""),
        "situation": request.args.get("situation", ""),
    }


@bp.route("/lexicon")
@allow(*SIGNED_IN)
def lexicon() -> Any:
    """Search the phrases; coordinators also see suggestions waiting for review."""
    db = get_session()
    chosen = _filters()
    return render_template(
        "standards/lexicon.html",
        entries=operations.search_entries(db, **chosen),
        suggestions=(
            operations.search_entries(db, status="suggested") if me().role in ORGANISERS else []
        ),
        chosen=chosen,
        languages=LANGUAGES,
        situations=SITUATIONS,
    )


@bp.route("/lexicon/card")
@allow(*SIGNED_IN)
def lexicon_card() -> Any:
    """A one-page card to print (one language, optionally one situation)."""
    db = get_session()
    chosen = _filters()
    chosen["language"] = chosen["language"] if chosen["language"] in LANGUAGES else "en"
    return render_template(
        "standards/card.html",
        entries=operations.search_entries(db, **chosen)[:24],
        language=LANGUAGES[chosen["language"]],
        situation=SITUATIONS.get(chosen["situation"], ""),
        purpose=operations.current_purpose(db),
    )


def _values(form: forms.EntryForm) -> operations.EntryValues:
    """The form's values."""
    return operations.EntryValues(
        language=form.language.data or "",
        avoid=form.avoid.data or "",
        use_instead=form.use_instead.data or "",
        situations=" ".join(form.situations.data or []) or "general",
        why=form.why.data or "",
        example=form.example.data or "",
    )


@bp.route("/lexicon/new", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def new_entry() -> Any:
    """Coordinators add an entry; everyone else suggests one for a coordinator to approve."""
    db = get_session()
    form = forms.EntryForm()
    if form.validate_on_submit():
        try:
            entry = operations.add_entry(db, _values(form), me(), utcnow())
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            if entry.status == "approved":
                flash(_("The phrase is in the lexicon."), "success")
            else:
                flash(_("Thank you: a coordinator will review your suggestion."), "success")
            return redirect(url_for("standards.lexicon"))
    return render_template("standards/entry_form.html", form=form, entry=None)


@bp.route("/lexicon/<int:entry_id>", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_entry(entry_id: int) -> Any:
    """A coordinator corrects an entry."""
    db = get_session()
    try:
        entry = operations.get_entry(db, entry_id)
    except NotFound:
        abort(404)
    form = forms.EntryForm(obj=entry)
    if request.method == "GET":
        form.situations.data = entry.situation_list
    if form.validate_on_submit():
        try:
            operations.update_entry(db, entry.id, _values(form), utcnow())
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The entry is saved."), "success")
            return redirect(url_for("standards.lexicon"))
    return render_template("standards/entry_form.html", form=form, entry=entry)


@bp.route("/lexicon/<int:entry_id>/review", methods=["POST"])
@allow(*ORGANISERS)
def review_entry(entry_id: int) -> Any:
    """Approve or decline a suggestion."""
    db = get_session()
    approve = request.form.get("decision") == "approve"
    posted(
        db,
        lambda: operations.review_entry(db, entry_id, me(), approve=approve, now=utcnow()),
        lambda _done: "Approved: it is in the lexicon." if approve else "Declined.",
    )
    return redirect(url_for("standards.lexicon"))


@bp.route("/lexicon/<int:entry_id>/withdraw", methods=["POST"])
@allow(*ORGANISERS)
def withdraw_entry(entry_id: int) -> Any:
    """Take a phrase out of the lexicon (a re-import or a new suggestion can bring it back)."""
    db = get_session()
    posted(
        db,
        lambda: operations.withdraw_entry(db, entry_id, me(), utcnow()),
        lambda _done: _("The phrase is withdrawn from the lexicon."),
    )
    return redirect(url_for("standards.lexicon"))


@bp.route("/lexicon/import", methods=["GET", "POST"])
@allow(*ORGANISERS)
def import_lexicon() -> Any:
    """Import entries from CSV, all or nothing, every problem with its line."""
    db = get_session()
    problems: list[str] = []
    try:
        form = forms.UploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form, submitted = forms.UploadForm(formdata=None), False
        form.file.errors = [TOO_LARGE]
    if submitted:
        try:
            done = operations.import_lexicon(
                db, form.file.data.read(MAX_CSV_BYTES + 1), me(), utcnow()
            )
        except ImportFailed as exc:
            db.rollback()
            problems = exc.lines()
        else:
            db.commit()
            flash(
                f"Imported: {done.created} added, {done.updated} updated, "
                f"{done.unchanged} unchanged.",
                "success",
            )
            return redirect(url_for("standards.lexicon"))
    status = 413 if form.file.errors == [TOO_LARGE] else 400 if problems else 200
    return render_template(
        "standards/import.html",
        form=form,
        problems=problems,
        columns=COLUMNS,
        situations=SITUATIONS,
    ), status


@bp.route("/lexicon/export.csv")
@allow(*ORGANISERS)
def export_lexicon() -> Any:
    """The approved lexicon as a CSV file that re-imports unchanged."""
    return Response(
        "\ufeff" + operations.export_lexicon(get_session()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=lexicon.csv"},
    )
