"""Forms of the org area: field validation only; the operations check the rest."""

from __future__ import annotations

from flask_babel import LazyString
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.i18n.formatting import country_name, weekday_name
from planner.models.org import ROLE_LABELS
from planner.org.people_csv import MAX_BYTES, email_problem
from planner.org.settings import WEEKDAYS, countries, time_zones


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_CHOICES = list(ROLE_LABELS.items())


def valid_email(_form: object, field: object) -> None:
    """The same e-mail check as the CSV import, so a page and a file accept the same people."""
    value = (getattr(field, "data", "") or "").strip()
    if value and (problem := email_problem(value.lower())):
        raise ValidationError(problem[0].upper() + problem[1:] + ".")


class CheckboxesField(SelectMultipleField):
    """Several checkboxes in a list, one label each (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SettingsForm(PlannerForm):
    """The organisation's settings."""

    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    time_zone = SelectField(_l("Time zone"), validators=[DataRequired()])
    country = SelectField(_l("Country for public holidays"))
    subdivision = StringField(
        _l("Region (subdivision) for public holidays"),
        validators=[Optional(), Length(max=10)],
        description=_l(
            "Optional, e.g. BY for Bavaria in Germany. Leave empty for national holidays."
        ),
    )
    working_days = CheckboxesField(
        _l("Working days"),
        choices=options([(str(i), LazyString(weekday_name, i)) for i in range(len(WEEKDAYS))]),
    )
    locale = StringField(
        _l("Locale"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("Language and region, e.g. en, nl-NL or lt-LT."),
    )
    submit = SubmitField(_l("Save settings"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = options([(z, z) for z in time_zones()])
        named = sorted((country_name(code, name), code) for code, name in countries().items())
        self.country.choices = options(
            [("", _l("No public holidays"))] + [(code, f"{name} ({code})") for name, code in named]
        )


class PersonForm(PlannerForm):
    """A person's details as a coordinator edits them."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), valid_email, Length(max=254)])
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES))
    team_id = SelectField(_l("Team"), coerce=str)
    manager_email = EmailField(
        _l("Manager's e-mail"),
        validators=[Optional(), valid_email, Length(max=254)],
        description=_l("Leave empty for no manager."),
    )
    active = BooleanField(_l("Active (can sign in and is planned for)"), default=True)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(
        _l("End date (leaving)"),
        validators=[Optional()],
        description=_l(
            "The first day no longer with us. From then on they are inactive and left out of "
            "plans, pickers and counts; their history stays."
        ),
    )
    loaded_at = HiddenField()
    submit = SubmitField(_l("Save person"))


class TeamForm(PlannerForm):
    """A team's name, frontline flag and skip-level override."""

    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])
    frontline = BooleanField(_l("Frontline team (serves customers; gets skip-level meetings)"))
    skip_level_email = EmailField(
        _l("Skip-level leader override (e-mail)"),
        validators=[Optional(), valid_email, Length(max=254)],
        description=_l("Leave empty to derive it from the chart: each member's manager's manager."),
    )
    head_email = EmailField(
        _l("Department head (e-mail)"),
        validators=[Optional(), valid_email, Length(max=254)],
        description=_l(
            "Teams that are not frontline only: the leader who owns the feedback routed to the "
            "department. Leave empty for its most senior leader."
        ),
    )
    submit = SubmitField(_l("Save team"))


class NewTeamForm(PlannerForm):
    """Add a team."""

    name = StringField(_l("New team name"), validators=[DataRequired(), Length(max=120)])
    frontline = BooleanField(_l("Frontline team"), default=True)
    submit = SubmitField(_l("Add team"))


class AbsenceForm(PlannerForm):
    """A period a person is away."""

    first_day = DateField(_l("First day away"), validators=[DataRequired()])
    last_day = DateField(_l("Last day away"), validators=[DataRequired()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add absence"))


class ImportForm(PlannerForm):
    """Upload a people CSV."""

    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Choose a CSV file to import."))],
        description=_l(
            "UTF-8, comma or semicolon separated, at most %(mb)d MB.", mb=MAX_BYTES // 1024**2
        ),
    )
    submit = SubmitField(_l("Import people"))


class PeopleFilterForm(PlannerForm):
    """Search and filters of the people list (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search name or e-mail"), validators=[Optional(), Length(max=200)])
    team = SelectField(_l("Team"), coerce=str, validators=[Optional()])
    role = SelectField(
        _l("Role"), choices=options([("", _l("Any role")), *ROLE_CHOICES]), validators=[Optional()]
    )
    page = IntegerField(_l("Page"), validators=[Optional()], default=1)
    submit = SubmitField(_l("Filter"))
