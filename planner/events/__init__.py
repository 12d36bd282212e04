"""The shared calendar-item mechanism: every area creates and changes events through here."""
