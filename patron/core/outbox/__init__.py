"""The mails the core writes to the outbox, in the transaction of the change they tell of."""
