"""Publishing the year plan with a tampered year is a bad request, not a server error."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("year", ["0", "99999"])
def test_publishing_a_tampered_year_is_a_bad_request(client: Any, login_as: Any, year: str) -> None:
    # Found by tests/test_fuzz.py once new routes shifted its (derandomised) examples.
    login_as("coordinator")
    assert client.post("/scheduler/publish", data={"year": year, "inputs": "x"}).status_code == 400
