"""Sign in, sign out, password change and invite acceptance."""

from __future__ import annotations

from threading import Thread
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from planner.access import SIGNED_IN, allow, public
from planner.auth import forms, operations, reset
from planner.auth.throttle import ThrottlePolicy
from planner.db import get_session, utcnow
from planner.errors import InvalidInput
from planner.i18n import _
from planner.mail import Message, send_all

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only allow redirects to a path on this site (SECURITY.md item 6)."""
    if not target:
        return None
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
    ):
        return None
    return target


def throttle_policy(config: Any) -> ThrottlePolicy:
    """The sign-in throttle's settings from the app configuration."""
    return ThrottlePolicy(
        window_minutes=config["LOGIN_WINDOW_MINUTES"],
        free_per_account=config["LOGIN_FREE_FAILURES"],
        free_per_address=config["LOGIN_ADDRESS_FREE_FAILURES"],
        first_delay_seconds=config["LOGIN_FIRST_DELAY_SECONDS"],
        max_delay_seconds=config["LOGIN_MAX_DELAY_SECONDS"],
    )


def start_session(person: Any, *, remember: bool) -> None:
    """Sign a person in and stamp the session for the idle and absolute limits."""
    session.clear()
    login_user(person, remember=remember)
    session.permanent = True
    session["signed_in_at"] = utcnow().timestamp()


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Any:
    """The sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = forms.SignInForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        db = get_session()
        try:
            person = operations.authenticate(
                db,
                form.email.data or "",
                form.password.data or "",
                # The client's address: ProxyFix rewrites it behind PLANNER_TRUSTED_PROXIES.
                address=request.remote_addr or "unknown",
                now=utcnow(),
                secret=current_app.config["SECRET_KEY"],
                policy=throttle_policy(current_app.config),
            )
        except operations.Throttled as exc:
            db.commit()  # keep the pruning of old attempts
            form.form_errors.append(str(exc))
            page = render_template("auth/sign_in.html", form=form)
            return page, 429, {"Retry-After": str(exc.seconds)}
        except operations.BadCredentials as exc:
            db.commit()  # keep the failed attempt for the throttle
            form.form_errors.append(str(exc))
            status = 401
        else:
            db.commit()
            start_session(person, remember=bool(form.remember.data))
            return redirect(safe_next(form.next.data) or url_for("dashboard.home"))
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@allow(*SIGNED_IN)
def sign_out() -> Any:
    """End every session of the current person, on this device and all others."""
    form = forms.SignOutForm()
    if form.validate_on_submit():
        db = get_session()
        operations.end_all_sessions(db, current_user._get_current_object())
        db.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def change_password() -> Any:
    """Change your own password; every other session ends."""
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        person = current_user._get_current_object()
        try:
            operations.change_password(
                db, person, form.current.data or "", form.password.data or ""
            )
        except InvalidInput as exc:
            form.form_errors.append(str(exc))
        else:
            db.commit()
            start_session(person, remember=False)
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str) -> Any:
    """Set a password from a one-time invite link."""
    db = get_session()
    try:
        person = operations.person_for_invite(db, token, now=utcnow())
    except operations.InviteInvalid as exc:
        return render_template("errors/error.html", code=404, message=str(exc)), 404
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        try:
            operations.accept_invite(db, token, form.password.data or "", now=utcnow())
        except InvalidInput as exc:
            form.password.errors = [*form.password.errors, str(exc)]
        else:
            db.commit()
            start_session(person, remember=False)
            flash(_("Welcome, %(name)s. Your password is set.", name=person.name), "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/accept_invite.html", form=form, person=person)


def _send_in_background(messages: list[Message]) -> None:
    """Hand mail to the server off the request, so the answer's timing is the same for every
    address (tests send at once, so their log capture sees it)."""
    config = dict(current_app.config)
    if current_app.testing:
        send_all(config, messages)
        return
    Thread(target=send_all, args=(config, messages), daemon=True).start()


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password() -> Any:
    """Ask for a reset link; the answer is the same whether the address has an account."""
    form = forms.ForgotPasswordForm()
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    if not form.validate_on_submit():
        return render_template("auth/forgot_password.html", form=form, sent=None)
    db = get_session()
    email = operations.normalise_email(form.email.data or "")
    found = reset.request_reset(db, email, now=utcnow(), valid_minutes=minutes)
    db.commit()
    if found is not None:
        person, token = found
        link = current_app.config["BASE_URL"].rstrip("/") + url_for(
            "auth.reset_password", token=token
        )
        _send_in_background([reset.reset_message(db, person, link, minutes)])
    return render_template("auth/forgot_password.html", form=form, sent=email, minutes=minutes)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> Any:
    """Choose a new password from a one-time reset link; every session of that person ends."""
    db = get_session()
    try:
        person = reset.person_for_reset(db, token, now=utcnow())
    except reset.ResetInvalid as exc:
        return render_template("errors/error.html", code=404, message=str(exc)), 404
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(db, token, form.password.data or "", now=utcnow())
        except InvalidInput as exc:
            form.password.errors = [*form.password.errors, str(exc)]
        else:
            db.commit()
            start_session(person, remember=False)
            flash(_("Your new password is set. Every other device has been signed out."), "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/reset_password.html", form=form, person=person)
