"""meetings area: skip-level meeting pages (agenda, obstacles logged, carried-over items, notes)."""
