"""Sign-in, password and invite forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from planner.auth.passwords import MAX_LENGTH, MIN_LENGTH
from planner.i18n import lazy_gettext as _l


class SignInForm(FlaskForm):
    """E-mail, password and remember me."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device (30 days)"))
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class NewPasswordForm(FlaskForm):
    """Choose a password (invite acceptance)."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l(
            "At least %(num)d characters. A passphrase of a few words works well.", num=MIN_LENGTH
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordForm):
    """Change a password, knowing the current one."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change password"))


class SignOutForm(FlaskForm):
    """Sign-out is a POST, so it carries a CSRF token."""

    submit = SubmitField(_l("Sign out"))


class ForgotPasswordForm(FlaskForm):
    """The e-mail address to send a reset link to."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))
