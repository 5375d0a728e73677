"""The talent's own account: password reset, consent, their data, deleting the account."""
