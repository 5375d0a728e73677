"""Exchange events, study tours and youth camps: publishing and sign-up."""
