"""The monthly customer-signal report of a department (issue 17): the obstacles routed to it,
what they do to customers (complaint themes, from the customer impact staff tag them with), the
customer praise that mentions it, and the organisation's external measures (NPS, CSAT) beside.

Signals, not production statistics: no handle times, no per-person counts. The report never
names who raised an item (SECURITY.md 16): items show their number, title, status and impact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.feedback.board import next_month
from planner.feedback.departments import department_head, departments
from planner.feedback.thanks import thanks_for_department
from planner.i18n import _, in_language
from planner.mail import Message
from planner.models import Event, FeedbackItem, Person, Praise, SignalReportSent, Team
from planner.models.feedback import CUSTOMER_IMPACTS
from planner.recognition.scorecards import scorecard

EXTERNAL = ("nps", "csat")
PRAISE_SHOWN = 5


@dataclass
class SignalReport:
    """One department's signals for one month."""

    department: Team
    head: Person | None
    month: date
    raised: list[FeedbackItem] = field(default_factory=list)  # routed items raised this month
    closed: list[FeedbackItem] = field(default_factory=list)  # closed during the month
    still_open: list[FeedbackItem] = field(default_factory=list)  # open at the month's end
    impacts: list[tuple[str, int]] = field(default_factory=list)  # (label, items), most first
    praise: list[Praise] = field(default_factory=list)  # praise naming the department
    external: dict[str, float | None] = field(default_factory=dict)  # nps, csat of the month
    thanks: list[Event] = field(default_factory=list)  # thank-yous it received this month

    @property
    def end(self) -> date:
        """The first day after the month."""
        return next_month(self.month)


def mentions(text: str, name: str) -> bool:
    """PURE: whether a text names the department as a word ("billing" in "the Billing team")."""
    return (
        bool(name.strip())
        and re.search(rf"(?<!\w){re.escape(name.strip())}(?!\w)", text, re.IGNORECASE) is not None
    )


def build_report(session: Session, department: Team, month: date) -> SignalReport:
    """The report of one department for the month starting at `month` (its first day)."""
    month = month.replace(day=1)
    report = SignalReport(department, department_head(session, department), month)
    end = report.end
    active = list(
        session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.department_id == department.id, FeedbackItem.raised_on < end)
            .where(FeedbackItem.closed_on.is_(None) | (FeedbackItem.closed_on >= month))
            .order_by(FeedbackItem.raised_on, FeedbackItem.id)
        )
    )
    for item in active:
        if item.raised_on >= month:
            report.raised.append(item)
        if item.closed_on is not None and item.closed_on < end:
            report.closed.append(item)
        else:
            report.still_open.append(item)
    counts = Counter(i.customer_impact for i in active if i.customer_impact in CUSTOMER_IMPACTS)
    report.impacts = [
        (str(CUSTOMER_IMPACTS[key]), n)
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    praise = session.scalars(
        select(Praise)
        .where(Praise.received_on >= month, Praise.received_on < end)
        .order_by(Praise.received_on, Praise.id)
    )
    report.praise = [p for p in praise if mentions(p.quote, department.name)]
    card = scorecard(session, None, month)
    index = card.months.index(month) if month in card.months else None
    report.external = {
        key: (card.values.get(key, [])[index] if index is not None else None) for key in EXTERNAL
    }
    report.thanks = thanks_for_department(session, department.id, month, end)
    return report


def _items_lines(title: str, items: list[FeedbackItem], link: str) -> list[str]:
    """A section of the e-mail listing items (number, title, status, impact; never an author)."""
    lines = [title]
    if not items:
        return [*lines, "  " + _("none"), ""]
    for item in items:
        impact = f" — {item.impact_label}" if item.impact_label else ""
        lines.append(f"  {item.public_id} {item.title} ({item.status_label}){impact}")
        lines.append(f"    {link}/feedback/{item.id}")
    return [*lines, ""]


def report_message(report: SignalReport, *, base_url: str, language: str | None) -> Message:
    """The report as one plain-text e-mail to the department's head, in their language."""
    assert report.head is not None
    page = f"{base_url}/feedback/departments/{report.department.id}/signals/{report.month:%Y-%m}"
    with in_language(language):
        month = f"{report.month:%Y-%m}"
        lines = [
            _("Customer signals for %(department)s — %(month)s", department=report.department.name,
              month=month),
            "",
        ]  # fmt: skip
        lines += _items_lines(_("Raised this month:"), report.raised, base_url)
        lines += _items_lines(_("Closed this month:"), report.closed, base_url)
        lines += _items_lines(_("Still open at the end of the month:"), report.still_open, base_url)
        lines.append(_("What the obstacles do to customers:"))
        lines += [f"  {label}: {n}" for label, n in report.impacts] or ["  " + _("none tagged")]
        lines += ["", _("Customer praise that mentions %(department)s: %(n)d",
                        department=report.department.name, n=len(report.praise))]  # fmt: skip
        lines += [f'  "{p.quote}"' for p in report.praise[:PRAISE_SHOWN]]
        nps, csat = report.external.get("nps"), report.external.get("csat")
        nps_text = "—" if nps is None else f"{nps:g}"
        csat_text = "—" if csat is None else f"{csat:g} %"
        lines += [
            "",
            _("NPS: %(nps)s · CSAT: %(csat)s", nps=nps_text, csat=csat_text),
            "",
            _("Read it online: %(page)s", page=page),
        ]  # fmt: skip
        subject = _("Customer signals for %(department)s: %(month)s",
                    department=report.department.name, month=month)  # fmt: skip
    return Message(to=report.head.email, subject=subject, body="\n".join(lines))


@dataclass(frozen=True)
class Pending:
    """A report to send and the message that carries it."""

    report: SignalReport
    message: Message


def reports_to_send(
    session: Session, month: date, *, base_url: str, default_language: str | None
) -> tuple[list[Pending], int]:
    """The month's reports not sent yet, one per department with an active head who has an
    address; and how many departments were skipped (sent before, or nobody to send to)."""
    sent = set(
        session.scalars(
            select(SignalReportSent.department_id).where(SignalReportSent.month == month)
        )
    )
    pending, skipped = [], 0
    for department in departments(session):
        if department.id in sent:
            skipped += 1
            continue
        report = build_report(session, department, month)
        if report.head is None or not report.head.email:
            skipped += 1
            continue
        language = report.head.language or default_language
        pending.append(
            Pending(report, report_message(report, base_url=base_url, language=language))
        )
    return pending, skipped


def record_sent(session: Session, report: SignalReport, *, now: datetime) -> None:
    """Remember that this report went out, so running the job again does not send it twice."""
    session.add(
        SignalReportSent(
            department_id=report.department.id,
            month=report.month,
            recipient_id=report.head.id if report.head else None,
            sent_at=now,
        )
    )
    session.flush()
