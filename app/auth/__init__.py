"""Accounts, log-in and the review of credentials."""
