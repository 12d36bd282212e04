"""Recognition forms: field validation only; the operations check the rules."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    MonthField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from planner.forms import PlannerForm
from planner.models.recognition import PRAISE_CHANNELS, QUOTE_MAX
from planner.recognition.praise_csv import MAX_CSV_BYTES
from planner.recognition.scorecards import ENTERED


def options(pairs: list[tuple[int, str]]) -> list[SelectChoice]:
    """Select options from (id, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


CSV_HINT = f"UTF-8 CSV, comma or semicolon separated, at most {MAX_CSV_BYTES // 1048576} MB."


class PraiseForm(PlannerForm):
    """Log one customer praise."""

    person = SelectField("Praised staff member", coerce=int, validators=[DataRequired()])
    received_on = DateField("Received on", validators=[DataRequired()])
    channel = SelectField(
        "Channel", choices=[SelectChoice(k, v) for k, v in PRAISE_CHANNELS.items()]
    )
    quote = TextAreaField(
        "The customer's words", validators=[DataRequired(), Length(max=QUOTE_MAX)]
    )
    customer_name = StringField(
        "Customer's name (optional)",
        validators=[Optional(), Length(max=200)],
        description="Only leaders and coordinators see it; it never goes into calendars.",
    )
    submit = SubmitField("Log praise")


class UploadForm(PlannerForm):
    """Upload a CSV file."""

    file = FileField("CSV file", validators=[FileRequired("Choose a file.")], description=CSV_HINT)
    submit = SubmitField("Import")


class CompleteOutreachForm(PlannerForm):
    """Say what you did to thank the person."""

    what_was_done = TextAreaField(
        "What did you do?",
        validators=[DataRequired(), Length(max=2000)],
        description="E.g. 'Left a handwritten card on her desk on Tuesday.'",
    )
    submit = SubmitField("Mark as done")


class NominationForm(PlannerForm):
    """Nominate a colleague as service star."""

    nominee = SelectField("Colleague", coerce=int, validators=[DataRequired()])
    reason = TextAreaField("Why do they deserve it?", validators=[DataRequired(), Length(max=2000)])
    praise_id = HiddenField()
    submit = SubmitField("Nominate")


class DecisionForm(PlannerForm):
    """Approve (for a month) or decline a nomination."""

    month = MonthField(
        "Star of the month",
        validators=[Optional()],
        description="The month whose team recognition shows this star.",
    )
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])
    approve = SubmitField("Approve")
    decline = SubmitField("Decline")


class MetricsForm(PlannerForm):
    """One team's numbers for one month; an empty box leaves that number as it is."""

    team = SelectField("Team", coerce=int, validators=[DataRequired()])
    month = MonthField("Month", validators=[DataRequired()])
    submit = SubmitField("Save numbers")


for _metric in ENTERED:
    setattr(
        MetricsForm,
        _metric.key,
        FloatField(
            f"{_metric.label}{f' ({_metric.unit})' if _metric.unit else ''}",
            validators=[
                Optional(),
                NumberRange(
                    _metric.low,
                    _metric.high,
                    message=f"Between {_metric.low:g} and {_metric.high:g}.",
                ),
            ],
            description=f"{_metric.side.title()}; {_metric.low:g} to {_metric.high:g}.",
        ),
    )


class LevelForm(PlannerForm):
    """A level of the career ladder."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    rank = IntegerField(
        "Order", validators=[DataRequired(), NumberRange(1, 99)], description="1 = first step."
    )
    meaning = TextAreaField("What it means", validators=[Optional(), Length(max=4000)])
    requirements = TextAreaField("What it takes", validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Save level")


class PromotionForm(PlannerForm):
    """Record a promotion (celebrated in the team's calendar)."""

    person = SelectField("Person", coerce=int, validators=[DataRequired()])
    level = SelectField("New level", coerce=int, validators=[DataRequired()])
    promoted_on = DateField("Promotion date", validators=[DataRequired()])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Record promotion")


class PlacementForm(PlannerForm):
    """Place someone on the ladder without a celebration (first placement, corrections)."""

    person = SelectField("Person", coerce=int, validators=[DataRequired()])
    level = SelectField("Level", coerce=int, validators=[DataRequired()])
    submit = SubmitField("Place on ladder")
