"""Forms of the feeds area: a narrowed personal feed, a team or organisation feed."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectField, SelectMultipleField, SubmitField, widgets
from wtforms.fields.choices import SelectChoice

from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.models import PRACTICES


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class PracticeBoxes(SelectMultipleField):
    """Practices as a list of checkboxes (none ticked = every practice)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _practices_field() -> PracticeBoxes:
    """The shared practice filter."""
    return PracticeBoxes(
        _l("Only these practices"),
        choices=choices(PRACTICES.items()),
        description=_l("Leave all unticked for everything."),
    )


class PersonalFeedForm(PlannerForm):
    """Add a personal feed, e.g. only P4 skip-levels."""

    practices = _practices_field()
    submit = SubmitField(_l("Add feed"))


REMINDER_LABELS = {
    "none": _l("No reminders"),
    "timed": _l("15 minutes before timed events"),
    "tasks": _l("09:00 on the day of all-day tasks (outreach, follow-ups)"),
    "both": _l("Both"),
}


class ReminderForm(PlannerForm):
    """A feed's reminder choice (VALARM); off by default."""

    reminders = SelectField(_l("Reminders"), choices=choices(REMINDER_LABELS.items()))
    submit = SubmitField(_l("Save reminders"))


class ManagedFeedForm(PlannerForm):
    """Add a team feed or an organisation-wide feed (coordinators)."""

    owner = SelectField(_l("Feed for"), choices=choices([("org", _l("The whole organisation"))]))
    practices = _practices_field()
    submit = SubmitField(_l("Add feed"))
