"""Meeting forms: field validation only (the operations check the rules)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from planner.i18n import lazy_gettext as _l
from planner.meetings.operations import AGENDA_MAX, NOTES_MAX


class NotesForm(FlaskForm):
    """The hosting leader's private notes of one meeting."""

    notes = TextAreaField(
        _l("Private notes"),
        validators=[Optional(), Length(max=NOTES_MAX)],
        description=_l("Only you see these notes. Obstacles for the board: use “Log an obstacle”."),
    )
    submit = SubmitField(_l("Save notes"))


class AgendaForm(FlaskForm):
    """The default agenda of every skip-level meeting (coordinators)."""

    text = TextAreaField(
        _l("Agenda"),
        validators=[Optional(), Length(max=AGENDA_MAX)],
        description=_l("One line per point. Shown on every skip-level meeting page."),
    )
    submit = SubmitField(_l("Save the agenda"))
