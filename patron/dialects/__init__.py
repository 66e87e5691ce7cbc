"""One package per vendor API. Each translates HTTP to core calls and back, nothing more."""
