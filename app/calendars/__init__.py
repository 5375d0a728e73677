"""The web calendar: month, week and list pages and the subscribe page."""
