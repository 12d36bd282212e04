"""Forms of the year plan: field validation only (the operations check again)."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.i18n.formatting import weekday_name
from planner.models import EVENT_KINDS, PRACTICES
from planner.models.scheduler import EXPANSIONS

# Each weekday's name in the reader's language, looked up when the form is shown.
DAY_NAMES = tuple(LazyString(weekday_name, day) for day in range(7))


def choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as labelled checkboxes (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CadenceForm(PlannerForm):
    """Create or edit a cadence."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(EVENT_KINDS.items()))
    practice = SelectField(_l("Practice"), choices=choices(PRACTICES.items()))
    expansion = SelectField(_l("Who takes part"), choices=choices(EXPANSIONS.items()))
    min_gap_weeks = IntegerField(
        _l("Shortest gap (weeks)"),
        validators=[InputRequired(), NumberRange(1, 52, "Between 1 and 52 weeks.")],
    )
    max_gap_weeks = IntegerField(
        _l("Longest gap (weeks)"),
        validators=[InputRequired(), NumberRange(1, 52, "Between 1 and 52 weeks.")],
    )
    duration_minutes = IntegerField(
        _l("Length in minutes"),
        description=_l("Leave empty for an all-day item."),
        validators=[Optional(), NumberRange(15, 480, "Between 15 and 480 minutes.")],
    )
    window_start = TimeField(
        _l("Earliest start"),
        description=_l("Organisation's local time."),
        validators=[InputRequired()],
    )
    window_end = TimeField(_l("Latest end"), validators=[InputRequired()])
    weekdays = CheckboxListField(_l("Weekdays"), choices=choices(enumerate(DAY_NAMES)))
    counts_toward_cap = BooleanField(_l("Counts toward the leader's weekly cap"))
    teams_per_meeting = IntegerField(
        _l("Teams per meeting"),
        description=_l(
            "Skip-level roundtables: one meeting may cover up to this many of a "
            "leader's teams (fewer meetings for a leader with many teams)."
        ),
        default=1,
        validators=[Optional(), NumberRange(1, 10, _l("Between 1 and 10 teams."))],
    )
    active = BooleanField(_l("Active (planned)"))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Save cadence"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then the checks that compare fields."""
        ok = super().validate(extra_validators)
        low, high = self.min_gap_weeks.data, self.max_gap_weeks.data
        if low and high and low > high:
            self.max_gap_weeks.errors = [
                *self.max_gap_weeks.errors,
                "The longest gap cannot be shorter than the shortest gap.",
            ]
            ok = False
        start, end = self.window_start.data, self.window_end.data
        if start and end:
            if end <= start:
                self.window_end.errors = [
                    *self.window_end.errors,
                    "The window must end after it starts, on the same day.",
                ]
                ok = False
            elif self.duration_minutes.data:
                window = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
                if self.duration_minutes.data > window:
                    self.duration_minutes.errors = [
                        *self.duration_minutes.errors,
                        f"It does not fit in the {window}-minute window.",
                    ]
                    ok = False
        if not self.weekdays.data:
            self.weekdays.errors = [*self.weekdays.errors, "Choose at least one weekday."]
            ok = False
        return ok


class PublishForm(PlannerForm):
    """Publish the previewed plan (the hash proves it is still the same plan)."""

    year = HiddenField()
    inputs = HiddenField()
    submit = SubmitField(_l("Publish this plan"))


class PreviewForm(PlannerForm):
    """Generate (again) the preview of a year's plan, in a background job."""

    year = HiddenField()
    submit = SubmitField(_l("Generate the preview"))


class MoveForm(PlannerForm):
    """Move one event by hand (it is pinned afterwards)."""

    day = DateField(_l("Day"), validators=[InputRequired()])
    start = TimeField(_l("Start (local time)"), validators=[Optional()])
    pin_anyway = BooleanField(_l("Pin anyway, despite the warning above"))
    submit = SubmitField(_l("Move and pin"))


class BlackoutForm(PlannerForm):
    """Close a period for planning."""

    first_day = DateField(_l("First day"), validators=[InputRequired()])
    last_day = DateField(_l("Last day"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Length(max=200)])
    submit = SubmitField(_l("Add blackout"))


class OverrideForm(PlannerForm):
    """Close an extra day, or open a public holiday for planning."""

    day = DateField(_l("Day"), validators=[InputRequired()])
    closed = SelectField(
        _l("This day is"),
        choices=choices(
            [("1", _l("Closed (an extra holiday)")), ("0", _l("Open (we work that holiday)"))]
        ),
    )
    name = StringField(_l("Name"), validators=[Length(max=120)])
    submit = SubmitField(_l("Save day"))
