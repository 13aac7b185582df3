"""Slack listeners, one module per kind (as in the slack-samples layout): events, commands, actions."""
