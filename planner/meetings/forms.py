"""Meeting forms: field validation only (the operations check the rules)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from planner.meetings.operations import AGENDA_MAX, NOTES_MAX


class NotesForm(FlaskForm):
    """The hosting leader's private notes of one meeting."""

    notes = TextAreaField(
        "Private notes",
        validators=[Optional(), Length(max=NOTES_MAX)],
        description="Only you see these notes. Obstacles for the board: use “Log an obstacle”.",
    )
    submit = SubmitField("Save notes")


class AgendaForm(FlaskForm):
    """The default agenda of every skip-level meeting (coordinators)."""

    text = TextAreaField(
        "Agenda",
        validators=[Optional(), Length(max=AGENDA_MAX)],
        description="One line per point. Shown on every skip-level meeting page.",
    )
    submit = SubmitField("Save the agenda")
