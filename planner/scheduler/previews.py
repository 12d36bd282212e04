"""Stored previews of the year plan: the "preview-plan" job computes a plan and keeps it (with
the inputs hash it was computed from); the preview page shows it, and publishing reuses its
engine result while the inputs hash still matches (else the engine runs again).

The plan is kept as the page needs it (a zlib-compressed pickle): the engine's result, the
period and closed days of its input, each series' title, practice and host, and what the
independent validator found, checked once here. Not kept: the published events (re-read as rows
whenever the preview is shown, so the difference shown is always the one to the plan as
published now), the input's series, published placements, busy times and absences, and the
series' attendee lists and descriptions. At 10,000 people those made the stored plan several
times larger and slower to write and read. A stored plan is for showing only: publishing
recomputes the inputs and reuses just the stored result (reuse_stored).
"""

from __future__ import annotations

import json
import pickle
import zlib
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Job, PlanPreview
from planner.scheduler.collector import collector_paused
from planner.scheduler.planned_rows import planned_rows
from planner.scheduler.planning import Plan, Reuse
from planner.scheduler.spread import PlanResult
from planner.scheduler.validate import find_violations

PREVIEW_JOB = "preview-plan"


@collector_paused()
def store_preview(
    session: Session, plan: Plan, today: date, now: datetime, job_id: int | None
) -> PlanPreview:
    """Keep a computed plan as the year's preview (replacing the one before)."""
    data = zlib.compress(pickle.dumps(shown_part(plan), pickle.HIGHEST_PROTOCOL), 1)
    row = session.get(PlanPreview, plan.year) or PlanPreview(year=plan.year)
    row.inputs_hash, row.today, row.computed_at = plan.input_hash, today, now
    row.job_id, row.data = job_id, data
    session.add(row)
    session.flush()
    return row


def shown_part(plan: Plan) -> Plan:
    """What the preview page reads of a plan: its input without series, placements, busy times
    and absences, its series' details without attendees and descriptions, no events, and the
    validator's findings (checked now, while the whole input is at hand)."""
    found = find_violations(plan.plan_input, plan.result) if plan.violations is None else None
    trimmed = replace(plan.plan_input, series=(), existing=(), busy=(), absences={})
    meta = {key: replace(m, attendee_ids=(), description="") for key, m in plan.meta.items()}
    return replace(plan, plan_input=trimmed, meta=meta, events={},
                   violations=plan.violations if found is None else found)  # fmt: skip


def _unpickled(row: PlanPreview) -> Plan | None:
    """The stored plan (without events), or None if this app cannot read it."""
    try:
        plan = pickle.loads(zlib.decompress(row.data))  # written only by store_preview
    except Exception:  # an older app's classes: as if there were none (a new preview is made)
        return None
    return plan if isinstance(plan, Plan) else None


@collector_paused()
def stored_plan(session: Session, year: int) -> tuple[PlanPreview, Plan] | None:
    """The year's stored preview and its plan, with the published events as they are now."""
    row = session.get(PlanPreview, year)
    plan = _unpickled(row) if row is not None else None
    if row is None or plan is None:
        return None
    return row, replace(plan, events=planned_rows(session, year, attendees=False))


def reuse_stored(session: Session, year: int) -> Reuse:
    """For compute_plan: the stored preview's engine result when its inputs hash is the given
    one (the inputs are unchanged), else None (the engine runs)."""

    def reuse(inputs_hash: str) -> PlanResult | None:
        stored = session.scalar(select(PlanPreview.inputs_hash).where(PlanPreview.year == year))
        if stored != inputs_hash:
            return None
        row = session.get(PlanPreview, year)
        plan = _unpickled(row) if row is not None else None
        return plan.result if plan is not None else None  # the events are read by the caller

    return reuse


def running_preview(session: Session, year: int) -> Job | None:
    """The year's preview job that is queued or running, if any."""
    jobs = session.scalars(
        select(Job).where(Job.kind == PREVIEW_JOB, Job.active_key.is_not(None)).order_by(Job.id)
    )
    for job in jobs:
        if json.loads(job.input_json or "{}").get("year") == year:
            return job
    return None
