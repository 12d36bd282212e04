"""recognition area."""
