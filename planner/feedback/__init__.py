"""feedback area."""
