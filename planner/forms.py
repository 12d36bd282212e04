"""The base of every form of the app (except sign-in, which is the auth area's): WTForms'
field checks plus the shared rules of planner/validation.py on every field, so no form can
forget them."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import Field

from planner.validation import date_problem, number_problem, text_problem


def field_problem(field: Field) -> str | None:
    """What the shared rules say about one field's value, or None."""
    data = field.data
    if isinstance(field, StringField) and isinstance(data, str):
        return text_problem(data, multiline=isinstance(field, TextAreaField))
    if isinstance(field, (DateField, DateTimeField)) and isinstance(data, date):  # not TimeField
        return date_problem(data)
    if isinstance(field, (IntegerField, FloatField, DecimalField)) and data is not None:
        return number_problem(float(data) if isinstance(field, DecimalField) else data)
    return None


class PlannerForm(FlaskForm):
    """A FlaskForm that also refuses control characters, far-off dates and huge numbers."""

    def validate(self, extra_validators: Any = None) -> bool:
        """WTForms' validation, then the shared rules on every field."""
        ok = bool(super().validate(extra_validators))
        for field in self:
            problem = field_problem(field)
            if problem is None:
                continue
            ok = False
            field.errors = [*field.errors, problem[0].upper() + problem[1:] + "."]
            if isinstance(field, HiddenField):  # not shown next to a field: say it on the form
                self.form_errors.append(f"The form is damaged ({problem}). Reload the page.")
        return ok
