"""The emails the core writes to the outbox. Never a password; links carry one-time keys."""

from __future__ import annotations

from patron.core.model import Customer, OutgoingMail


def confirmation_mail(customer: Customer, recipient: str, link: str) -> OutgoingMail:
    name = " ".join(part for part in (customer.first_name, customer.last_name) if part)
    greeting = f"Hello {name}," if name else "Hello,"
    body = (
        f"{greeting}\n\n"
        "please confirm your email address to finish your registration:\n\n"
        f"{link}\n\n"
        "If you did not register, ignore this message.\n"
    )
    return OutgoingMail(
        recipient=recipient,
        subject="Confirm your registration",
        body=body,
        template="customer_confirmation",
        customer_id=customer.id,
    )
