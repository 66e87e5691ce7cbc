"""The emails the core writes to the outbox. Never a password; links carry one-time keys.

No mail carries text a customer typed: whoever registers, or changes an account's email,
can name any address, and a "first name" such as "Your account is locked, verify now at
https://..." must not reach that mailbox word for word. Greetings name nobody.
"""

from __future__ import annotations

from patron.core.model import Customer, OutgoingMail, Product, Subscription


def confirmation_mail(customer: Customer, recipient: str, link: str) -> OutgoingMail:
    body = (
        "Hello,\n\n"
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


def password_reset_mail(
    customer: Customer, recipient: str, link: str, valid_minutes: int
) -> OutgoingMail:
    body = (
        "Hello,\n\n"
        "someone asked to reset the password of your account. To choose a new one, open:\n\n"
        f"{link}\n\n"
        f"The link works once, within {valid_minutes} minutes. If you did not ask for it, "
        "ignore this message: your password stays as it is.\n"
    )
    return OutgoingMail(
        recipient=recipient,
        subject="Reset your password",
        body=body,
        template="customer_password_reset",
        customer_id=customer.id,
    )


def availability_mail(subscription: Subscription, product: Product) -> OutgoingMail:
    """Sent once: the subscription is closed by the change that writes this mail."""
    label = f"{product.name} (SKU {product.sku})" if product.name else f"SKU {product.sku}"
    body = (
        "Hello,\n\n"
        f"good news: {label} is available again.\n\n"
        "You asked us to tell you once; this subscription is now closed.\n"
    )
    return OutgoingMail(
        recipient=subscription.email,
        # Collapsed to one line: a line break in a header would make the mail unsendable.
        subject=" ".join(f"{product.name or product.sku} is available again".split()),
        body=body,
        template="availability_notification",
        customer_id=subscription.customer_id,
    )
