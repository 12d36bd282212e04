"""Departments as owners of feedback (issue 17): a team that is not frontline (IT, billing,
logistics, HR…) can be given an obstacle; its head then owns it and moves it on through the same
lifecycle as any owner (planner/feedback/lifecycle.py).

Routing keeps anonymity intact (SECURITY.md 13-17): it only sets the department and the owner,
never touches the item's author, team or pool, and its history row names the router and the
department, nothing about who raised the item.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotAllowed, NotFound
from planner.feedback import followups
from planner.feedback.history import record_change
from planner.feedback.lifecycle import check_version
from planner.feedback.measures import Measures, compute_measures
from planner.i18n import _
from planner.models import FeedbackChange, FeedbackItem, Person, Team
from planner.models.feedback import CUSTOMER_IMPACTS

LEADER_ROLES = frozenset({"admin", "coordinator", "leader"})
ROUTERS = frozenset({"admin", "coordinator"})


@dataclass(frozen=True)
class DepartmentRow:
    """A department on the overview: its head (None: nobody yet) and its measures."""

    department: Team
    head: Person | None
    measures: Measures


def departments(session: Session) -> list[Team]:
    """Every team that is not frontline, by name."""
    return list(session.scalars(select(Team).where(Team.frontline.is_(False)).order_by(Team.name)))


def get_department(session: Session, team_id: int | None) -> Team:
    """A department by id: NotFound when there is no such team, InvalidInput for a frontline one."""
    team = session.get(Team, team_id) if team_id else None
    if team is None:
        raise NotFound(_("There is no such department."))
    if team.frontline:
        raise InvalidInput(
            _(
                "%(name)s is a frontline team: feedback is routed to departments (teams that "
                "are not frontline).",
                name=team.name,
            )
        )
    return team


def department_head(session: Session, team: Team) -> Person | None:
    """The head set on the team, else its most senior active leader (one whose manager is not a
    leader in the team), else the manager most of its members share; None when there is none."""
    if team.head is not None and team.head.active:
        return team.head
    members = [m for m in team.members if m.active]
    leaders = [m for m in members if m.role in LEADER_ROLES]
    leader_ids = {m.id for m in leaders}
    tops = sorted((m for m in leaders if m.manager_id not in leader_ids), key=lambda m: m.name)
    if tops:
        return tops[0]
    managers = Counter(m.manager_id for m in members if m.manager_id is not None)
    for manager_id, _count in sorted(managers.items(), key=lambda kv: (-kv[1], kv[0])):
        manager = session.get(Person, manager_id)
        if manager is not None and manager.active and manager.role in LEADER_ROLES:
            return manager
    return None


def set_head(session: Session, team: Team, head: Person | None) -> None:
    """Name (or with None, clear) a department's head: an active leader."""
    if head is not None:
        if team.frontline:
            raise InvalidInput(_("Only a department (a team that is not frontline) has a head."))
        if head.role not in LEADER_ROLES or not head.active:
            raise InvalidInput(_("The head of a department is an active leader."))
    team.head_id = head.id if head is not None else None
    session.flush()


def may_route(person: Person, item: FeedbackItem) -> bool:
    """Coordinators and administrators route any open item; an owner routes their own."""
    return person.role in ROUTERS or (person.role in LEADER_ROLES and item.owner_id == person.id)


def route_item(
    session: Session,
    item: FeedbackItem,
    *,
    actor: Person,
    department_id: int | None,
    customer_impact: str,
    expected_version: int | None,
    now: datetime,
    today: date,
    note: str = "",
) -> FeedbackChange | None:
    """Give an open item to a department (its head becomes the owner) and record its customer
    impact; returns the history row of a new routing, None when only the impact changed."""
    if not may_route(actor, item):
        raise NotAllowed("Only a coordinator or the item's owner routes feedback.")
    check_version(item, expected_version)
    if item.is_closed:
        raise InvalidInput(_("A closed item cannot be routed any more."))
    department = get_department(session, department_id)
    impact = (customer_impact or "").strip()
    if impact and impact not in CUSTOMER_IMPACTS:
        raise InvalidInput(_("Choose a customer impact from the list."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise InvalidInput(_("The note is too long (at most 1000 characters)."))
    item.customer_impact = impact
    if item.department_id == department.id:
        session.flush()
        return None
    head = department_head(session, department)
    if head is None:
        raise InvalidInput(
            _("%(name)s has no head yet: name one on the team page first.", name=department.name)
        )
    item.department_id, item.owner_id = department.id, head.id
    change = record_change(
        session,
        item,
        from_status=item.status,
        to_status=item.status,
        actor_id=actor.id,
        now=now,
        on_day=today,
        note=note,
        department_id=department.id,
    )
    session.flush()
    if item.due_date is not None:
        followups.sync_owner_follow_up(session, item, now=now)  # the follow-up moves to the head
        session.flush()
    return change


def routed_items(session: Session, department_id: int) -> list[FeedbackItem]:
    """The items routed to a department: open ones first, newest first."""
    return list(
        session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.department_id == department_id)
            .order_by(
                FeedbackItem.closed_on.is_not(None),
                FeedbackItem.raised_on.desc(),
                FeedbackItem.id,
            )
        )
    )


def overview(session: Session, today: date) -> list[DepartmentRow]:
    """Every department with its head and its measures."""
    return [
        DepartmentRow(team, department_head(session, team), compute_measures(
            session, today, department_id=team.id
        ))
        for team in departments(session)
    ]  # fmt: skip
