// What a browser adds to medusa-js's calls when the admin dashboard or the storefront runs on
// an origin of its own (Medusa's `admin_cors` / `store_cors`): CORS preflights and checks.

import axios from 'axios';

const SAFELISTED = new Set(['accept', 'accept-language', 'content-language']);
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
// Set by the browser itself (the cookie from its jar), never named in a preflight.
const BROWSER_OWNED = new Set(['cookie', 'content-length', 'user-agent', 'host', 'origin']);

/** An axios adapter (medusa-js takes one as `axiosAdapter`) that adds what a browser on the
 * dashboard's (`/admin` calls) or the storefront's origin adds to a call: the preflight,
 * `Origin`, and the check that the answer, errors included, lets that origin read it with
 * credentials. A refusal is a network error there, so it throws. `counts` tallies both. */
export function browserAdapter(baseUrl, origins, counts) {
  return (config) => browserCall(baseUrl, origins, counts, config);
}

async function browserCall(baseUrl, origins, counts, config) {
  const url = new URL(`${config.baseURL}${config.url}`);
  const route = url.pathname.slice(new URL(baseUrl).pathname.length);
  const origin = route.startsWith('/admin') ? origins.admin : origins.store;
  const method = config.method.toUpperCase();
  const unsafe = Object.entries(config.headers)
    .map(([name, value]) => [name.toLowerCase(), String(value)])
    .filter(([name, value]) => {
      if (SAFELISTED.has(name) || BROWSER_OWNED.has(name)) return false;
      return name !== 'content-type' || !SIMPLE_TYPES.has(value.split(';')[0].trim().toLowerCase());
    })
    .map(([name]) => name)
    .sort();
  if (unsafe.length > 0 || !['GET', 'HEAD', 'POST'].includes(method)) {
    counts.preflights += 1;
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': method,
        ...(unsafe.length ? { 'Access-Control-Request-Headers': unsafe.join(',') } : {}),
      },
    });
    const allowedHeaders = (preflight.headers.get('access-control-allow-headers') ?? '')
      .toLowerCase()
      .split(',')
      .map((h) => h.trim());
    const allowedMethods = (preflight.headers.get('access-control-allow-methods') ?? '').split(',');
    if (
      !preflight.ok ||
      preflight.headers.get('access-control-allow-origin') !== origin ||
      preflight.headers.get('access-control-allow-credentials') !== 'true' ||
      !allowedMethods.map((m) => m.trim()).includes(method) ||
      !unsafe.every((h) => allowedHeaders.includes(h))
    ) {
      throw new Error(
        `CORS preflight refused ${method} ${route} from ${origin}: ${preflight.status} ` +
          JSON.stringify(Object.fromEntries(preflight.headers)),
      );
    }
  }
  counts.requests += 1;
  const response = await axios.defaults.adapter({
    ...config,
    headers: { ...config.headers, Origin: origin },
    validateStatus: () => true,
  });
  if (
    response.headers['access-control-allow-origin'] !== origin ||
    response.headers['access-control-allow-credentials'] !== 'true'
  ) {
    throw new Error(`CORS: ${origin} may not read ${method} ${route} (${response.status})`);
  }
  // As axios' own adapter ends: reject what `validateStatus` refuses.
  response.config = config;
  if (config.validateStatus && !config.validateStatus(response.status)) {
    const error = new Error(`Request failed with status code ${response.status}`);
    Object.assign(error, { config, request: response.request, response, isAxiosError: true });
    throw error;
  }
  return response;
}

/** Another site's page may not read either API with the visitor's cookie. */
export async function foreignOrigins(baseUrl, origins) {
  const refused = {};
  for (const [route, origin] of [
    ['/admin/customers', origins.store],
    ['/store/customers/me', origins.admin],
    ['/admin/customers', 'https://evil.example'],
    ['/store/customers/me', 'https://evil.example'],
  ]) {
    const preflight = await fetch(`${baseUrl}${route}`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    refused[`${origin} ${route}`] = preflight.headers.get('access-control-allow-origin');
  }
  return refused;
}
