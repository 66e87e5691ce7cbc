// The jQuery snippets of Aimeos' customer guide (seed 002), read from the seed and run as
// written in headless Chromium, on a page served at Patron's own origin: every $.ajax call
// is same-origin and the browser alone keeps the HttpOnly `aimeos_session` cookie.
// Prints one JSON line per step, then {"done": true}; on failure {"error": ...} and exit 1.
//
// Environment: AIMEOS_BASE_URL (Patron's origin, e.g. http://127.0.0.1:8123), AIMEOS_SEED
// (the seed's text), AIMEOS_EMAIL and AIMEOS_PASSWORD (the login, as the guide's sign-up chose
// them), AIMEOS_CHROMIUM (the browser, /usr/bin/chromium by default).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const BASE = process.env.AIMEOS_BASE_URL;
const SEED = process.env.AIMEOS_SEED;
const CHROMIUM = process.env.AIMEOS_CHROMIUM ?? "/usr/bin/chromium";
const PAGE = `${BASE}/shop/index.html`;
const JQUERY = `${BASE}/shop/jquery.js`;
// A page under the cookie's path (/jsonapi): only there could script see the cookie at all.
const PROBE = `${BASE}/jsonapi/cookie-probe.html`;
const API = `${BASE}/jsonapi`;
const EMAIL = process.env.AIMEOS_EMAIL;
const PASSWORD = process.env.AIMEOS_PASSWORD;
const JQUERY_SOURCE = readFileSync(createRequire(import.meta.url).resolve("jquery/dist/jquery.js"));
const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="/shop/jquery.js"></script></head><body></body></html>`;

// Reference section 9 and the guide's typo, and nothing else: each must match exactly once.
const FIXES = {
  GET: [],
  POST: [["response['links']['customer']['href']", "response['meta']['resources']['customer']"]],
  PATCH: [["response['links']['customer']['href']", "response['meta']['resources']['customer']"]],
  DELETE: [
    ["response.links.self.href", "response.data.links.self.href"],
    ["url.indexOf('?')= -1", "url.indexOf('?') === -1"],
  ],
};

function print(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The seed's jQuery blocks by their method, de-indented, with FIXES applied. */
function snippets(seed) {
  const found = {};
  for (const [, block] of seed.matchAll(/=== "jQuery"\n\t```javascript\n([\s\S]*?)\n\t```/g)) {
    let code = block.replace(/^\t/gm, "");
    const method = code.match(/method: "(\w+)"/)[1];
    for (const [from, to] of FIXES[method]) {
      if (code.split(from).length !== 2) throw new Error(`${method}: "${from}" not once`);
      code = code.replace(from, to);
    }
    found[method] = code;
  }
  const methods = Object.keys(found).join(",");
  if (methods !== "GET,POST,PATCH,DELETE") throw new Error(`the seed's jQuery: ${methods}`);
  return found;
}

/** In the page: `run(code, response)` runs `code` with `response` bound, as the guide's
 * snippets expect, and resolves with the one $.ajax call it made (status, body) and what
 * the snippet's `done` logged. */
function installHarness() {
  const logged = [];
  console.log = (value) => logged.push(JSON.parse(JSON.stringify(value ?? null)));
  window.run = (code, response) =>
    new Promise((resolve) => {
      logged.length = 0;
      $(document).one("ajaxComplete", (event, xhr, settings) => {
        let body = xhr.responseText;
        try {
          body = JSON.parse(body);
        } catch {
          // not JSON: kept as text
        }
        resolve({
          method: settings.type,
          url: settings.url,
          status: xhr.status,
          contentType: xhr.getResponseHeader("Content-Type"),
          body,
          logged: [...logged],
        });
      });
      new Function("response", code)(response);
    });
}

/** What script could see of the cookies, from a page under their path: `document.cookie`
 * after writing a control cookie there (which script may read). */
async function cookiesSeenByScript(page) {
  return page.evaluate(
    (probe) =>
      new Promise((resolve) => {
        const frame = document.createElement("iframe");
        frame.onload = () => {
          const doc = frame.contentDocument;
          doc.cookie = "control=visible; path=/jsonapi";
          const seen = doc.cookie;
          doc.cookie = "control=; path=/jsonapi; max-age=0";
          frame.remove();
          resolve(seen);
        };
        frame.src = probe;
        document.body.append(frame);
      }),
    PROBE,
  );
}

