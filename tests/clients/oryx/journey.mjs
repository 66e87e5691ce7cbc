// A shopper's account journey through Spryker Oryx's own published storefront services and
// adapters (@spryker-oryx/auth, @spryker-oryx/user), wired through Oryx's DI the way a
// storefront wires them, against a live Patron `/glue`.
//
// Environment:
//   PATRON_GLUE_URL         Glue base URL, e.g. http://127.0.0.1:8000/glue (Oryx's SCOS_BASE_URL)
//   ORYX_EMAIL              the new shopper's email (default: a fresh one)
//   ORYX_PASSWORD           their password (default: change123)
//   ORYX_FEATURE_VERSION    Oryx feature level, as a storefront build sets it (default 1.4)
//   ORYX_ORIGIN             the storefront's origin, if it is not Glue's: CORS is then checked
//                           as a browser would (preflights, Access-Control-Allow-Origin)
//
// Protocol (JSON lines on stdout): one `{"step": ...}` line per passed step. After registering
// it prints `{"step": "registered", "email": ..., "customerReference": ...}` and reads the
// email confirmation key as one line on stdin (Oryx has no confirmation adapter; the key
// arrives by mail, which the caller reads). The last line is `{"done": true}` and the exit
// code 0; any failed assertion prints `{"failed": ..., "error": ...}` and exits 1.

import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';

const glue = process.env.PATRON_GLUE_URL;
if (!glue) {
  console.error('PATRON_GLUE_URL is required (e.g. http://127.0.0.1:8000/glue)');
  process.exit(2);
}
const email = process.env.ORYX_EMAIL ?? `oryx-${Date.now()}@example.com`;
const password = process.env.ORYX_PASSWORD ?? 'change123';

// What a storefront build defines (vite `define: {__ORYX_FEATURE_VERSION__: ...}`); Oryx reads
// it once, when @spryker-oryx/utilities loads, so it is set before Oryx is imported.
globalThis.__ORYX_FEATURE_VERSION__ = process.env.ORYX_FEATURE_VERSION ?? '1.4';
// The only browser global Oryx needs here: its SAPI token parser calls `window.atob`
// (@spryker-oryx/auth src/sapi/utils.js). In a browser `window` is the global object.
globalThis.window ??= globalThis;

const { createInjector } = await import('@spryker-oryx/di');
const {
  AppEnvironment,
  HttpInterceptor,
  HttpService,
  JsonAPITransformerService,
  StorageStrategy,
  coreProviders,
  injectEnv,
} = await import('@spryker-oryx/core');
const { AuthService, IdentityService, OauthService, SapiAuthFeature } = await import(
  '@spryker-oryx/auth'
);
const { AuthLoginStrategy } = await import('@spryker-oryx/auth/login');
const {
  AddressService,
  RegistrationService,
  UserAdapter,
  UserNormalizer,
  UserSerializer,
  UserService,
  userProviders,
} = await import('@spryker-oryx/user');
const { DefaultRouterService, RouterService } = await import('@spryker-oryx/router');
const { featureVersion } = await import('@spryker-oryx/utilities');
const { filter, finalize, firstValueFrom, from, switchMap, take, timeout } = await import('rxjs');

/** Web Storage in memory: Node has no localStorage/sessionStorage, and Oryx's
 * DefaultStorageService takes a `StorageStrategy` from DI when the global is missing. */
class MemoryStorage {
  #items = new Map();
  getItem(key) {
    return this.#items.has(key) ? this.#items.get(key) : null;
  }
  setItem(key, value) {
    this.#items.set(key, String(value));
  }
  removeItem(key) {
    this.#items.delete(key);
  }
  clear() {
    this.#items.clear();
  }
}

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** The request headers a browser names in a CORS preflight (Fetch standard: those that are
 * not CORS-safelisted), lowercase and sorted. */
