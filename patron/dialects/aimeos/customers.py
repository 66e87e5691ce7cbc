"""`/jsonapi/customer`: the logged-in customer's own account (reference 3).

The customer's address fields (`customer.address1`, `customer.city`, ...) are its default
billing address: read from it, and a write that sends any of them edits it in place or
creates it, with the customer's name, company, phone and VAT id copied in, so the same
address shows in Glue and Medusa.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import Response

from patron.core.domain.command_fields import (
    address_change,
    address_draft,
    profile_change,
    registration,
)
from patron.core.domain.commands import (
    AccountEdit,
    AccountMail,
    BillingChoice,
    EmailLookup,
    SignupLimit,
)
from patron.core.domain.model import GROUP_DOMAIN, Address, Customer, CustomerProperty, ListItem
from patron.core.identity.access import CustomerRef
from patron.core.identity.passwords import generate_password
from patron.dialects.aimeos import addresses, properties, relationships
from patron.dialects.aimeos.errors import invalid
from patron.dialects.aimeos.http import Call
from patron.dialects.aimeos.resources import Resource, fieldset, includes, one_entry, sparse
from patron.dialects.aimeos.schemas import CUSTOMER, read_attributes
from patron.dialects.aimeos.shapes import (
    ITEM_ALLOW,
    RELATED_ALLOW,
    answer,
    link_parameters,
    link_to,
    url,
)
from patron.dialects.aimeos.values import shown_salutation
from patron.dialects.aimeos.values import shown_text as text
from patron.http.proxies import client_ip

TYPE = "customer"
ME = CustomerRef.me()
ADDRESS_INCLUDE = "customer/address"
PROPERTY_INCLUDE = "customer/property"
RELATED = ("address", "property", "relationships", "review")
BILLING_FIELDS = frozenset(a.field for a in CUSTOMER.values() if a.billing and a.field)
COPIED_FIELDS = ("salutation", "title", "first_name", "last_name", "company", "phone", "vat_id")
"""The customer's own values its billing address repeats."""
NO_EMAIL = 'Invalid characters in email address: ""'


def label(customer: Customer) -> str:
    """The label, or Aimeos' generated one: "first last (company)", parts left out when
    empty, from the current values (Aimeos uses those before the write: a deviation)."""
    if customer.label:
        return customer.label
    name = " ".join(part for part in (customer.first_name, customer.last_name) if part)
    return f"{name} ({customer.company})".strip() if customer.company else name


def attributes(customer: Customer, billing: Address | None) -> dict[str, Any]:
    """`Customer\\Item\\Standard::toArray(false)`: the 25 public attributes, in order."""
    b = billing

    return {
        "customer.id": str(customer.id),
        "customer.salutation": shown_salutation(customer.salutation),
        "customer.company": text(customer.company),
        "customer.vatid": text(customer.vat_id),
        "customer.title": text(customer.title),
        "customer.firstname": text(customer.first_name),
        "customer.lastname": text(customer.last_name),
        "customer.address1": text(b.address1 if b else None),
        "customer.address2": text(b.address2 if b else None),
        "customer.address3": text(b.address3 if b else None),
        "customer.postal": text(b.zip_code if b else None),
        "customer.city": text(b.city if b else None),
        "customer.state": text(b.region if b else None),
        "customer.languageid": customer.language,
        "customer.countryid": b.country_code if b else None,
        "customer.telephone": text(customer.phone),
        "customer.mobile": text(customer.mobile),
        "customer.email": text(customer.email),
        "customer.telefax": text(customer.fax),
        "customer.website": text(customer.website),
        "customer.longitude": customer.longitude,
        "customer.latitude": customer.latitude,
        "customer.birthday": customer.birth_date.isoformat() if customer.birth_date else None,
        "customer.label": label(customer),
        "customer.code": customer.code or text(customer.email),
    }


