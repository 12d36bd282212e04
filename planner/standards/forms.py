"""Service-standards forms: field validation only; the operations check the rules."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MonthField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from planner.forms import PlannerForm
from planner.i18n import lazy_gettext as _l
from planner.models.standards import LANGUAGES, SITUATIONS
from planner.people.fields import PersonField
from planner.standards.lexicon_csv import MAX_PHRASE, MAX_TEXT
from planner.standards.purpose import PURPOSE_MAX_CHARS, PURPOSE_MAX_WORDS, PURPOSE_MIN_WORDS
from planner.standards.training import MAX_CHOICES

LANGUAGE_CHOICES = [SelectChoice(k, v) for k, v in LANGUAGES.items()]
SITUATION_CHOICES = [SelectChoice(k, v) for k, v in SITUATIONS.items()]


class PurposeForm(PlannerForm):
    """Write or change the purpose statement."""

    text = TextAreaField(
        _l("Purpose statement"),
        validators=[DataRequired(), Length(max=PURPOSE_MAX_CHARS)],
        description=_l(
            "Long enough to mean something, short enough to remember: "
            "%(least)d–%(most)d words works well.",
            least=PURPOSE_MIN_WORDS,
            most=PURPOSE_MAX_WORDS,
        ),
    )
    submit = SubmitField(_l("Save the purpose statement"))


class EntryForm(PlannerForm):
    """A lexicon entry: avoid -> use instead."""

    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    avoid = StringField(_l("Phrase to avoid"), validators=[DataRequired(), Length(max=MAX_PHRASE)])
    use_instead = StringField(
        _l("Say instead"), validators=[DataRequired(), Length(max=MAX_PHRASE)]
    )
    situations = SelectMultipleField(
        _l("Situations"), choices=SITUATION_CHOICES, validators=[Optional()]
    )
    why = TextAreaField(_l("Why"), validators=[Optional(), Length(max=MAX_TEXT)])
    example = TextAreaField(_l("Example"), validators=[Optional(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Save entry"))


class UploadForm(PlannerForm):
    """Upload a lexicon CSV file."""

    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("UTF-8 CSV, comma or semicolon separated, at most 2 MB."),
    )
    submit = SubmitField(_l("Import lexicon"))


class ModuleForm(PlannerForm):
    """A refresher module."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    lesson = TextAreaField(
        _l("Lesson (Markdown)"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "Short and practical. **bold**, *italic*, lists and links work; HTML does not."
        ),
    )
    pass_mark = IntegerField(
        _l("Pass mark (%)"), default=80, validators=[DataRequired(), NumberRange(1, 100)]
    )
    featured_from = MonthField(
        _l("Module of the month from"),
        validators=[Optional()],
        description=_l(
            "The year plan's refresher trainings of this month (and later, until another "
            "module takes over) link here."
        ),
    )
    entries = SelectMultipleField(_l("Linked phrases"), coerce=int, validators=[Optional()])
    published = BooleanField(_l("Published (staff can take the quiz)"))
    submit = SubmitField(_l("Save module"))


class QuestionForm(PlannerForm):
    """A question with up to six options."""

    prompt = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=2000)])
    multiple = BooleanField(_l("Several options are right (multiple choice)"))
    explanation = TextAreaField(
        _l("Explanation (shown after submitting)"), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField(_l("Save question"))


for _n in range(1, MAX_CHOICES + 1):
    setattr(QuestionForm, f"choice_{_n}", StringField(f"Option {_n}", validators=[Length(max=500)]))
    setattr(QuestionForm, f"right_{_n}", BooleanField(f"Option {_n} is right"))


class QuizForm(PlannerForm):
    """The CSRF token of a quiz; the answers are read from the posted options."""

    submit = SubmitField(_l("Submit my answers"))


class ShoutOutForm(PlannerForm):
    """Thank a colleague."""

    recipient = PersonField(_l("Colleague"), pool="colleagues")
    message = TextAreaField(
        _l("What did they do?"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Be specific: “stayed calm with the caller whose parcel was lost twice”."),
    )
    entry = SelectField(_l("Phrase they used (optional)"), validators=[Optional()])
    module = SelectField(_l("Standard they lived (optional)"), validators=[Optional()])
    idempotency_key = HiddenField(validators=[Optional(), Length(max=64)])
    submit = SubmitField(_l("Send shout-out"))
