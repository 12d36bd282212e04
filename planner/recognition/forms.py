"""Recognition forms: field validation only; the operations check the rules."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.models.recognition import PRAISE_CHANNELS, QUOTE_MAX
from planner.people.fields import PersonField
from planner.recognition.cycle_reading import INDICATORS, unit_suffix
from planner.recognition.scorecards import ENTERED


def options(pairs: list[tuple[int, str]]) -> list[SelectChoice]:
    """Select options from (id, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


CSV_HINT = _l("UTF-8 CSV, comma or semicolon separated, at most 2 MB.")  # MAX_CSV_BYTES


class PraiseForm(PlannerForm):
    """Log one customer praise."""

    person = PersonField(_l("Praised staff member"))
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    channel = SelectField(
        _l("Channel"), choices=[SelectChoice(k, v) for k, v in PRAISE_CHANNELS.items()]
    )
    quote = TextAreaField(
        _l("The customer's words"), validators=[DataRequired(), Length(max=QUOTE_MAX)]
    )
    customer_name = StringField(
        _l("Customer's name (optional)"),
        validators=[Optional(), Length(max=200)],
        description=_l("Only leaders and coordinators see it; it never goes into calendars."),
    )
    submit = SubmitField(_l("Log praise"))


class UploadForm(PlannerForm):
    """Upload a CSV file."""

    file = FileField(
        _l("CSV file"), validators=[FileRequired(_l("Choose a file."))], description=CSV_HINT
    )
    submit = SubmitField(_l("Import"))


class CompleteOutreachForm(PlannerForm):
    """Say what you did to thank the person."""

    what_was_done = TextAreaField(
        _l("What did you do?"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("E.g. 'Left a handwritten card on her desk on Tuesday.'"),
    )
    submit = SubmitField(_l("Mark as done"))


class NominationForm(PlannerForm):
    """Nominate a colleague as service star."""

    nominee = PersonField(_l("Colleague"), pool="colleagues")
    reason = TextAreaField(
        _l("Why do they deserve it?"), validators=[DataRequired(), Length(max=2000)]
    )
    praise_id = HiddenField()
    submit = SubmitField(_l("Nominate"))


class DecisionForm(PlannerForm):
    """Approve (for a month) or decline a nomination."""

    month = MonthField(
        _l("Star of the month"),
        validators=[Optional()],
        description=_l("The month whose team recognition shows this star."),
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))


class MetricsForm(PlannerForm):
    """One team's numbers for one month; an empty box leaves that number as it is."""

    team = SelectField(_l("Team"), coerce=int, validators=[DataRequired()])
    month = MonthField(_l("Month"), validators=[DataRequired()])
    submit = SubmitField(_l("Save numbers"))


def _metric_label(metric: Any) -> str:
    """A metric's label with its unit, e.g. "Average handle time (s)"."""
    return f"{metric.label}{f' ({metric.unit})' if metric.unit else ''}"


for _metric in ENTERED:
    _low, _high = f"{_metric.low:g}", f"{_metric.high:g}"
    setattr(
        MetricsForm,
        _metric.key,
        FloatField(
            LazyString(_metric_label, _metric),  # in the reader's language
            validators=[
                Optional(),
                NumberRange(
                    _metric.low,
                    _metric.high,
                    message=_l(
                        "Between %(low)s and %(high)s.",
                        low=_low,
                        high=_high,
                    ),
                ),
            ],
            description=(
                _l(
                    "Internal; %(low)s to %(high)s.",
                    low=f"{_metric.low:g}",
                    high=f"{_metric.high:g}",
                )
                if _metric.side == "internal"
                else _l(
                    "External; %(low)s to %(high)s.",
                    low=f"{_metric.low:g}",
                    high=f"{_metric.high:g}",
                )
            ),
        ),
    )


class LevelForm(PlannerForm):
    """A level of the career ladder."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    rank = IntegerField(
        _l("Order"),
        validators=[DataRequired(), NumberRange(1, 99)],
        description=_l("1 = first step."),
    )
    meaning = TextAreaField(_l("What it means"), validators=[Optional(), Length(max=4000)])
    requirements = TextAreaField(_l("What it takes"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save level"))


class PromotionForm(PlannerForm):
    """Record a promotion (celebrated in the team's calendar)."""

    person = PersonField(_l("Person"))
    level = SelectField(_l("New level"), coerce=int, validators=[DataRequired()])
    promoted_on = DateField(_l("Promotion date"), validators=[DataRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Record promotion"))


class PlacementForm(PlannerForm):
    """Place someone on the ladder without a celebration (first placement, corrections)."""

    person = PersonField(_l("Person"))
    level = SelectField(_l("Level"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Place on ladder"))


class ThresholdsForm(PlannerForm):
    """The cycle-of-success thresholds: a failure and a success bound per indicator."""

    submit = SubmitField(_l("Save thresholds"))


def _threshold_label(indicator: Any, which: str) -> str:
    """e.g. "Staff turnover: failure threshold (%)"."""
    word = unit_suffix(indicator.unit).strip()
    unit = f" ({word})" if word else ""
    if which == "failure":
        return str(_l("%(label)s: failure threshold", label=indicator.label)) + unit
    return str(_l("%(label)s: success threshold", label=indicator.label)) + unit


for _indicator in INDICATORS:
    for _which in ("failure", "success"):
        setattr(
            ThresholdsForm,
            f"{_indicator.key}_{_which}",
            FloatField(
                LazyString(_threshold_label, _indicator, _which),
                validators=[
                    InputRequired(),
                    NumberRange(
                        _indicator.low,
                        _indicator.high,
                        message=LazyString(
                            lambda low, high: str(
                                _l("Between %(low)s and %(high)s.", low=low, high=high)
                            ),
                            format(_indicator.low, "g"),
                            format(_indicator.high, "g"),
                        ),
                    ),
                ],
            ),
        )