OUTPUT_ORDER = (
    "customer.id",
    "customer.salutation",
    "customer.company",
    "customer.vatid",
    "customer.title",
    "customer.firstname",
    "customer.lastname",
    "customer.address1",
    "customer.address2",
    "customer.address3",
    "customer.postal",
    "customer.city",
    "customer.state",
    "customer.languageid",
    "customer.countryid",
    "customer.telephone",
    "customer.mobile",
    "customer.email",
    "customer.telefax",
    "customer.website",
    "customer.longitude",
    "customer.latitude",
    "customer.birthday",
    "customer.label",
    "customer.code",
)
NULLABLE = frozenset(
    {
        "customer.id",
        "customer.languageid",
        "customer.countryid",
        "customer.longitude",
        "customer.latitude",
        "customer.birthday",
    }
)
EMPTY_ATTRIBUTES: dict[str, Any] = {k: None if k in NULLABLE else "" for k in OUTPUT_ORDER}
"""What a visitor who is not logged in gets: the item Aimeos creates, empty."""


def _envelope(call: Call, data: dict[str, Any] | None, customer_id: int | None) -> dict[str, Any]:
    base = call.ctx.config.base_url
    links: dict[str, Any] = {"self": url(base, TYPE, link_parameters(call.query))}
    if data is not None:
        own = {"id": str(customer_id)} if customer_id is not None else {}
        for name in RELATED:
            href = url(base, TYPE, {**own, "related": name})
            links[f"customer/{name}"] = link_to(href, RELATED_ALLOW)
    body: dict[str, Any] = {"meta": call.meta(1 if data is not None else 0), "links": links}
    if data is not None:
        body["data"] = data
        body["included"] = []
    return body


def _item(call: Call, customer_id: int | None, shown: dict[str, Any]) -> dict[str, Any]:
    own = {"id": str(customer_id)} if customer_id is not None else {}
    return {
        "id": None if customer_id is None else str(customer_id),
        "type": TYPE,
        "links": {"self": link_to(url(call.ctx.config.base_url, TYPE, own), ITEM_ALLOW)},
        "attributes": sparse(shown, fieldset(call, TYPE)),
    }


def _billing(found: Sequence[Address]) -> Address | None:
    return next((a for a in found if a.is_default_billing), None)


async def full_document(call: Call, customer: Customer) -> Response:
    """The logged-in customer with what `include` asks for: its addresses, its properties,
    and its list items of any other domain (groups with their names)."""
    core = call.ctx.core
    domains = includes(call)
    found = (await core.addresses.of_customers([customer])).get(customer.id, [])
    data = _item(call, customer.id, attributes(customer, _billing(found)))
    related_items: dict[str, Any] = {}
    included: list[dict[str, Any]] = []
    if ADDRESS_INCLUDE in domains and found:
        related_items["customer.address"] = _refs(found, addresses.TYPE)
        included += [
            addresses.item(call, customer.id, a, i, "payment") for i, a in enumerate(found)
        ]
    list_domains = [d for d in domains if d not in (ADDRESS_INCLUDE, PROPERTY_INCLUDE)]
    if list_domains:
        related, referenced = await _list_relations(call, customer, list_domains)
        related_items.update(related)
        included += referenced
    if PROPERTY_INCLUDE in domains:
        kept: list[CustomerProperty] = await core.properties.of_customer(customer)
        if kept:
            related_items["customer.property"] = _refs(kept, properties.TYPE)
            included += [properties.item(call, customer.id, p) for p in kept]
    if related_items:
        data["relationships"] = related_items
    body = _envelope(call, data, customer.id)
    body["included"] = included
    return answer(body)


