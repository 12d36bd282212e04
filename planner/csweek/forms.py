"""Forms of the Customer Service Week area: field validation only (the operations check again)."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import LazyString
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from planner.csweek.dates import WEEKDAY_NAMES
from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.i18n.formatting import weekday_name
from planner.models import EVENT_KINDS, PRACTICES
from planner.models.csweek import ACTIVITY_STATUSES, LIBRARY_AUDIENCES
from planner.people.fields import PersonField

TITLE_MAX = 200


def new_idempotency_key() -> str:
    """A random key the form carries so that sending it twice saves once."""
    return secrets.token_urlsafe(24)


def choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(str(value), label) for value, label in pairs]


PRACTICE_CHOICES = choices(PRACTICES.items())
STATUS_CHOICES = choices(ACTIVITY_STATUSES.items())


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as labelled checkboxes (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanCreateForm(PlannerForm):
    """Start a year's plan, optionally copying another year's."""

    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Give a year.")),
            NumberRange(2000, 2100, "Choose 2000 to 2100."),
        ],
    )
    first_day = DateField(
        _l("First day (a Monday)"),
        validators=[Optional()],
        description=_l("Leave empty for the usual week: the first Monday on or after 1 October."),
    )
    theme = StringField(_l("Theme of the year"), validators=[Length(max=TITLE_MAX)])
    copy_from = SelectField(
        _l("Copy activities from"),
        choices=choices([("", _l("Nothing: start from the suggestions"))]),
        default="",
    )
    submit = SubmitField(_l("Create the plan"))


class PlanEditForm(PlannerForm):
    """The year's theme, a theme per day and the week's dates."""

    theme = StringField(_l("Theme of the year"), validators=[Length(max=TITLE_MAX)])
    day_0 = StringField(_l("Monday's theme"), validators=[Length(max=TITLE_MAX)])
    day_1 = StringField(_l("Tuesday's theme"), validators=[Length(max=TITLE_MAX)])
    day_2 = StringField(_l("Wednesday's theme"), validators=[Length(max=TITLE_MAX)])
    day_3 = StringField(_l("Thursday's theme"), validators=[Length(max=TITLE_MAX)])
    day_4 = StringField(_l("Friday's theme"), validators=[Length(max=TITLE_MAX)])
    first_day = DateField(
        _l("First day (a Monday)"), validators=[InputRequired(_l("Give the week's Monday."))]
    )
    move_activities = BooleanField(
        _l("Move the activities with the week (same weekday)"), default=True
    )
    version = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
    submit = SubmitField(_l("Save the plan"))

    def day_themes(self) -> list[str]:
        """The five day themes as entered."""
        return [getattr(self, f"day_{i}").data or "" for i in range(5)]


class ActivityForm(PlannerForm):
    """One activity of the week."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the activity a title.")),
            Length(max=TITLE_MAX, message=f"At most {TITLE_MAX} characters."),
        ],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    practice = SelectField(_l("Practice"), choices=PRACTICE_CHOICES, default="support")
    day = SelectField(
        _l("Day"), choices=[], validate_choice=True, description=_l("One of the week's five days.")
    )
    all_day = BooleanField(_l("All day (no start and end time)"))
    start_time = TimeField(_l("Starts at"), validators=[Optional()], description=_l("Local time."))
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    location = StringField(
        _l("Place or online link"),
        validators=[Length(max=300)],
        description=_l("A room, or the link of the online meeting."),
    )
    host = PersonField(
        _l("Host"), required=False, description=_l("Leave empty while nobody hosts it yet.")
    )
    audience = RadioField(
        _l("Who is invited"),
        choices=choices(
            [("everyone", _l("Everyone")), ("teams", _l("Only the teams chosen below"))]
        ),
        default="everyone",
    )
    teams = CheckboxListField(_l("Teams"), choices=[], coerce=int)
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="idea")
    idempotency_key = HiddenField(validators=[Optional(), Length(max=64)])
    version = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
    submit = SubmitField(_l("Save the activity"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Clear messages instead of WTForms' generic "Not a valid choice".
        self.day.validators = [InputRequired(_l("Choose one of the week's days."))]

    def _friendly_choice_errors(self) -> None:
        """Replace the generic invalid-choice messages with ones people understand."""
        replacements = {
            self.day: "Choose one of the week's days.",
            self.teams: "Choose teams from the list; one of them does not exist.",
        }
        for f, message in replacements.items():
            if f.errors:
                f.errors[:] = [message]

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then the checks that need two fields (times, audience)."""
        ok = super().validate(extra_validators)
        self._friendly_choice_errors()
        if not self.all_day.data:
            if self.start_time.data is None and not self.start_time.errors:
                self.start_time.errors = [*self.start_time.errors, "Give a start time."]
                ok = False
            if self.end_time.data is None and not self.end_time.errors:
                self.end_time.errors = [*self.end_time.errors, "Give an end time."]
                ok = False
            start, end = self.start_time.data, self.end_time.data
            if start is not None and end is not None and end <= start:
                self.end_time.errors = [*self.end_time.errors, "The end must be after the start."]
                ok = False
        if self.audience.data == "teams" and not self.teams.data and not self.teams.errors:
            self.teams.errors = [*self.teams.errors, "Choose at least one team."]
            ok = False
        return ok


class AddFromLibraryForm(PlannerForm):
    """The one-click button: a CSRF token and the key that makes a double-click harmless."""

    idempotency_key = HiddenField(validators=[Optional(), Length(max=64)])


class LibraryEntryForm(PlannerForm):
    """A coordinator's own idea for the library."""

    scope = RadioField(
        _l("For"),
        choices=choices(
            [("week", _l("Customer Service Week")), ("year", _l("The rest of the year"))]
        ),
        default="week",
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the idea a title.")), Length(max=TITLE_MAX)],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    practice = SelectField(_l("Practice"), choices=PRACTICE_CHOICES, default="support")
    suggested_weekday = SelectField(
        _l("Suggested day (week ideas)"),
        choices=choices((i, LazyString(weekday_name, i)) for i in range(len(WEEKDAY_NAMES))),
        default="0",
    )
    suggested_start = TimeField(_l("Suggested start (week ideas)"), validators=[Optional()])
    kind = SelectField(
        _l("Kind (year-round ideas)"),
        choices=choices(
            (k, v) for k, v in EVENT_KINDS.items() if k not in ("activity", "milestone")
        ),
        default="recognition",
    )
    min_gap_weeks = IntegerField(
        _l("At least every … weeks (year-round ideas)"),
        validators=[Optional(), NumberRange(1, 52, "Between 1 and 52.")],
    )
    max_gap_weeks = IntegerField(
        _l("At most every … weeks (year-round ideas)"),
        validators=[Optional(), NumberRange(1, 52, "Between 1 and 52.")],
    )
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        validators=[Optional(), NumberRange(1, 24 * 60, "Between 1 and 1440 minutes.")],
        description=_l("Leave empty for an all-day activity."),
    )
    audience = SelectField(
        _l("Who attends"), choices=choices(LIBRARY_AUDIENCES.items()), default="everyone"
    )
    host_hint = StringField(_l("Who hosts"), validators=[Length(max=200)])
    idempotency_key = HiddenField(validators=[Optional(), Length(max=64)])
    submit = SubmitField(_l("Add to the library"))
