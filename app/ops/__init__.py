"""Operating the app: start-up guards for commands, `check`, `backup` and `restore`."""
