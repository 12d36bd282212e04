"""Forms of the integrations page: a token, a praise source, a notification target, a thank-you."""

from __future__ import annotations

from typing import cast

from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from planner.api.auth import ALL_SCOPES
from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.models.api import NOTIFY_TOPICS


class Boxes(SelectMultipleField):
    """Choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


TOPIC_LABELS = {
    # Lazy: translated when the form is shown, in the reader's language.
    "star_approved": _l("A service star is approved"),
    "team_thanks": _l("A team is thanked"),
    "monthly_update": _l("Monthly “You said, we did” update"),
}


class TokenForm(PlannerForm):
    """A new personal API token."""

    name = StringField(_l("What it is for"), validators=[DataRequired(), Length(max=100)])
    scopes = Boxes(_l("Scopes"), choices=[SelectChoice(s, s) for s in ALL_SCOPES])
    submit = SubmitField(_l("Create token"))


class SourceForm(PlannerForm):
    """A new praise webhook source."""

    name = StringField(
        _l("Source name (e.g. the survey tool)"), validators=[DataRequired(), Length(max=100)]
    )
    submit = SubmitField(_l("Add source"))


class TargetForm(PlannerForm):
    """A Teams or Slack incoming-webhook URL."""

    kind = SelectField(
        _l("Product"),
        choices=[SelectChoice("teams", "Microsoft Teams"), SelectChoice("slack", "Slack")],
    )
    name = StringField(_l("Channel name"), validators=[DataRequired(), Length(max=100)])
    url = StringField(
        _l("Incoming-webhook URL (https)"), validators=[DataRequired(), Length(max=2000)]
    )
    topics = Boxes(
        _l("Announce"), choices=[SelectChoice(t, cast(str, TOPIC_LABELS[t])) for t in NOTIFY_TOPICS]
    )
    submit = SubmitField(_l("Add channel"))


class ThanksForm(PlannerForm):
    """A thank-you to a team, announced where the organisation talks."""

    team = SelectField(_l("Team"), choices=[])
    message = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Send thank-you"))
