"""Schemathesis against /api/v1/openapi.json, in-process over WSGI with a token holding every
scope: generated valid and invalid requests for every operation, no 5xx, every answer matching
the document (status codes, content types, headers, bodies)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from sqlalchemy.orm import Session

from tests import factories
from tests.api_helpers import token_for

EXCLUDED = [positive_data_acceptance, negative_data_rejection]
EXAMPLES = 50  # per operation and mode: about 20 s in all on two busy cores


@pytest.fixture
def api_schema(app: Flask, db: Session) -> Any:
    """The document as the app serves it, with a little data to read."""
    factories.organisation(db)
    team = factories.team(db, "Billing")
    factories.person(db, name="Pat", email="pat@acme.test", team=team)
    db.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def api_token(db: Session) -> str:
    """A coordinator's token with every scope."""
    return token_for(db)


# schemathesis.pytest.from_fixture needs pytest internals that pytest 9 renamed, so the
# operations are walked here and each is driven by Hypothesis directly (same checks).
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_document(
    api_schema: Any, api_token: str, mode: GenerationMode
) -> None:
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            # A valid request may still be refused for its content (an unknown team, a future
            # month): a documented 422, so "positive data must be accepted" does not apply.
            # Every call carries the token, so a case whose only flaw is a missing or mangled
            # Authorization header is sent valid; and a query key the test client drops never
            # reaches the app. Both made "negative data rejected" fail on requests the app never
            # saw as invalid (seen in CI, order-dependent), so that check is left out; no 5xx and
            # every answer matching the document still hold for every negative case.
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        check()
