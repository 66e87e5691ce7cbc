"""The domain: the model and its values, the error tree, commands and queries, and the pure
rules every layer above reads (text limits, email syntax, countries, numbering, links)."""
