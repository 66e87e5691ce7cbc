"""Delivery of the outbox over SMTP."""
