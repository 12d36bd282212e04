"""csweek area."""
