"""The JSON API (/api/v1), incoming praise webhooks and outgoing Teams/Slack notifications."""
