"""The emails the core writes to the outbox. Links carry one-time keys; the only password
one carries is one Patron generated for a customer who chose none (`account_mail`).

No mail carries text a customer typed: whoever registers, or changes an account's email,
can name any address, and a "first name" such as "Your account is locked, verify now at
https://..." must not reach that mailbox word for word. Greetings name nobody.
"""

from __future__ import annotations

from datetime import UTC, datetime

from patron.core.domain.model import Customer, OutgoingMail, Product, Subscription


def confirmation_mail(customer: Customer, recipient: str, link: str) -> OutgoingMail:
    return _to_customer(
        customer.id,
        recipient,
        subject="Confirm your registration",
        template="customer_confirmation",
        text=(
            "please confirm your email address to finish your registration:\n\n"
            f"{link}\n\n"
            "If you did not register, ignore this message.\n"
        ),
    )


def password_reset_mail(
    customer: Customer, recipient: str, link: str, valid_minutes: int
) -> OutgoingMail:
    return _to_customer(
        customer.id,
        recipient,
        subject="Reset your password",
        template="customer_password_reset",
        text=(
            "someone asked to reset the password of your account. To choose a new one, open:\n\n"
            f"{link}\n\n"
            f"The link works once, within {valid_minutes} minutes. If you did not ask for it, "
            "ignore this message: your password stays as it is.\n"
        ),
    )


def email_change_mail(customer: Customer, recipient: str, link: str) -> OutgoingMail:
    """To the new address: nobody has confirmed it yet, so it names nobody and nothing a
    stranger typed."""
    return _to_customer(
        customer.id,
        recipient,
        subject="Confirm your new email address",
        template="customer_email_change",
        text=(
            "please confirm that this email address is to be the login of your account:\n\n"
            f"{link}\n\n"
            "If you did not ask for it, ignore this message: nothing changes.\n"
        ),
    )


def email_change_notice(customer: Customer, recipient: str) -> OutgoingMail:
    """To the old address: a change was asked for, so an intruder's is noticed."""
    return _to_customer(
        customer.id,
        recipient,
        subject="Your email address is about to change",
        template="customer_email_change_notice",
        text=(
            "someone who knows your password asked to change the email address of your account. "
            "It changes once the new address is confirmed.\n\n"
            "If it was not you, change your password now.\n"
        ),
    )


def login_change_notice(
    customer: Customer, recipient: str, *, email: bool, password: bool, when: datetime
) -> OutgoingMail:
    """To the address the account answered to before the change: its login email or its
    password changed (through any dialect, the back office or a reset), when, and what to
    do if it was not the customer. It names neither the new address nor anything secret,
    and holds no link (no configured page fits it without a key)."""
    what = " and ".join(
        name for name, changed in (("login email", email), ("password", password)) if changed
    )
    verb = "were" if email and password else "was"
    moment = when.astimezone(UTC).strftime("%Y-%m-%d at %H:%M UTC")
    if email:
        advice = (
            "If it was not you, contact the shop at once: mail to this address no longer "
            "reaches your account, and whoever changed it can now reset its password.\n"
        )
    else:
        advice = (
            'If it was not you, reset your password at once ("forgot your password?" at '
            "the shop's login) and tell the shop.\n"
        )
    return _to_customer(
        customer.id,
        recipient,
        subject=f"Your {what} {verb} changed",
        template="customer_login_change_notice",
        text=(
            f"the {what} of your account {verb} changed on {moment}.\n\n"
            "If it was you, there is nothing to do.\n\n"
            f"{advice}"
        ),
    )


def deletion_mail(
    customer: Customer, recipient: str, link: str, valid_minutes: int
) -> OutgoingMail:
    return _to_customer(
        customer.id,
        recipient,
        subject="Confirm the deletion of your account",
        template="customer_account_deletion",
        text=(
            "someone asked to delete your account. To confirm, open:\n\n"
            f"{link}\n\n"
            f"The link works once, within {valid_minutes} minutes. If you did not ask for it, "
            "ignore this message and change your password: your account stays as it is.\n"
        ),
    )


def availability_mail(subscription: Subscription, product: Product) -> OutgoingMail:
    """Sent once: the subscription is closed by the change that writes this mail."""
    label = f"{product.name} (SKU {product.sku})" if product.name else f"SKU {product.sku}"
    return _to_customer(
        subscription.customer_id,
        subscription.email,
        # Collapsed to one line: a line break in a header would make the mail unsendable.
        subject=" ".join(f"{product.name or product.sku} is available again".split()),
        template="availability_notification",
        text=(
            f"good news: {label} is available again.\n\n"
            "You asked us to tell you once; this subscription is now closed.\n"
        ),
    )


def account_mail(
    customer: Customer, recipient: str, *, password: str | None, link: str | None
) -> OutgoingMail:
    """Aimeos' account e-mail: an account exists for this address now. It carries the
    password Patron chose when the customer chose none (the only way they learn it), and
    the confirmation link when one is due, so a sign-up sends one mail, not two."""
    parts = ["an account was created for this email address.\n"]
    if password is not None:
        parts.append(f"\nYour password: {password}\nPlease change it after your first login.\n")
    if link is not None:
        parts.append(f"\nPlease confirm your email address to use it:\n\n{link}\n")
    parts.append("\nIf you did not register, ignore this message.\n")
    return _to_customer(
        customer.id,
        recipient,
        subject="Your account",
        template="customer_account",
        text="".join(parts),
    )


def _to_customer(
    customer_id: int | None, recipient: str, *, subject: str, template: str, text: str
) -> OutgoingMail:
    """Every mail opens with the same greeting, which names nobody (see above)."""
    return OutgoingMail(
        recipient=recipient,
        subject=subject,
        body=f"Hello,\n\n{text}",
        template=template,
        customer_id=customer_id,
    )
