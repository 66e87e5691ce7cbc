// Medusa's own v1 JS client (@medusajs/medusa-js 6.1.10, as locked in package-lock.json)
// against a live Patron `/medusa`: the calls of Medusa's guide "How to Manage Customers"
// (seed 003) exactly as written, then admin auth, customer groups, the admin list's filters
// and a shopper's store journey (register, me, addresses, orders, password reset, login,
// session, token, logout).
//
// Environment:
//   MEDUSA_BASE_URL         Patron's Medusa mount, e.g. http://127.0.0.1:8000/medusa
//   MEDUSA_API_TOKEN        an admin user's API token (x-medusa-access-token)
//   MEDUSA_ADMIN_EMAIL      that admin user's email and password (sessions, JWTs)
//   MEDUSA_ADMIN_PASSWORD
//   MEDUSA_CUSTOMER_EMAIL   the customer the guide's admin creates (default: a fresh one)
//   MEDUSA_SHOPPER_EMAIL    the shopper who registers in the store (default: a fresh one)
//   MEDUSA_SINCE            an ISO time before this run: the `created_at[gt]` filter's bound
//   MEDUSA_ADMIN_ORIGIN     the admin dashboard's and the storefront's origins, if they are
//   MEDUSA_STORE_ORIGIN     not Patron's: every call is then made as a browser on that origin
//                           makes it (a CORS preflight, `Origin`, the answer's CORS headers
//                           checked), and the last step reports what was checked
//
// Protocol (JSON lines on stdout): one `{"step": ..., ...}` line per passed step, carrying
// what the client returned, for the caller to check. After asking for a password reset it
// prints `{"step": "password token requested", ...}` and reads the reset token as one line
// on stdin (it arrives by mail, which the caller reads). The last line is `{"done": true}`
// and the exit code 0; a failure prints `{"failed": ..., "error": ...}` and exits 1.
//
// Node has no cookie jar and medusa-js keeps JWTs only in a browser (`typeof window`), so
// cookies and Bearer tokens are passed as the client's per-call `customHeaders`, as
// Medusa's reference (section 3.2) shows; the last step sets `window` to let medusa-js
// keep the store JWT itself, as it does in a browser.
//
// The file is long because it reads as the journey it runs: some 90 client calls in 33 steps,
// in order. What a browser adds (CORS) is in browser.mjs.

import { createInterface } from 'node:readline';

import Medusa from '@medusajs/medusa-js';

import { browserAdapter, foreignOrigins } from './browser.mjs';

const baseUrl = process.env.MEDUSA_BASE_URL;
if (!baseUrl) {
  console.error('MEDUSA_BASE_URL is required (e.g. http://127.0.0.1:8000/medusa)');
  process.exit(2);
}
const run = Date.now().toString(36);
const apiKey = process.env.MEDUSA_API_TOKEN;
const admin = {
  email: process.env.MEDUSA_ADMIN_EMAIL ?? 'admin@example.com',
  password: process.env.MEDUSA_ADMIN_PASSWORD ?? 'change123',
};
const customerEmail = process.env.MEDUSA_CUSTOMER_EMAIL ?? `guide-${run}@example.com`;
const shopperEmail = process.env.MEDUSA_SHOPPER_EMAIL ?? `shopper-${run}@example.com`;
const since = process.env.MEDUSA_SINCE ?? new Date(Date.now() - 60_000).toISOString();
const SHOPPER_PASSWORD = 'first-Secret-1';
const NEW_PASSWORD = 'second-Secret-2';

const origins = {
  admin: process.env.MEDUSA_ADMIN_ORIGIN,
  store: process.env.MEDUSA_STORE_ORIGIN,
};
const cors = { preflights: 0, requests: 0 };
const axiosAdapter =
  origins.admin && origins.store ? browserAdapter(baseUrl, origins, cors) : undefined;
// The guide's client: an authenticated admin (its API token), no retries.
const medusa = new Medusa({ baseUrl, maxRetries: 0, apiKey, axiosAdapter });
// A client without the API token: sessions, JWTs and the store, each proving itself alone.
const plain = new Medusa({ baseUrl, maxRetries: 0, axiosAdapter });

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** What a resolved medusa-js call gives: the body's keys next to `response` (axios, no data). */
function answer(result) {
  const { response, ...body } = result;
  return { status: response.status, contentType: response.headers['content-type'] ?? null, body };
}

/** A call that must fail: medusa-js rejects with an AxiosError carrying the response. */
async function refused(promise) {
  try {
    const result = await promise;
    throw new Error(`expected an error, got ${result.response.status}`);
  } catch (e) {
    if (!e.response) throw e;
    return {
      status: e.response.status,
      contentType: e.response.headers['content-type'] ?? null,
      data: e.response.data,
      message: e.message,
    };
  }
}

