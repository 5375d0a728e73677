"""Accounts and mutual recognition: registration, verification, tokens."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import email_validator
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.credentials import verify_from_registry
from app.auth.tokens import new_calendar_token
from app.errors.domain import Conflict, RuleViolation, ValidationFailed
from app.extensions import db
from app.models import User
from app.models.user import DISTRICTS, ISSUERS, ROLES, normalise_email
from app.text import text_problem
from app.timezones import now_utc

CREDENTIAL_NUMBER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Internal and test domains (.test, .local, .invalid) serve organisations' own mail systems and test
# set-ups; whether mail arrives is for delivery to tell, not the address's shape.
email_validator.SPECIAL_USE_DOMAIN_NAMES[:] = ["arpa", "onion"]
# Checked when no account has the address: the method and cost new passwords get, made at start-up so
# that not even the first such login takes longer.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is too weak, or None."""
    if not isinstance(password, str) or len(password) < 8:
        return _("Use at least 8 characters.")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return _("Use both letters and digits.")
    if email and password.lower() == normalise_email(email):
        return _("Do not use your e-mail address as the password.")
    return None


def _clean(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def validate_registration(data: dict) -> dict:
    """Check the shape of a registration; returns cleaned values or raises ValidationFailed."""
    errors: dict[str, str] = {}
    cleaned = {
        "name": _clean(data.get("name")),
        "email": normalise_email(data.get("email") if isinstance(data.get("email"), str) else ""),
        "phone": _clean(data.get("phone")) or None,
        "password": data.get("password") if isinstance(data.get("password"), str) else "",
        "district": _clean(data.get("district")),
        "issuer": _clean(data.get("issuer")),
        "number": _clean(data.get("number")).upper(),
    }
    if not cleaned["name"] or len(cleaned["name"]) > 100:
        errors["name"] = _("Enter your name (up to 100 characters).")
    elif text_problem(cleaned["name"]):
        errors["name"] = text_problem(cleaned["name"])
    try:
        validate_email(cleaned["email"], check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = _("Enter a valid e-mail address.")
    if cleaned["phone"] and not re.fullmatch(r"\+?[0-9 -]{5,20}", cleaned["phone"]):
        errors["phone"] = _("Enter a valid phone number.")
    problem = password_problem(cleaned["password"], cleaned["email"])
    if problem:
        errors["password"] = problem
    if cleaned["district"] not in DISTRICTS:
        errors["district"] = _("Choose Liwan or Nanhai.")
    if cleaned["issuer"] not in ISSUERS:
        errors["credential.issuer"] = _("Choose a recognised credential.")
    if not CREDENTIAL_NUMBER.match(cleaned["number"]):
        errors["credential.number"] = _("Enter the credential number (letters, digits, hyphens).")
    if data.get("consent") is not True:
        errors["consent"] = _("Please agree to the privacy notice.")
    if list(errors) == ["consent"]:
        raise RuleViolation(errors["consent"], code="consent_required", fields=errors)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def register_user(data: dict, consent_version: str, now: datetime | None = None) -> User:
    """Create a talent account; a credential valid in the registry verifies it at once.

    An e-mail address is unique regardless of case, and one credential belongs to one account.
    """
    now = now or now_utc()
    cleaned = validate_registration(data)
    if db.session.scalar(db.select(User.id).where(User.email == cleaned["email"])):
        raise Conflict(
            _("This e-mail address is already registered."),
            code="email_taken",
            fields={"email": _("This e-mail address is already registered.")},
        )
    if _credential_in_use(cleaned["issuer"], cleaned["number"]):
        raise ValidationFailed({"credential.number": _("This credential is already linked to an account.")})
    user = User(
        name=cleaned["name"],
        email=cleaned["email"],
        phone=cleaned["phone"],
        password_hash=generate_password_hash(cleaned["password"]),
        role="talent",
        district=cleaned["district"],
        credential_issuer=cleaned["issuer"],
        credential_number=cleaned["number"],
        talent_status="pending",
        consent_version=consent_version,
        consent_at=now,
        calendar_token=new_calendar_token(),
    )
    verify_from_registry(user, now)
    db.session.add(user)
    db.session.flush()
    return user


def _credential_in_use(issuer: str, number: str) -> bool:
    return (
        db.session.scalar(
            db.select(User.id).where(
                User.credential_issuer == issuer,
                User.credential_number == number,
                User.talent_status.in_(("pending", "verified")),
            )
        )
        is not None
    )


def create_user(
    email: str,
    password: str,
    name: str,
    role: str,
    district: str | None = None,
    credential: str | None = None,
    now: datetime | None = None,
) -> User:
    """The CLI's account creation: staff accounts, and talents verified by hand. The rules of
    registration apply (name, e-mail, password strength, a talent's district, one credential
    one account); a credential is for talents only."""
    now = now or now_utc()
    email = normalise_email(email)
    name = _clean(name)
    errors = _account_problems(email, password, name, role, district)
    issuer, number = _parse_credential(credential, role, errors)
    if errors:
        raise ValidationFailed(errors, "; ".join(f"{k}: {v}" for k, v in errors.items()))
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        raise Conflict(_("This e-mail address is already registered."), code="email_taken")
    if issuer and _credential_in_use(issuer, number):
        raise ValidationFailed({"credential": _("This credential is already linked to an account.")})
    user = User(
        name=name.strip(),
        email=email,
        password_hash=generate_password_hash(password),
        role=role,
        district=district,
        calendar_token=new_calendar_token(),
        consent_at=now,
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    if issuer:
        user.credential_issuer, user.credential_number = issuer, number
        user.talent_status, user.verified_at = "verified", now
    db.session.add(user)
    db.session.flush()
    return user


def _account_problems(email: str, password: str, name: str, role: str, district: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if role not in ROLES:
        errors["role"] = _("Choose a role: talent, organiser or admin.")
    if district is not None and district not in DISTRICTS or district is None and role in ("talent", "organiser"):
        errors["district"] = _("Choose Liwan or Nanhai.")
    if not name or len(name) > 100:
        errors["name"] = _("Enter your name (up to 100 characters).")
    elif text_problem(name):
        errors["name"] = text_problem(name)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = _("Enter a valid e-mail address.")
    problem = password_problem(password, email)
    if problem:
        errors["password"] = problem
    return errors


def _parse_credential(credential: str | None, role: str, errors: dict[str, str]) -> tuple[str | None, str | None]:
    if not credential:
        return None, None
    if role != "talent":
        errors["credential"] = _("Only a talent holds a credential.")
        return None, None
    issuer, _sep, number = credential.partition(":")
    number = number.strip().upper()
    if issuer not in ISSUERS or not CREDENTIAL_NUMBER.match(number):
        errors["credential"] = _("Give the credential as ISSUER:NUMBER with a known issuer.")
        return None, None
    return issuer, number


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. An unknown address costs one password
    check as well, so the answer takes as long whether or not the account exists."""
    if not isinstance(email, str) or not isinstance(password, str):
        return None
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    matches = check_password_hash(user.password_hash if user is not None else _DUMMY_HASH, password)
    if user is None or not user.active or not matches:
        return None
    return user
