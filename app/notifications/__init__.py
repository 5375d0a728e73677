"""E-mail notifications through a database outbox."""
