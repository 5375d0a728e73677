"""Landing page, language switch and the privacy notice."""
