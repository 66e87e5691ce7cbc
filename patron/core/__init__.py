"""Framework-free domain: model, rules and use cases. Imports no web or database code."""
