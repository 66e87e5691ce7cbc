"""The one exception tree of the core, one module per category (`not_found`, `conflict`,
`invalid_input`, `unauthorized`, `forbidden`, `limit_reached`, `throttled`,
`unavailable`), `base` for the codes and the root, `categories` for the dispatch.

Errors carry a stable machine-readable `code`, never an HTTP status: each dialect answers
every category in its vendor's shape, and overrides single codes where the vendor
documents an answer of its own. Import a class from the module it lives in; this package
re-exports nothing.
"""