/** `connect.sid=...` (or whatever Patron names it) from a login's Set-Cookie. */
function cookieOf(result) {
  const cookies = result.response.headers['set-cookie'] ?? [];
  if (cookies.length === 0) throw new Error('no Set-Cookie on the login answer');
  return { Cookie: cookies[0].split(';')[0], setCookie: cookies[0] };
}

/** A `console` whose `log` keeps what it is given (stdout carries the protocol). */
function capture() {
  const logged = [];
  return { logged, console: { log: (...values) => logged.push(values.length === 1 ? values[0] : values) } };
}

/** Run `work` while `resource[method]` records what each call resolved to. */
async function watching(resource, method, work) {
  const original = resource[method];
  const resolved = [];
  resource[method] = (...args) =>
    original.apply(resource, args).then((result) => {
      resolved.push(result);
      return result;
    });
  try {
    await work();
  } finally {
    resource[method] = original;
  }
  if (resolved.length !== 1) throw new Error(`${method} was called ${resolved.length} times`);
  return resolved;
}

let current = 'start';
async function step(name, work) {
  current = name;
  const result = await work();
  emit({ step: name, ...result });
  return result;
}

async function journey() {
  // --- Seed 003, "How to Manage Customers", each snippet as written -------------------------
  // The snippets only log; what the client resolved to is read by watching the method, and
  // what they log by a `console` of the step's own.
  const listed = await step('guide list', async () => {
    const { logged, console } = capture();
    const [resolved] = await watching(medusa.admin.customers, 'list', async () => {
      await medusa.admin.customers.list()
      .then(({ customers, limit, offset, count }) => {
      console.log(customers.length)
      })
    });
    const { customers, limit, offset, count } = resolved;
    return { logged, customers, limit, offset, count };
  });

  const created = await step('guide create', async () => {
    const { logged, console } = capture();
    const email = customerEmail;
    const password = 'guide-Secret-1';
    const first_name = 'Grace';
    const last_name = 'Hopper';
    const [resolved] = await watching(medusa.admin.customers, 'create', async () => {
      await medusa.admin.customers.create({
      email,
      password,
      first_name,
      last_name,
      })
      .then(({ customer }) => {
      console.log(customer.id)
      })
    });
    return { logged, customer: resolved.customer };
  });
  const customerId = created.customer.id;

  await step('guide update', async () => {
    const { logged, console } = capture();
    const first_name = 'Amazing Grace';
    const [resolved] = await watching(medusa.admin.customers, 'update', async () => {
      await medusa.admin.customers.update(customerId, {
      first_name,
      })
      .then(({ customer }) => {
      console.log(customer.id)
      })
    });
    return { logged, customer: resolved.customer };
  });

  await step('guide list again', async () => {
    const { customers, limit, offset, count } = await medusa.admin.customers.list();
    return { ids: customers.map((c) => c.id), limit, offset, count, before: listed.count };
  });

  await step('admin create answers', async () => {
    const result = answer(
      await medusa.admin.customers.create({
        email: `second-${customerEmail}`,
        password: 'guide-Secret-2',
        first_name: 'Ada',
        last_name: 'Lovelace',
      }),
    );
    const duplicate = await refused(
      medusa.admin.customers.create({
        email: customerEmail.toUpperCase(),
        password: 'guide-Secret-3',
        first_name: 'Dup',
        last_name: 'Licate',
      }),
    );
    const invalid = await refused(medusa.admin.customers.create({ email: 'not-an-email' }));
    const missing = await refused(medusa.admin.customers.retrieve('cus_01JZZZZZZZZZZZZZZZZZZZZZZZ'));
    return { created: result, duplicate, invalid, missing };
  });

  // --- Admin authentication: session cookie, JWT, wrong password, nothing --------------------
  await step('admin session', async () => {
    const login = await plain.admin.auth.createSession(admin);
    const { Cookie, setCookie } = cookieOf(login);
    const session = answer(await plain.admin.auth.getSession({ Cookie }));
    const customers = answer(await plain.admin.customers.list({ limit: 1 }, { Cookie }));
    const logout = answer(await plain.admin.auth.deleteSession({ Cookie }));
    const after = await refused(plain.admin.auth.getSession({ Cookie }));
    return { login: answer(login), setCookie, session, customers, logout, after };
  });

  await step('admin token', async () => {
    const token = await plain.admin.auth.getToken(admin);
    const Authorization = `Bearer ${token.access_token}`;
    const session = answer(await plain.admin.auth.getSession({ Authorization }));
    const customers = answer(await plain.admin.customers.retrieve(customerId, { Authorization }));
    // medusa-js also sends the API token on POST /admin/auth/token (reference 3.2).
    const withKey = answer(await medusa.admin.auth.getToken(admin));
    return { token: answer(token), session, customers, withKey };
  });

  await step('admin refused', async () => {
    const wrongPassword = await refused(
      plain.admin.auth.createSession({ email: admin.email, password: 'wrong-password' }),
    );
    const wrongToken = await refused(
      plain.admin.auth.getToken({ email: admin.email, password: 'wrong-password' }),
    );
    const anonymous = await refused(plain.admin.customers.list());
    const badKey = await refused(
      plain.admin.customers.list(undefined, { 'x-medusa-access-token': 'not-a-token' }),
    );
    return { wrongPassword, wrongToken, anonymous, badKey };
  });

  // --- The shopper registers in the store (a session cookie at once) -------------------------
  const registered = await step('registered', async () => {
    const result = await plain.customers.create({
      email: shopperEmail,
      password: SHOPPER_PASSWORD,
      first_name: 'Sam',
      last_name: 'Shopper',
    });
    const { Cookie, setCookie } = cookieOf(result);
    const duplicate = await refused(
      plain.customers.create({
        email: shopperEmail,
        password: 'other-Secret-9',
        first_name: 'Sam',
        last_name: 'Again',
      }),
    );
    // Medusa v1 requires both names (StorePostCustomersReq).
    const nameless = await refused(
      plain.customers.create({ email: `nameless-${shopperEmail}`, password: 'other-Secret-9' }),
    );
    return { ...answer(result), cookie: Cookie, setCookie, duplicate, nameless };
  });
  const shopperId = registered.body.customer.id;
  let shopper = { Cookie: registered.cookie };

  // --- Customer groups ------------------------------------------------------------------------
  const group = await step('group created', async () => {
    const result = answer(
      await medusa.admin.customerGroups.create({ name: `VIP ${run}`, metadata: { tier: 'gold' } }),
    );
    const duplicate = await refused(medusa.admin.customerGroups.create({ name: `VIP ${run}` }));
    return { ...result, duplicate };
  });
  const groupId = group.body.customer_group.id;

  await step('group listed', async () => {
    const { customer_groups, count, offset, limit } = await medusa.admin.customerGroups.list();
    const found = await medusa.admin.customerGroups.list({ q: `vip ${run}` });
    return {
      ids: customer_groups.map((g) => g.id),
      count,
      offset,
      limit,
      found: found.customer_groups.map((g) => g.name),
      foundCount: found.count,
    };
  });

  await step('group members added', async () => {
    const batch = { customer_ids: [{ id: customerId }, { id: shopperId }] };
    const first = answer(await medusa.admin.customerGroups.addCustomers(groupId, batch));
    const again = answer(await medusa.admin.customerGroups.addCustomers(groupId, batch));
    const unknown = await refused(
      medusa.admin.customerGroups.addCustomers(groupId, {
        customer_ids: [{ id: 'cus_01JZZZZZZZZZZZZZZZZZZZZZZZ' }],
      }),
    );
    return { first, again, unknown };
  });

  await step('group retrieved', async () => {
    const { customer_group } = await medusa.admin.customerGroups.retrieve(groupId, {
      expand: 'customers',
    });
    const missing = await refused(
      medusa.admin.customerGroups.retrieve('cgrp_01JZZZZZZZZZZZZZZZZZZZZZZZ'),
    );
    return {
      customer_group,
      members: (customer_group.customers ?? []).map((c) => c.id).sort(),
      missing,
    };
  });

  await step('group customers listed', async () => {
    const { customers, count, offset, limit } =
      await medusa.admin.customerGroups.listCustomers(groupId);
    const found = await medusa.admin.customerGroups.listCustomers(groupId, { q: 'shopper' });
    return {
      ids: customers.map((c) => c.id).sort(),
      count,
      offset,
      limit,
      found: found.customers.map((c) => c.id),
    };
  });

  await step('group member removed', async () => {
    const removal = { customer_ids: [{ id: customerId }] };
    const removed = answer(await medusa.admin.customerGroups.removeCustomers(groupId, removal));
    const again = answer(await medusa.admin.customerGroups.removeCustomers(groupId, removal));
    const { customers, count } = await medusa.admin.customerGroups.listCustomers(groupId);
    return { removed, again, ids: customers.map((c) => c.id), count };
  });

  await step('group updated', async () => {
    return answer(
      await medusa.admin.customerGroups.update(groupId, {
        name: `Gold ${run}`,
        metadata: { tier: '', since: '2024' },
      }),
    );
  });

  // --- The admin list's filters, as medusa-js encodes them (qs brackets) -----------------------
  await step('customers filtered', async () => {
    const ids = (result) => result.customers.map((c) => c.id).sort();
    const byText = await medusa.admin.customers.list({ q: 'AMAZING grace' });
    const byEmail = await medusa.admin.customers.list({ q: shopperEmail.slice(0, 10) });
    const byGroup = await medusa.admin.customers.list({ groups: [groupId] });
    const registered = await medusa.admin.customers.list({ has_account: true });
    const guests = await medusa.admin.customers.list({ has_account: false });
    const expanded = await medusa.admin.customers.list({ expand: 'groups', groups: [groupId] });
    const newest = await medusa.admin.customers.list({ order: '-created_at', limit: 2 });
    const oldest = await medusa.admin.customers.list({ order: 'created_at', limit: 2 });
    const recent = await medusa.admin.customers.list({ created_at: { gt: since } });
    const future = await medusa.admin.customers.list({
      created_at: { gt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const page = await medusa.admin.customers.list({ limit: 1, offset: 1, order: 'email' });
    const combined = await medusa.admin.customers.list({
      q: 'sam',
      has_account: true,
      groups: [groupId],
      expand: 'groups',
    });
    return {
      byText: ids(byText),
      byEmail: ids(byEmail),
      byGroup: ids(byGroup),
      registered: ids(registered),
      guests: ids(guests),
      expanded: expanded.customers.map((c) => ({ id: c.id, groups: c.groups })),
      newest: newest.customers.map((c) => c.id),
      oldest: oldest.customers.map((c) => c.id),
      recent: ids(recent),
      recentCount: recent.count,
      future: future.count,
      page: { ids: ids(page), count: page.count, limit: page.limit, offset: page.offset },
      combined: combined.customers.map((c) => ({ id: c.id, groups: c.groups })),
    };
  });

  await step('customer groups replaced', async () => {
    const set = answer(await medusa.admin.customers.update(customerId, { groups: [{ id: groupId }] }));
    const { customers } = await medusa.admin.customers.list({ expand: 'groups', q: 'amazing' });
    const cleared = answer(await medusa.admin.customers.update(shopperId, { groups: [] }));
    const { count } = await medusa.admin.customerGroups.listCustomers(groupId);
    const unknownGroup = await refused(
      medusa.admin.customers.update(customerId, { groups: [{ id: 'cgrp_01JZZZZZZZZZZZZZZZZZZZZZZZ' }] }),
    );
    const emailLocked = await refused(
      medusa.admin.customers.update(customerId, { email: `changed-${customerEmail}` }),
    );
    return {
      set,
      listed: customers.map((c) => ({ id: c.id, groups: (c.groups ?? []).map((g) => g.id) })),
      cleared,
      members: count,
      unknownGroup,
      emailLocked,
    };
  });

  await step('group deleted', async () => {
    const deleted = answer(await medusa.admin.customerGroups.delete(groupId));
    const again = answer(await medusa.admin.customerGroups.delete(groupId));
    const gone = await refused(medusa.admin.customerGroups.retrieve(groupId));
    const { customers } = await medusa.admin.customers.list({ q: 'amazing', expand: 'groups' });
    return { deleted, again, gone, kept: customers.map((c) => ({ id: c.id, groups: c.groups })) };
  });

  // --- The shopper's own account ------------------------------------------------------------
  await step('me', async () => {
    const me = answer(await plain.customers.retrieve(shopper));
    const anonymous = await refused(plain.customers.retrieve());
    const adminOnly = await refused(plain.admin.customers.list(undefined, shopper));
    return { me, anonymous, adminOnly };
  });

  await step('me updated', async () => {
    return answer(
      await plain.customers.update(
        { first_name: 'Samantha', phone: '+49 30 1234567', metadata: { newsletter: true } },
        shopper,
      ),
    );
  });

  const added = await step('address added', async () => {
    return answer(
      await plain.customers.addresses.addAddress(
        {
          address: {
            first_name: 'Samantha',
            last_name: 'Shopper',
            address_1: 'Julie-Wolfthorn-Str. 1',
            city: 'Berlin',
            country_code: 'DE',
            postal_code: '10115',
            phone: '+49 30 1234567',
          },
        },
        shopper,
      ),
    );
  });
  const addressId = added.body.customer.shipping_addresses[0].id;

  await step('address updated', async () => {
    const updated = answer(
      await plain.customers.addresses.updateAddress(
        addressId,
        { city: 'Hamburg', postal_code: '20095', address_2: 'Hinterhaus' },
        shopper,
      ),
    );
    const foreign = await refused(
      plain.customers.addresses.updateAddress(
        'addr_01JZZZZZZZZZZZZZZZZZZZZZZZ',
        { city: 'Nowhere' },
        shopper,
      ),
    );
    return { updated, foreign };
  });

  await step('address deleted', async () => {
    return answer(await plain.customers.addresses.deleteAddress(addressId, shopper));
  });

  await step('orders', async () => {
    return answer(await plain.customers.listOrders({ limit: 10, offset: 0 }, shopper));
  });

  // --- Forgotten password: a token by mail, then the reset -----------------------------------
  await step('password token requested', async () => {
    const known = answer(await plain.customers.generatePasswordToken({ email: shopperEmail }));
    const unknown = answer(
      await plain.customers.generatePasswordToken({ email: `nobody-${run}@example.com` }),
    );
    return { email: shopperEmail, known, unknown };
  });
  const { value: resetToken, done } = await lines.next();
  if (done || !resetToken.trim()) throw new Error('no reset token on stdin');

  await step('password reset', async () => {
    const wrongToken = await refused(
      plain.customers.resetPassword({
        email: shopperEmail,
        password: NEW_PASSWORD,
        token: 'not-the-token',
      }),
    );
    const reset = answer(
      await plain.customers.resetPassword({
        email: shopperEmail,
        password: NEW_PASSWORD,
        token: resetToken.trim(),
      }),
    );
    const reused = await refused(
      plain.customers.resetPassword({
        email: shopperEmail,
        password: 'third-Secret-3',
        token: resetToken.trim(),
      }),
    );
    // The reset ends the sessions the shopper had (the registration's cookie).
    const oldSession = await refused(plain.customers.retrieve(shopper));
    return { wrongToken, reset, reused, oldSession };
  });

  await step('login', async () => {
    const oldPassword = await refused(
      plain.auth.authenticate({ email: shopperEmail, password: SHOPPER_PASSWORD }),
    );
    const login = await plain.auth.authenticate({ email: shopperEmail, password: NEW_PASSWORD });
    const { Cookie, setCookie } = cookieOf(login);
    shopper = { Cookie };
    return { oldPassword, login: answer(login), setCookie };
  });

  await step('session', async () => {
    const session = answer(await plain.auth.getSession(shopper));
    const me = answer(await plain.customers.retrieve(shopper));
    const anonymous = await refused(plain.auth.getSession());
    return { session, me, anonymous };
  });

  await step('exists', async () => {
    const known = answer(await plain.auth.exists(shopperEmail));
    const upper = answer(await plain.auth.exists(shopperEmail.toUpperCase()));
    const unknown = answer(await plain.auth.exists(`nobody-${run}@example.com`));
    return { known, upper, unknown };
  });

  await step('store token', async () => {
    const token = await plain.auth.getToken({ email: shopperEmail, password: NEW_PASSWORD });
    const Authorization = `Bearer ${token.access_token}`;
    const me = answer(await plain.customers.retrieve({ Authorization }));
    const adminOnly = await refused(plain.admin.customers.list(undefined, { Authorization }));
    const wrong = await refused(plain.auth.getToken({ email: shopperEmail, password: 'nope' }));
    return { token: answer(token), me, adminOnly, wrong };
  });

  await step('logout', async () => {
    const logout = answer(await plain.auth.deleteSession(shopper));
    const after = await refused(plain.auth.getSession(shopper));
    return { logout, after };
  });

  // medusa-js keeps a JWT only where `window` exists (a browser): there it sends it itself.
  await step('browser token', async () => {
    globalThis.window = {};
    const browser = new Medusa({ baseUrl, maxRetries: 0, axiosAdapter });
    await browser.auth.getToken({ email: shopperEmail, password: NEW_PASSWORD });
    const me = answer(await browser.customers.retrieve());
    return { me };
  });
}

try {
  await journey();
  if (axiosAdapter) {
    await step('cors', async () => ({ ...cors, foreign: await foreignOrigins(baseUrl, origins) }));
  }
  emit({ done: true });
  process.exit(0);
} catch (e) {
  emit({
    failed: current,
    error: String(e?.stack ?? e),
    status: e?.response?.status ?? null,
    data: e?.response?.data ?? null,
    request: e?.config ? `${e.config.method?.toUpperCase()} ${e.config.url}` : null,
  });
  process.exit(1);
}