function unsafeHeaders(headers) {
  return [...headers.keys()]
    .filter((name) => {
      if (['accept', 'accept-language', 'content-language'].includes(name)) return false;
      if (name === 'content-type') {
        const essence = headers.get(name).split(';')[0].trim().toLowerCase();
        return !SIMPLE_CONTENT_TYPES.has(essence);
      }
      return true;
    })
    .sort();
}

/** The browser's part, as the innermost interceptor, so it sees each request as Oryx's own
 * interceptors left it: it records what Oryx sends and gets back and, when the storefront runs
 * on another origin (ORYX_ORIGIN), does what a browser does for a cross-origin fetch: sends the
 * preflight when one is needed, adds `Origin`, and refuses answers that do not allow the origin.
 */
class BrowserInterceptor {
  exchanges = [];
  #unsettled = new Set();
  constructor(origin) {
    this.origin = origin;
  }
  intercept(req, handle) {
    const exchange = {
      method: req.method,
      url: req.url,
      headers: Object.fromEntries(req.headers),
      status: null,
    };
    this.exchanges.push(exchange);
    let settle;
    const settled = new Promise((resolve) => (settle = resolve));
    this.#unsettled.add(settled);
    let sent = req;
    if (this.origin) {
      sent = req.clone();
      sent.headers.set('Origin', this.origin);
    }
    return from(this.preflight(req, exchange)).pipe(
      switchMap(() => handle(sent)),
      // Oryx's own switchMaps may drop a request it no longer needs (fromFetch then aborts).
      finalize(() => {
        if (exchange.status === null) exchange.cancelled = true;
        this.#unsettled.delete(settled);
        settle();
      }),
      switchMap(async (response) => {
        exchange.status = response.status;
        if (!response.ok) exchange.body = await response.clone().text();
        if (this.origin) {
          const allowed = response.headers.get('access-control-allow-origin');
          assert.ok(
            allowed === this.origin || allowed === '*',
            `CORS: ${req.method} ${req.url} answered Access-Control-Allow-Origin ${allowed}`,
          );
        }
        return response;
      }),
    );
  }
  /** Resolves once every request sent so far is answered or dropped. */
  async settled() {
    while (this.#unsettled.size) await Promise.all(this.#unsettled);
  }
  async preflight(req, exchange) {
    const unsafe = unsafeHeaders(req.headers);
    if (!this.origin || (SIMPLE_METHODS.has(req.method) && unsafe.length === 0)) return;
    const asked = {
      Origin: this.origin,
      'Access-Control-Request-Method': req.method,
    };
    if (unsafe.length) asked['Access-Control-Request-Headers'] = unsafe.join(',');
    const answer = await fetch(req.url, { method: 'OPTIONS', headers: asked });
    exchange.preflight = {
      asked: asked['Access-Control-Request-Headers'] ?? '',
      status: answer.status,
    };
    const where = `CORS preflight for ${req.method} ${req.url} asking ${unsafe.join(',')}`;
    assert.ok(answer.ok, `${where}: ${answer.status} ${await answer.text()}`);
    const origin = answer.headers.get('access-control-allow-origin');
    assert.ok(origin === this.origin || origin === '*', `${where}: allow-origin ${origin}`);
    const list = (name) =>
      (answer.headers.get(name) ?? '').split(',').map((v) => v.trim().toLowerCase());
    const methods = list('access-control-allow-methods');
    assert.ok(
      SIMPLE_METHODS.has(req.method) || methods.includes(req.method.toLowerCase()),
      `${where}: allow-methods ${methods}`,
    );
    const headers = list('access-control-allow-headers');
    for (const name of unsafe) {
      assert.ok(headers.includes(name), `${where}: allow-headers ${headers} lacks ${name}`);
    }
  }
}

const browser = new BrowserInterceptor(process.env.ORYX_ORIGIN);
const localStorage = new MemoryStorage();
const sessionStorage = new MemoryStorage();

// The storefront's configuration: the Glue base URL (Oryx's SCOS_BASE_URL, from the app
// environment as @spryker-oryx/site provides it) and the OAuth token URL. Oryx's default token
// URL is `new URL('/token', SCOS_BASE_URL)`, which drops the `/glue` path, so it is given.
const auth = new SapiAuthFeature({
  loginRoute: '/login',
  providers: [
    { id: 'spryker', clientId: '', grantType: 'password', tokenUrl: `${glue}/token` },
  ],
});
const injector = createInjector({
  providers: [
    ...coreProviders,
    ...auth.providers,
    ...userProviders,
    { provide: AppEnvironment, useValue: { SCOS_BASE_URL: glue } },
    {
      provide: 'SCOS_BASE_URL',
      useFactory: () => injectEnv('SCOS_BASE_URL', '').replace(/\/$/, ''),
    },
    { provide: RouterService, useClass: DefaultRouterService },
    { provide: `${StorageStrategy}local`, useValue: localStorage },
    { provide: `${StorageStrategy}session`, useValue: sessionStorage },
    { provide: HttpInterceptor, useValue: browser },
  ],
});

const identityService = injector.inject(IdentityService);
const authService = injector.inject(AuthService);
const oauthService = injector.inject(OauthService);
const http = injector.inject(HttpService);
const transformer = injector.inject(JsonAPITransformerService);

const WAIT_MS = 10_000;
/** The first value of an observable that satisfies `test`, or a timeout error. */
function first(observable, test = () => true) {
  return firstValueFrom(observable.pipe(filter(test), take(1), timeout(WAIT_MS)));
}

let current = 'setup';
function passed(step, details = {}) {
  console.log(JSON.stringify({ step, ...details }));
}

async function readLine() {
  const lines = createInterface({ input: process.stdin });
  try {
    for await (const line of lines) {
      if (line.trim()) return line.trim();
    }
  } finally {
    lines.close();
  }
  throw new Error('stdin closed before the confirmation key arrived');
}

async function journey() {
  current = 'setup';
  assert.equal(featureVersion, globalThis.__ORYX_FEATURE_VERSION__);
  passed('setup', { featureVersion, glue });

  current = 'guest';
  const anonymous = await first(identityService.get());
  assert.equal(anonymous.isAuthenticated, false);
  // A guest id, as Oryx's cart asks for one before the shopper logs in.
  const guest = await first(identityService.get({ requireGuest: true }));
  assert.equal(guest.isAuthenticated, false);
  assert.match(guest.userId, /\S/);
  passed('guest', { guestId: guest.userId });

  current = 'register';
  const registered = await firstValueFrom(
    injector.inject(RegistrationService).register({
      salutation: 'Ms',
      gender: 'Female',
      firstName: 'Oryx',
      lastName: 'Shopper',
      email,
      password,
      acceptedTerms: true,
    }),
  );
  const reference = registered.id;
  assert.match(reference, /^[A-Z]{2}--\d+$/);
  assert.equal(registered.email, email);
  assert.equal(registered.firstName, 'Oryx');
  const registration = browser.exchanges.at(-1);
  assert.equal(registration.method, 'POST');
  assert.equal(registration.url, `${glue}/customers`);
  assert.equal(registration.status, 201);
  assert.equal(registration.headers['x-anonymous-customer-unique-id'], guest.userId);
  assert.equal(registration.headers.authorization, undefined);
  passed('registered', { email, customerReference: reference });

  current = 'confirm';
  // Oryx 1.4 has no confirmation service: the storefront's page posts the key through Oryx's
  // HTTP service (so through its interceptors), as any custom adapter would.
  const key = await readLine();
  const confirmed = await firstValueFrom(
    http.post(`${glue}/customer-confirmation`, {
      data: { type: 'customer-confirmation', attributes: { registrationKey: key } },
    }),
  );
  assert.equal(confirmed, null); // 204, no body
  assert.equal(browser.exchanges.at(-1).status, 204);
  passed('confirmed');

  current = 'login';
  const loginStart = browser.exchanges.length;
  await firstValueFrom(
    injector.inject(AuthLoginStrategy).login({ email, password, rememberMe: false }),
  );
  assert.equal(await first(authService.isAuthenticated()), true);
  const tokenRequest = browser.exchanges[loginStart];
  assert.equal(tokenRequest.method, 'POST');
  assert.equal(tokenRequest.url, `${glue}/token`);
  assert.equal(tokenRequest.status, 200);
  assert.match(tokenRequest.headers['content-type'], /^application\/x-www-form-urlencoded/);
  assert.equal(tokenRequest.headers['x-oauth'], undefined);
  const stored = JSON.parse(localStorage.getItem('oryx.oauth-token'));
  assert.equal(stored.token_type, 'Bearer');
  assert.ok(stored.refresh_token);
  passed('login', { tokenUrl: tokenRequest.url });

  current = 'identity';
  const identity = await first(identityService.get());
  assert.deepEqual(
    identity,
    { isAuthenticated: true, userId: reference },
    'Oryx reads the customer reference from JSON.parse(token.sub).customer_reference',
  );
  const claims = JSON.parse(Buffer.from(stored.access_token.split('.')[1], 'base64url'));
  assert.equal(typeof claims.sub, 'string');
  assert.equal(JSON.parse(claims.sub).customer_reference, reference);
  assert.deepEqual(claims.scopes, ['customer']);
  assert.equal(claims.aud, 'frontend');
  // Oryx drops the guest id once the token names a customer.
  assert.equal(sessionStorage.getItem('oryx.anonymous-user'), null);
  passed('identity', { customerReference: identity.userId });

  current = 'read customer';
  const user = await first(injector.inject(UserService).getUser(), (u) => u !== null);
  assert.equal(user.id, reference);
  assert.equal(user.email, email);
  assert.equal(user.firstName, 'Oryx');
  assert.equal(user.lastName, 'Shopper');
  assert.equal(user.salutation, 'Ms');
  passed('read customer');

  current = 'update customer';
  // Oryx 1.4 has no customer update service; a storefront's own adapter would use Oryx's user
  // serializer and normalizer and its HTTP service, like DefaultUserAdapter does for reading.
  const updated = await firstValueFrom(
    identityService.get().pipe(
      take(1),
      switchMap((who) =>
        transformer
          .serialize({ firstName: 'Orinoco', lastName: 'Shopper' }, UserSerializer)
          .pipe(
            switchMap((body) => http.patch(`${glue}/customers/${who.userId}`, body)),
            transformer.do(UserNormalizer),
          ),
      ),
    ),
  );
  assert.equal(updated.id, reference);
  assert.equal(updated.firstName, 'Orinoco');
  const reread = await firstValueFrom(injector.inject(UserAdapter).get());
  assert.equal(reread.firstName, 'Orinoco');
  passed('update customer');

  current = 'addresses';
  const addresses = injector.inject(AddressService);
  assert.deepEqual(await first(addresses.getList(), Array.isArray), []);
  const home = {
    salutation: 'Ms',
    firstName: 'Oryx',
    lastName: 'Shopper',
    address1: 'Julie-Wolfthorn-Strasse',
    address2: '1',
    zipCode: '10115',
    city: 'Berlin',
    iso2Code: 'DE',
    company: 'Spryker',
    phone: '+49 30 1234567',
    isDefaultShipping: true,
    isDefaultBilling: true,
  };
  const added = await firstValueFrom(addresses.add(home));
  assert.match(added.id, /^[0-9a-f-]{36}$/);
  assert.equal(added.city, 'Berlin');
  assert.equal(added.isDefaultShipping, true);
  const afterAdd = await first(addresses.getList(), (list) => list?.length === 1);
  assert.equal(afterAdd[0].id, added.id);
  assert.equal(afterAdd[0].address1, 'Julie-Wolfthorn-Strasse');
  const currentAddress = await first(addresses.getCurrent(), (a) => a !== null);
  assert.equal(currentAddress.id, added.id);
  passed('address created', { id: added.id });

  // What the address edit form submits: the form's values, the id, and both default flags.
  const { id: _, ...formValues } = afterAdd[0];
  const edited = await firstValueFrom(
    addresses.update({ ...formValues, id: added.id, city: 'Hamburg', zipCode: '20095' }),
  );
  assert.equal(edited.id, added.id);
  assert.equal(edited.city, 'Hamburg');
  const afterUpdate = await first(addresses.getList(), (list) => list?.[0]?.city === 'Hamburg');
  assert.equal(afterUpdate.length, 1);
  assert.equal(afterUpdate[0].zipCode, '20095');
  passed('address updated');

  const second = await firstValueFrom(
    addresses.add({
      ...home,
      address1: 'Zweite Strasse',
      isDefaultShipping: false,
      isDefaultBilling: false,
    }),
  );
  await first(addresses.getList(), (list) => list?.length === 2);
  await firstValueFrom(addresses.delete(added));
  const afterDelete = await first(addresses.getList(), (list) => list?.length === 1);
  assert.equal(afterDelete[0].id, second.id);
  await firstValueFrom(addresses.delete(second));
  assert.deepEqual(await first(addresses.getList(), (list) => list?.length === 0), []);
  passed('address deleted');

  current = 'refresh';
  // What Oryx's OauthTokenInterceptor does on a 401: the refresh_token grant on the token URL.
  const refreshStart = browser.exchanges.length;
  await firstValueFrom(oauthService.refreshToken());
  const refresh = browser.exchanges[refreshStart];
  assert.equal(refresh.url, `${glue}/token`);
  assert.equal(refresh.status, 200);
  const renewed = JSON.parse(localStorage.getItem('oryx.oauth-token'));
  assert.notEqual(renewed.access_token, stored.access_token);
  const stillMe = await first(identityService.get(), (i) => i.isAuthenticated);
  assert.equal(stillMe.userId, reference);
  assert.equal((await firstValueFrom(injector.inject(UserAdapter).get())).id, reference);
  passed('refresh');

  current = 'headers';
  // Oryx re-reads the customer in the background after the refresh: let it finish.
  await Promise.race([
    browser.settled(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('requests still unanswered')), WAIT_MS).unref(),
    ),
  ]);
  const loggedIn = browser.exchanges.slice(loginStart + 1).filter((e) => !e.url.endsWith('/token'));
  assert.ok(loggedIn.length >= 8, `only ${loggedIn.length} authenticated requests`);
  for (const exchange of loggedIn) {
    const where = `${exchange.method} ${exchange.url}`;
    assert.match(exchange.headers.authorization ?? '', /^Bearer \S+$/, where);
    assert.equal(exchange.headers['x-anonymous-customer-unique-id'], undefined, where);
    assert.ok(!exchange.url.includes('undefined'), where);
    assert.ok(
      exchange.cancelled || exchange.status >= 200 && exchange.status < 300,
      `${where}: ${exchange.status} ${exchange.body ?? ''}`,
    );
  }
  passed('headers', {
    requests: browser.exchanges.map((e) => ({
      request: `${e.method} ${e.url.slice(glue.length)}`,
      status: e.status,
      ...(e.cancelled ? { cancelled: true } : {}),
      headers: Object.keys(e.headers).sort(),
      contentType: e.headers['content-type'],
      ...(e.preflight ? { preflight: e.preflight } : {}),
    })),
  });

  current = 'logout';
  await firstValueFrom(authService.logout());
  assert.equal(await first(authService.isAuthenticated()), false);
  assert.equal(localStorage.getItem('oryx.oauth-token'), null);
  passed('logout');
}

try {
  await journey();
  console.log(JSON.stringify({ done: true }));
  process.exit(0);
} catch (error) {
  console.log(
    JSON.stringify({
      failed: current,
      error: String(error?.stack ?? error),
      requests: browser.exchanges,
    }),
  );
  process.exit(1);
}
