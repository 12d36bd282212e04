"""Stored previews of the year plan: the "preview-plan" job computes a plan and keeps it (with
the inputs hash it was computed from); the preview page shows it, and publishing reuses its
engine result while the inputs hash still matches (else the engine runs again).

The plan is kept without its published events (a zlib-compressed pickle of the engine's input
and result): those are re-read as rows whenever the preview is shown or published, so the
difference shown is always the one to the plan as published now.
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
from planner.scheduler.planned_rows import planned_rows
from planner.scheduler.planning import Plan, Reuse
from planner.scheduler.spread import PlanResult

PREVIEW_JOB = "preview-plan"


def store_preview(
    session: Session, plan: Plan, today: date, now: datetime, job_id: int | None
) -> PlanPreview:
    """Keep a computed plan as the year's preview (replacing the one before)."""
    data = zlib.compress(pickle.dumps(replace(plan, events={}), pickle.HIGHEST_PROTOCOL), 1)
    row = session.get(PlanPreview, plan.year) or PlanPreview(year=plan.year)
    row.inputs_hash, row.today, row.computed_at = plan.input_hash, today, now
    row.job_id, row.data = job_id, data
    session.add(row)
    session.flush()
    return row


def _unpickled(row: PlanPreview) -> Plan | None:
    """The stored plan (without events), or None if this app cannot read it."""
    try:
        plan = pickle.loads(zlib.decompress(row.data))  # written only by store_preview
    except Exception:  # an older app's classes: as if there were none (a new preview is made)
        return None
    return plan if isinstance(plan, Plan) else None


def stored_plan(session: Session, year: int) -> tuple[PlanPreview, Plan] | None:
    """The year's stored preview and its plan, with the published events as they are now."""
    row = session.get(PlanPreview, year)
    plan = _unpickled(row) if row is not None else None
    if row is None or plan is None:
        return None
    return row, replace(plan, events=planned_rows(session, year))


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
