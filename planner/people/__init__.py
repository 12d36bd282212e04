"""The person picker: one search over people (name, team, e-mail; case- and accent-blind), a
form field that resolves what was typed or chosen to a person id, and the JSON endpoint the
picker's script asks while someone types."""
