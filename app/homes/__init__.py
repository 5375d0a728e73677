"""The two talent homes: rooms, opening hours, closures."""
