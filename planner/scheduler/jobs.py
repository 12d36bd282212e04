"""Background jobs of the year plan: publishing (the web page's Publish button and the CLI)."""

from __future__ import annotations

from datetime import date

from planner.i18n import _, lazy_gettext
from planner.jobs.registry import JobContext, Outcome, job
from planner.scheduler import planning, publishing


@job("publish-plan", title=lazy_gettext("Publish the year plan"))
def publish_plan_job(ctx: JobContext) -> Outcome:
    """Recompute the year's plan and apply it in one transaction (the old plan or the new one,
    never half), if it is still the plan that was previewed."""
    year = int(ctx.input["year"])
    today = date.fromisoformat(ctx.input["today"])
    ctx.progress(0, 0, _("Computing the plan…"))
    plan = planning.compute_plan(ctx.session, year, today)
    expected = ctx.input.get("inputs")
    if expected and expected != plan.input_hash:
        raise publishing.PlanChanged()
    done = publishing.apply_plan(ctx.session, plan, ctx.now, progress=ctx.progress)
    return Outcome(
        _(
            "Plan %(year)d published: %(added)d added, %(moved)d moved, %(cancelled)d cancelled,"
            " %(kept)d unchanged.",
            year=year,
            added=done.created,
            moved=done.moved,
            cancelled=done.cancelled,
            kept=done.kept,
        ),
        link=f"/scheduler/?year={year}",
    )
