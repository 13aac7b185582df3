"""The coach in Microsoft Teams."""
