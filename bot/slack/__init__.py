"""Slack front end: Block Kit messages for reviews, guidelines and help."""
