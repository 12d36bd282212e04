"""Sign-in, password and invite forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from planner.auth.passwords import MAX_LENGTH, MIN_LENGTH


class SignInForm(FlaskForm):
    """E-mail, password and remember me."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in on this device (30 days)")
    next = HiddenField()
    submit = SubmitField("Sign in")


class NewPasswordForm(FlaskForm):
    """Choose a password (invite acceptance)."""

    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=f"At least {MIN_LENGTH} characters. A passphrase of a few words works well.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Set password")


class ChangePasswordForm(NewPasswordForm):
    """Change a password, knowing the current one."""

    current = PasswordField("Current password", validators=[DataRequired()])
    submit = SubmitField("Change password")


class SignOutForm(FlaskForm):
    """Sign-out is a POST, so it carries a CSRF token."""

    submit = SubmitField("Sign out")


class ForgotPasswordForm(FlaskForm):
    """The e-mail address to send a reset link to."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a link")
