"""Demo service standards: a purpose statement, a starting lexicon in en/nl/lt (imported from
planner/data/lexicon_demo.csv through the normal CSV import), a five-question module of the
month, two passed attempts and a few shout-outs. Running it again changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.models import LexiconEntry, Person, ShoutOut, TrainingModule
from planner.standards import attempts, operations, shoutouts, training

PURPOSE = (
    "We make every customer's problem our own: we listen first, find a way to say yes, "
    "and leave people better off than when they reached us."
)
MODULE_TITLE = "Finding a way to say yes"
LESSON = """\
When we cannot give a customer what they ask for, **how** we say it decides whether they leave
angry or helped.

1. **Own it.** Never pass the customer on without staying with them.
2. **Pair every no with a yes.** Say what you *can* do.
3. **Name the feeling** before you solve the problem.
4. **Apologise specifically**: what went wrong, and what happens next.

Practise the phrases below this week and thank a colleague you hear using them.
"""
# (prompt, multiple, explanation, ((option, right), ...))
QUESTIONS = (
    ("A customer asks about a refund, which billing handles. What do you say?", False,
     "Own the hand-over: the customer should not have to explain twice.",
     (("“That's not my department.”", False),
      ("“Let me get our billing colleague and stay on the line.”", True),
      ("“Please call billing on the other number.”", False))),
    ("Which of these pair a no with a yes?", True,
     "Both offer something the customer can have; “It's our policy” offers nothing.",
     (("“We can't deliver on Sunday, but Saturday morning works.”", True),
      ("“It's our policy.”", False),
      ("“We can't refund it, but we can move it to any date for free.”", True))),
    ("An angry caller has phoned three times. What comes first?", False,
     "Naming the feeling lowers the temperature; then solve.",
     (("Ask them to calm down", False),
      ("Say you can hear how frustrating this is", True),
      ("Read out the terms and conditions", False))),
    ("What makes an apology land?", True,
     "A specific apology names what went wrong and what happens next.",
     (("Saying what went wrong", True),
      ("Saying what happens next", True),
      ("“Sorry for the inconvenience.”", False),
      ("Blaming the system", False))),
    ("A customer says thank you. The best answer is…", False,
     "“My pleasure” says you were glad to help.",
     (("“No problem.”", False), ("“My pleasure.”", True), ("“Whatever.”", False))),
)  # fmt: skip
SHOUTS = (
    "Stayed on the line with a caller whose parcel was lost twice until the courier confirmed.",
    "Turned a refund we could not give into a free date change: the customer thanked us twice.",
    "Explained our new invoice to a worried pensioner so patiently that she asked for you again.",
)


def _lexicon(session: Session, coordinator: Person) -> int:
    """The starting set, through the normal import (all or nothing, idempotent)."""
    data = resources.files("planner.data").joinpath("lexicon_demo.csv").read_bytes()
    return operations.import_lexicon(session, data, coordinator, utcnow()).created


def _module(session: Session, today: date) -> TrainingModule:
    """The five-question module, featured from this month."""
    found = session.scalar(select(TrainingModule).where(TrainingModule.title == MODULE_TITLE))
    if found is not None:
        return found
    module = training.save_module(
        session, None, training.ModuleValues(title=MODULE_TITLE, lesson=LESSON), utcnow()
    )
    for prompt, multiple, explanation, choices in QUESTIONS:
        training.save_question(
            session,
            module.id,
            None,
            training.QuestionValues(prompt, multiple, explanation, choices),
        )
    entries = session.scalars(select(LexiconEntry.id).where(LexiconEntry.language == "en").limit(5))
    featured = None
    if (
        session.scalar(
            select(TrainingModule.id).where(TrainingModule.featured_from == today.replace(day=1))
        )
        is None
    ):
        featured = today.replace(day=1)
    return training.save_module(
        session,
        module.id,
        training.ModuleValues(
            title=MODULE_TITLE,
            lesson=LESSON,
            published=True,
            featured_from=featured,
            entry_ids=tuple(entries),
        ),
        utcnow(),
    )


def _pass(session: Session, module: TrainingModule, person: Person, today: date) -> None:
    """A passed attempt (every right option ticked)."""
    now = datetime.combine(today, time(10), UTC)
    attempt = attempts.start_attempt(session, module.id, person, now)
    answers = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.questions}
    attempts.submit_attempt(session, attempt.id, person, answers, now=now, today=today)


def load(session: Session, today: date) -> list[str]:
    """Add the standards demo data; idempotent."""
    coordinator = session.scalar(
        select(Person).where(Person.role.in_(("coordinator", "admin"))).order_by(Person.id)
    )
    if coordinator is None:
        return []
    lines = []
    if operations.current_purpose(session) is None:
        operations.save_purpose(session, PURPOSE, author_id=coordinator.id, now=utcnow())
        lines.append("Standards: purpose statement written.")
    if session.scalar(select(LexiconEntry.id).limit(1)) is None:
        added = _lexicon(session, coordinator)
        lines.append(f"Standards: {added} lexicon phrases (en/nl/lt).")
    module = _module(session, today)
    staff = list(
        session.scalars(
            select(Person)
            .where(Person.role == "staff", Person.active.is_(True), Person.team_id.is_not(None))
            .order_by(Person.id)
        )
    )
    for person in staff[:2]:
        if not attempts.attempts_of(session, person.id, module.id):
            _pass(session, module, person, today)
    if session.scalar(select(ShoutOut.id).limit(1)) is None and len(staff) >= 4:
        for index, message in enumerate(SHOUTS):
            shoutouts.give_shout_out(
                session,
                author=staff[index + 1],
                recipient_id=staff[index].id,
                message=message,
                now=utcnow(),
            )
        lines.append(f"Standards: {len(SHOUTS)} peer shout-outs.")
    return lines
