"""PersonField: a form field whose value is a person id, chosen with the picker.

The browser sends up to three values: `<name>` (the id the picker's script set, or the one the
page was drawn with), `<name>-q` (the search box) and `<name>-pick` (a choice among the matches
the server listed when JavaScript is off). Validation turns them into one person of the pool,
or a clear error: what was typed matches nobody, several people (listed to choose from), or a
person who is unknown or has left.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from wtforms.fields.core import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from planner.db import get_session
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.people.search import POOLS, Match, Pool, exact_email, person_match, search_people
from planner.validation import text_problem


def _as_id(raw: Any) -> int | None:
    """An id from a form value or an object (a Person), or None."""
    if raw is None or raw == "":
        return None
    if hasattr(raw, "id"):
        return int(raw.id)
    text = str(raw).strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


class PersonField(Field):
    """One person of a pool (planner/people/search.py POOLS), chosen by search."""

    data: int | None
    sent_id: int | None
    picked: int | None

    def __init__(
        self, label: Any = None, validators: Any = None, *, pool: str = "people",
        required: bool = True, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(label, validators, **kwargs)
        if pool not in POOLS:
            raise ValueError(f"unknown person pool {pool!r}")
        self.pool_name, self.required = pool, required
        self.query, self.picked, self.sent_id = "", None, None
        self.submitted = self.drawn = False
        self.matches: list[Match] = []
        self.more = False

    @property
    def person_id(self) -> int:
        """The chosen id of a required picker after validation passed."""
        if self.data is None:
            raise ValueError(f"{self.name}: no person chosen (validate the form first)")
        return self.data

    @property
    def pool(self) -> Pool:
        """The people this picker offers."""
        return POOLS[self.pool_name]

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        """Read the id, the search text and a choice among listed matches."""
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.submitted = True
            self.query = str(formdata.get(f"{self.name}-q") or "")[:200]
            self.picked = _as_id(formdata.get(f"{self.name}-pick"))
            # The page drew the box (so an emptied box means "nobody"); a bare id is a client
            # that sends ids directly (the id alone counts then).
            self.drawn = f"{self.name}-q" in formdata

    def process_data(self, value: Any) -> None:
        """A person id (or a Person) from the object or the view."""
        self.data = _as_id(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        """The id the page sent back; what it means is decided on validation."""
        self.sent_id = _as_id(valuelist[0]) if valuelist else None
        self.data = None

    def _actor(self) -> int | None:
        return int(current_user.id) if current_user.is_authenticated else None

    def chosen(self) -> Match | None:
        """The chosen person, as the picker shows them (None when nobody is chosen)."""
        if self.data is None:
            return None
        return person_match(get_session(), self.data, self.pool, actor_id=self._actor())

    def shown_text(self) -> str:
        """What the search box shows: the chosen person's label, else what was typed."""
        chosen = self.chosen()
        return chosen.label if chosen is not None else self.query

    def pre_validate(self, form: Any) -> None:
        """Resolve the sent values to one person of the pool, or say why not."""
        if not self.submitted:
            return
        session, actor, text = get_session(), self._actor(), self.query.strip()
        problem = text_problem(text, multiline=False)
        if problem:
            raise StopValidation(problem[0].upper() + problem[1:] + ".")
        if self.picked is not None:
            self._take(person_match(session, self.picked, self.pool, actor_id=actor))
            return
        if self.sent_id is not None:
            sent = person_match(session, self.sent_id, self.pool, actor_id=actor)
            if not self.drawn or (sent is not None and sent.label == text):
                self._take(sent)
                return
            if sent is None and " · " in text:  # the label of someone who has since left
                self._take(None)
        if not text:
            if self.required:
                raise StopValidation(_("Choose a person: type part of a name, team or e-mail."))
            return
        found = exact_email(session, text, self.pool, actor_id=actor)
        if found is not None:
            self.data = found.id
            return
        matches, more = search_people(session, text, self.pool, actor_id=actor)
        if len(matches) == 1 and not more:
            self.data = matches[0].id
            return
        if not matches:
            raise StopValidation(
                _("Nobody here matches “%(text)s”. Type part of a name, team or e-mail.", text=text)
            )
        self.matches, self.more = matches, more
        raise StopValidation(
            ngettext("%(num)d person matches “%(text)s”: choose one below.",
                     "%(num)d people match “%(text)s”: choose one below.",
                     len(matches), text=text)
            if not more
            else _("More than %(num)d people match “%(text)s”: choose one below or type more.",
                   num=len(matches), text=text)
        )  # fmt: skip

    def _take(self, match: Match | None) -> None:
        if match is None:
            raise StopValidation(
                _("That person is unknown or no longer here. Search again and choose someone.")
            )
        self.data = match.id
