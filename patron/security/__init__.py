"""Password hashing, tokens and login throttling behind the core's ports."""
