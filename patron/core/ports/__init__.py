"""What the core asks of the world: protocols storage and the security adapters implement."""
