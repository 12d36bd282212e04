"""Feedback forms: field validation only (the operations check the rules)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.models.feedback import (
    CATEGORIES,
    CUSTOMER_IMPACTS,
    DETAILS_MAX,
    NOTE_MAX,
    RESPONSE_MAX,
    TITLE_MAX,
)
from planner.people.fields import PersonField


def options(pairs: Sequence[tuple[object, str]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def impact_choices() -> list[SelectChoice]:
    """The customer impacts, with "none given" first."""
    return options([("", _l("(no customer impact given)")), *CUSTOMER_IMPACTS.items()])


def new_idempotency_key() -> str:
    """A random key the form carries so that sending it twice creates one item."""
    return secrets.token_urlsafe(24)


class RaiseForm(PlannerForm):
    """Raise an obstacle to good service."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the obstacle a short title.")), Length(max=TITLE_MAX)],
        description=_l("One line everyone will see on the board."),
    )
    details = TextAreaField(
        _l("Details"),
        validators=[Optional(), Length(max=DETAILS_MAX)],
        description=_l(
            "What gets in the way of good service? Everyone on the board can read this."
        ),
    )
    team = SelectField(_l("Team"), coerce=int, validators=[InputRequired(_l("Choose a team."))])
    category = SelectField(
        _l("Category"),
        choices=options(list(CATEGORIES.items())),
        validators=[InputRequired(_l("Choose a category."))],
    )
    customer_impact = SelectField(
        _l("What it does to customers"),
        choices=impact_choices(),
        validators=[Optional()],
        description=_l("Optional: it tells the department that can fix it why it matters."),
    )
    anonymous = BooleanField(
        _l("Post anonymously"),
        description=_l("Your name is not stored with the item; you get a private receipt link."),
    )
    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    submit = SubmitField(_l("Raise it"))


class MeetingItemForm(RaiseForm):
    """A leader logs an obstacle raised at a skip-level meeting, on behalf of the group."""

    meeting = SelectField(_l("Skip-level meeting"), coerce=int, validators=[Optional()])
    # Meeting items are attributed to the meeting: no anonymity choice.
    anonymous = None
    submit = SubmitField(_l("Log it for the group"))


class StatusForm(PlannerForm):
    """Move an item on (leaders): owner and due date for planning, a response for closing."""

    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])
    to_status = SelectField(
        _l("New status"),
        choices=options(
            [
                ("acknowledged", _l("Acknowledged")),
                ("planned", _l("Planned (owner and due date)")),
                ("in_progress", _l("In progress")),
                ("done", _l("Done (say what we did)")),
                ("declined", _l("Declined (say why not)")),
            ]
        ),
    )
    owner = PersonField(_l("Owner"), pool="leaders", required=False)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    response = TextAreaField(
        _l("Public response"),
        validators=[Optional(), Length(max=RESPONSE_MAX)],
        description=_l(
            'Required for done ("what we did") and declined ("why not"). Everyone sees it.'
        ),
    )
    note = StringField(_l("Note for the history"), validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Save"))


class RouteForm(PlannerForm):
    """Route an item to a department (coordinators and the item's owner) and say what it does
    to customers."""

    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])
    # Any number passes the form: the operation says clearly why a team cannot be chosen
    # (frontline, or no such team) instead of a bare "Not a valid choice".
    department = SelectField(
        _l("Department"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose a department."))],
    )
    customer_impact = SelectField(
        _l("What it does to customers"), choices=impact_choices(), validators=[Optional()]
    )
    note = StringField(_l("Note for the history"), validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Route it"))


class ThankForm(PlannerForm):
    """The one-click "Thank <department>" button (only the CSRF token)."""


class VoteForm(PlannerForm):
    """A "me too" toggle (only the CSRF token)."""


class UnsubscribeForm(PlannerForm):
    """The confirm button of a one-click unsubscribe link."""

    submit = SubmitField(_l("Unsubscribe"))
