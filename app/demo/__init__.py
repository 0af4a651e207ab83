"""Demo data for `flask seed-demo`: the real collaboration, made through the same services a user's actions use."""
