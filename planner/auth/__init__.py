"""Sign-in, sessions, passwords and invites."""