async def _list_relations(
    call: Call, customer: Customer, domains: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The active list items of `domains`, by domain, and the items they refer to that
    Patron keeps: the customer's groups, by name (Patron keeps no products)."""
    customer_id = customer.id
    own = await call.ctx.core.lists.of_customer(customer, domains)
    related: dict[str, Any] = {}
    for domain in domains:
        items = [i for i in own.items if i.domain == domain]
        if items:
            related[domain] = {"data": [_list_ref(call, customer_id, i) for i in items]}
    groups = {str(key): group for key, group in own.groups.items()}
    referenced: list[dict[str, Any]] = []
    for membership in (i for i in own.items if i.domain == GROUP_DOMAIN):
        if (group := groups.get(membership.ref_id)) is not None:
            shown = {"group.id": str(group.id), "group.code": group.name, "group.label": group.name}
            referenced.append(
                {
                    "id": str(group.id),
                    "type": GROUP_DOMAIN,
                    "attributes": sparse(shown, fieldset(call, GROUP_DOMAIN)),
                }
            )
    return related, referenced


def _refs(found: Sequence[Address | CustomerProperty], type_: str) -> dict[str, Any]:
    return {"data": [{"id": str(x.id), "type": type_} for x in found]}


def _list_ref(call: Call, customer_id: int, found: ListItem) -> dict[str, Any]:
    """A list relation as the customer's `relationships` show it: the referenced item's id
    and domain, the list item's attributes, a link under the domain's resource (Aimeos'
    quirk, kept)."""
    own = {"id": str(customer_id), "related": "relationships", "relatedid": str(found.id)}
    href = url(call.ctx.config.base_url, found.domain, own)
    return {
        "id": found.ref_id,
        "type": found.domain,
        "attributes": relationships.attributes(call, found),
        "links": {"self": link_to(href, ["DELETE", "PATCH"])},
    }


def _id_only(call: Call, customer: Customer) -> Response:
    """Aimeos' answer to a POST: only `customer.id`, for security reasons."""
    data = _item(call, customer.id, {"customer.id": str(customer.id)})
    return answer(_envelope(call, data, customer.id), 201)


async def get(call: Call) -> Response:
    if call.claims is None:
        return answer(_envelope(call, _item(call, None, dict(EMPTY_ATTRIBUTES)), None))
    customer = await call.ctx.core.accounts.get_own(call.claims, ME)
    return await full_document(call, customer)


async def _sent(call: Call) -> dict[str, Any]:
    fields = read_attributes(CUSTOMER, await one_entry(call), strip=True)
    if "email" in fields and fields["email"] is None:
        raise invalid(NO_EMAIL)
    return fields


async def post(call: Call) -> Response:
    if call.claims is not None:
        return _id_only(call, await _edit(call))
    fields = await _sent(call)
    password = fields.pop("password", None)
    billing = {k: fields.pop(k) for k in BILLING_FIELDS if k in fields}
    email = fields.pop("email", None)
    if email is None:
        raise invalid(NO_EMAIL)
    generated = None
    if password is None:
        generated = password = generate_password(call.tenant.settings.password_policy)
    draft = None
    if any(value is not None for value in billing.values()):
        copied: dict[str, Any] = {k: fields.get(k) for k in COPIED_FIELDS}
        draft = address_draft({**billing, **copied})
    config = call.ctx.config
    customer = await call.ctx.core.accounts.register(
        call.tenant,
        registration(fields, email=email, password=password),
        send_confirmation=False,
        billing=draft,
        account_mail=AccountMail(generated_password=generated),
        limit=SignupLimit(
            client_ip=client_ip(call.request),
            count=config.signup_limit_count,
            seconds=config.signup_limit_seconds,
        ),
        lookup=EmailLookup(client_ip=client_ip(call.request)),  # 403 says the email is taken
    )
    return _id_only(call, customer)


async def _edit(call: Call) -> Customer:
    """The logged-in customer's partial update: profile, billing address and password in
    one core edit, so a refused part leaves all as it was."""
    claims = call.customer()
    fields = await _sent(call)
    password = fields.pop("password", None)
    billing = {k: fields.pop(k) for k in BILLING_FIELDS if k in fields}
    core = call.ctx.core
    current = await core.accounts.get_own(claims, ME)
    billing_now = _billing((await core.addresses.of_customers([current])).get(current.id, []))
    choice = None
    copies = any(k in fields for k in COPIED_FIELDS)
    creates = any(value is not None for value in billing.values())
    if (billing_now and (billing or copies)) or (billing_now is None and creates):
        copied = {k: fields[k] if k in fields else getattr(current, k) for k in COPIED_FIELDS}
        choice = BillingChoice(fields=address_change({**billing, **copied}))
    edit = AccountEdit(profile=profile_change(fields), billing=choice, new_password=password)
    return await core.accounts.edit_own(call.tenant, claims, ME, edit)


async def patch(call: Call) -> Response:
    return await full_document(call, await _edit(call))


async def delete(call: Call) -> Response:
    """Always 200: a visitor deletes nothing. A customer's account is anonymized (the
    e-mail is free again, orders keep their customer) and the session ends."""
    if call.claims is not None:
        auth = call.ctx.core.auth
        await call.ctx.core.accounts.anonymize_own(call.claims, ME)
        await auth.end_session(call.cookie)
        call.replace_cookie(call.ctx.core.request_tokens.new_visitor_cookie(), None)
    return answer(_envelope(call, None, None))


RESOURCE = Resource(CUSTOMER, get=get, post=post, patch=patch, delete=delete)
