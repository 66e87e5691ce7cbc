"""Who is acting: customers' logins, tokens, sessions and throttles, staff credentials,
anonymous visitors, passwords, and who may act on which customer."""
