"""The demo organisation: Acme Customer Care, ~165 people in 16 frontline and 3 other teams.

Reporting lines: staff -> team lead (role leader) -> leader, so every frontline team has a
skip-level leader. Idempotent: people are matched by e-mail and only missing ones are added.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.auth.passwords import hash_password
from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD
from planner.models import Absence, Person, Team
from planner.org.calendar import get_organisation


def _words(text: str, separator: str | None = None) -> list[str]:
    """Split a long literal list of names (easier to read and edit than one name per line)."""
    return text.split(separator)


DEMO_ADMIN = "admin@demo.example"
DEMO_LEADER = "lotte.de.vries@demo.example"
DEMO_STAFF = "zilvinas.kazlauskas@demo.example"

FIRST = _words(
    "Ana Ben Chloé Daan Emma Finn Gintarė Hugo Inês Jonas Kaja Lars Mila Noah Olga Pieter "
    "Quinn Rūta Sven Tess Umar Vera Wout Xenia Yusuf Zoë Aisha Bram Çağla Dóra Eleni "
    "Fatima Gustav Hanna Ibrahim Jurgita Kees Lina Mateus Nora Oskar Priya Rasmus Saskia "
    "Tomás Ugnė Vincent Wiktoria Yara Zeynep Amir Birgit Csilla Diederik Esra François "
    "Greta Henrik Ilse Jürgen Karolis Leila Marek Niamh Owen Paulina Renée Søren Thijs "
    "Łukasz Mantas Sofía Joost Aurelija Nikolai Siobhan Kofi Mei Ayşe Björn Élodie Raúl"
)
LAST = _words(
    "Jansen|de Jong|Bakker|Visser|Smit|Meijer|Mulder|de Boer|Bos|Vos|Peters|Hendriks|"
    "Dekker|Brouwer|van Dijk|Kazlauskienė|Petrauskas|Jankauskas|Butkutė|Žukauskas|Müller|"
    "Schmidt|García|Fernández|Rossi|Novak|Kowalski|Nowak|Horváth|Nagy|Dubois|Lefèvre|"
    "O'Brien|Murphy|Nielsen|Andersen|Lindqvist|Øberg|Yılmaz|Demir|Okafor|Mensah|Chen|"
    "Nguyen|Kim|Tanaka|Singh|Patel|Haddad|Costa|Silva|Pereira|Ivanova|Popescu|"
    "Papadopoulos",
    "|",
)

LEADERS = (
    ("Lotte de Vries", DEMO_LEADER),
    ("Marcus Okonkwo", "marcus.okonkwo@demo.example"),
    ("Ingrid Halvorsen", "ingrid.halvorsen@demo.example"),
    ("Rafael Moreno", "rafael.moreno@demo.example"),
    ("Aušra Vaitkevičienė", "ausra.vaitkeviciene@demo.example"),
    ("Sanne Verhoeven", "sanne.verhoeven@demo.example"),
    ("Tobias Reinhardt", "tobias.reinhardt@demo.example"),
    ("Naledi Dlamini", "naledi.dlamini@demo.example"),
)
FRONTLINE_TEAMS = (
    "Billing Support", "Technical Support", "Onboarding", "Returns & Refunds", "Premium Care",
    "Social Media Care", "Chat Team", "Phone Team North", "Phone Team South", "Retention",
    "Business Accounts", "Complaints", "Email Support", "Deliveries", "Night Shift",
    "Dutch & Flemish Desk",
)  # fmt: skip
OTHER_TEAMS = ("Customer Care Leadership", "Quality & Training", "Workforce Planning")
STAFF_PER_TEAM = 8


def email_for(name: str) -> str:
    """An ASCII e-mail address for a name: Žilvinas Kazlauskas -> zilvinas.kazlauskas@…"""
    special = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "ı": "i"})
    plain = unicodedata.normalize("NFKD", name.translate(special))
    ascii_name = "".join(c for c in plain if c.isascii() and (c.isalnum() or c in " -"))
    return ".".join(ascii_name.lower().split()) + "@demo.example"


def _people_plan() -> list[tuple[str, str, str, str, str]]:
    """(name, email, role, team, manager email) for everyone, deterministically."""
    rng = random.Random(2026)
    used: set[str] = {e for _n, e in LEADERS}
    plan: list[tuple[str, str, str, str, str]] = [
        (n, e, "leader", OTHER_TEAMS[0], "") for n, e in LEADERS
    ]
    plan.append(("Priya Raman", DEMO_COORDINATOR, "coordinator", OTHER_TEAMS[2], ""))
    plan.append(("Alex Admin", DEMO_ADMIN, "admin", OTHER_TEAMS[2], ""))
    used |= {DEMO_COORDINATOR, DEMO_ADMIN}

    def new_name() -> tuple[str, str]:
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = email_for(name)
            if email not in used:
                used.add(email)
                return name, email

    for index, team in enumerate(FRONTLINE_TEAMS):
        leader_email = LEADERS[index // 2][1]
        lead_name, lead_email = new_name()
        plan.append((lead_name, lead_email, "leader", team, leader_email))
        for member in range(STAFF_PER_TEAM):
            if index == 0 and member == 0:
                name, email = "Žilvinas Kazlauskas", DEMO_STAFF
                used.add(email)
            else:
                name, email = new_name()
            plan.append((name, email, "staff", team, lead_email))
    for team, leader in ((OTHER_TEAMS[1], LEADERS[6][1]), (OTHER_TEAMS[2], LEADERS[7][1])):
        for _ in range(4):
            name, email = new_name()
            plan.append((name, email, "staff", team, leader))
    return plan


def load(session: Session, today: date) -> list[str]:
    """Create the demo organisation; running it again adds nothing that already exists."""
    org = get_organisation(session)
    if org.name == "My organisation":
        org.name, org.time_zone, org.country = "Acme Customer Care", "Europe/Amsterdam", "NL"
        org.locale, org.working_days = "nl-NL", "01234"
    teams = {t.name: t for t in session.scalars(select(Team))}
    for name in (*FRONTLINE_TEAMS, *OTHER_TEAMS):
        if name not in teams:
            teams[name] = Team(name=name, frontline=name in FRONTLINE_TEAMS)
            session.add(teams[name])
    people = {p.email: p for p in session.scalars(select(Person))}
    plan = _people_plan()
    logins = {DEMO_COORDINATOR, DEMO_ADMIN, DEMO_LEADER, DEMO_STAFF}
    password_hash = None
    added = 0
    for name, email, role, team, _manager in plan:
        if email in people:
            continue
        person = Person(name=name, email=email, role=role, team=teams[team])
        if email in logins:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            person.password_hash = password_hash
        session.add(person)
        people[email] = person
        added += 1
    session.flush()
    for _name, email, _role, _team, manager in plan:
        if manager and people[email].manager_id is None and added:
            people[email].manager_id = people[manager].id
    staff = people[DEMO_STAFF]
    if added and not session.scalar(select(Absence.id).where(Absence.person_id == staff.id)):
        # A holiday a month from now, so the scheduler has an absence to plan around.
        start = today + timedelta(days=30)
        session.add(
            Absence(person_id=staff.id, first_day=start, last_day=start + timedelta(days=9),
                    note="Holiday")
        )  # fmt: skip
    session.flush()
    return [
        f"Organisation: {org.name} ({org.time_zone}, {org.country}); {len(plan)} demo people "
        f"in {len(FRONTLINE_TEAMS)} frontline and {len(OTHER_TEAMS)} other teams"
        f" ({added} added now).",
        f"Sign in with password {DEMO_PASSWORD!r} as:",
        f"  admin        {DEMO_ADMIN}",
        f"  coordinator  {DEMO_COORDINATOR}",
        f"  leader       {DEMO_LEADER}",
        f"  staff        {DEMO_STAFF}",
    ]