async function jar(context) {
  return (await context.cookies(API)).map(({ name, path, httpOnly, sameSite, secure }) => ({
    name,
    path,
    httpOnly,
    sameSite,
    secure,
  }));
}

/** Each request the page sent to /jsonapi: the cookie the browser added, the labels
 * jQuery put on it, and any cookie the answer set. An entry settles once its request has
 * finished (or failed), which Node may hear of after the page has its answer. */
function recordWire(page) {
  const wire = [];
  const settle = new Map();
  const ours = (request) =>
    (request.url() === API || request.url().startsWith(`${API}/`)) && request.url() !== PROBE;
  page.on("request", (request) => {
    if (ours(request)) wire.push(new Promise((resolve) => settle.set(request, resolve)));
  });
  page.on("requestfailed", (request) => {
    settle.get(request)?.({ method: request.method(), failure: request.failure()?.errorText });
  });
  page.on("requestfinished", async (request) => {
    const resolve = settle.get(request);
    if (!resolve) return;
    const headers = await request.allHeaders();
    const response = await request.response();
    const url = new URL(request.url());
    resolve({
      method: request.method(),
      path: url.pathname,
      query: [...url.searchParams.keys()],
      cookie: /(^|;\s*)aimeos_session=/.test(headers.cookie ?? ""),
      contentType: headers["content-type"] ?? null,
      requestedWith: headers["x-requested-with"] ?? null,
      status: response.status(),
      setCookie: (await response.headerValue("set-cookie")) ?? null,
    });
  });
  return wire;
}

async function main() {
  const guide = snippets(readFileSync(SEED, "utf8"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.route(PAGE, (route) => route.fulfill({ contentType: "text/html", body: HTML }));
    await page.route(JQUERY, (route) =>
      route.fulfill({ contentType: "text/javascript", body: JQUERY_SOURCE }),
    );
    await page.route(PROBE, (route) => route.fulfill({ contentType: "text/html", body: "" }));
    const wire = recordWire(page);
    await page.goto(PAGE);
    await page.evaluate(installHarness);
    const run = (code, response) => page.evaluate(([c, r]) => window.run(c, r), [code, response]);
    const step = (name, result) => {
      print({ step: name, ...result });
      return result;
    };

    // The host's configuration: the OPTIONS URL; its answer defines everything else.
    const discover = `$.ajax({method: "OPTIONS", dataType: "json", url: response})`;
    const options = step("options", await run(discover, API));
    step("guide get (visitor)", await run(guide.GET, options.body));
    step("guide post", await run(guide.POST, options.body));
    step("cookie (visitor)", { script: await cookiesSeenByScript(page), jar: await jar(context) });

    // The host's part (Laravel's login form), sent by jQuery as a form.
    const login = `$.ajax({method: "POST", url: response.url, dataType: "json", data: response.form})`;
    const form = { email: EMAIL, password: PASSWORD, _token: options.body.meta.csrf.value };
    step("login", await run(login, { url: `${API}/login`, form }));
    step("cookie (customer)", { script: await cookiesSeenByScript(page), jar: await jar(context) });

    // Writes without the current token (none; the visitor's from before the login), then the
    // guide's GET, which shows they changed nothing.
    const forge = `$.ajax({url: response, method: "PATCH", dataType: "json",
      data: JSON.stringify({data: {attributes: {"customer.firstname": "Mallory"}}})})`;
    const customerUrl = options.body.meta.resources.customer;
    const stale = `${customerUrl}?_token=${encodeURIComponent(options.body.meta.csrf.value)}`;
    step("forged", {
      missing: await run(forge, customerUrl),
      stale: await run(forge, stale),
    });
    step("guide get (customer)", await run(guide.GET, options.body));

    // The login changed the token: the OPTIONS answer is asked again for the current one.
    const current = step("options (customer)", await run(discover, API));
    const patched = step("guide patch", await run(guide.PATCH, current.body));
    step("guide delete", await run(guide.DELETE, patched.body));
    step("guide get (gone)", await run(guide.GET, current.body));
    step("wire", { requests: await Promise.all(wire) });
    print({ done: true });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  print({ error: String(error?.stack ?? error) });
  process.exit(1);
});
