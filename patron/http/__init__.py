"""The vendor-neutral HTTP toolkit every dialect builds on.

What each dialect needs and no vendor's format holds: reading bodies within limits,
credentials from headers, the client's address behind trusted proxies, locale negotiation,
security headers, query-parameter parsing, pagination arithmetic, and the prefix dispatch
that mounts the dialects. What a dialect must not forget it cannot skip: the dispatch
mounts only what `plumbing.install_dialect` installed (headers, CORS, the catch-all), and
refuses NUL paths itself. It imports the core only; dialects import it, never each other.
"""
