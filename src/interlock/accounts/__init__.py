"""Organisations, users, roles, API keys and sessions."""
