"""Background jobs of the year plan: generating a preview (stored with its inputs hash) and
publishing (the web page's Publish button and the CLI), which reuses a stored preview of the
very same inputs instead of running the engine again."""

from __future__ import annotations

from datetime import date

from planner.i18n import _, lazy_gettext
from planner.i18n.formatting import format_number
from planner.jobs.registry import JobContext, Outcome, job
from planner.scheduler import planning, previews, publishing
from planner.scheduler.spread import PlanResult

STEPS = 3  # reading the inputs, spreading the events, storing / writing


@job(previews.PREVIEW_JOB, title=lazy_gettext("Preview the year plan"))
def preview_plan_job(ctx: JobContext) -> Outcome:
    """Compute the year's plan and keep it as the preview (nothing is published)."""
    year = int(ctx.input["year"])
    today = date.fromisoformat(ctx.input["today"])
    ctx.progress(0, STEPS, _("Reading the organisation and the published plan…"))

    def engine_next(_inputs_hash: str) -> PlanResult | None:
        ctx.progress(1, STEPS, _("Spreading the events over the year…"))
        return None  # always computed afresh

    plan = planning.compute_plan(ctx.session, year, today, reuse=engine_next, attendees=False)
    ctx.progress(2, STEPS, _("Storing the preview…"))
    previews.store_preview(ctx.session, plan, today, ctx.now, ctx.job_id)
    return Outcome(
        _(
            "Preview of plan %(year)d ready: %(events)s events, %(unplaced)s not placed.",
            year=year,
            events=format_number(len(publishing.own_placements(plan))),
            unplaced=format_number(len(plan.result.unplaced)),
        ),
        link=f"/scheduler/preview?year={year}",
    )


@job("publish-plan", title=lazy_gettext("Publish the year plan"))
def publish_plan_job(ctx: JobContext) -> Outcome:
    """Apply the year's plan in one transaction (the old plan or the new one, never half), if
    it is still the plan that was previewed; the stored preview's engine result is reused while
    the inputs hash matches, else the plan is computed again."""
    year = int(ctx.input["year"])
    today = date.fromisoformat(ctx.input["today"])
    ctx.progress(0, 0, _("Computing the plan…"))
    plan = planning.compute_plan(
        ctx.session, year, today, reuse=previews.reuse_stored(ctx.session, year)
    )
    expected = ctx.input.get("inputs")
    if expected and expected != plan.input_hash:
        raise publishing.PlanChanged()
    done = publishing.apply_plan(ctx.session, plan, ctx.now, progress=ctx.progress)
    return Outcome(
        _(
            "Plan %(year)d published: %(added)s added, %(moved)s moved, %(cancelled)s cancelled,"
            " %(kept)s unchanged.",
            year=year,
            added=format_number(done.created),
            moved=format_number(done.moved),
            cancelled=format_number(done.cancelled),
            kept=format_number(done.kept),
        ),
        link=f"/scheduler/?year={year}",
    )
