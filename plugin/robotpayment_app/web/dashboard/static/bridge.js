// The App Bridge protocol, as Saleor's dashboard speaks it to the app page it frames:
//   page -> dashboard   {type: "notifyReady", payload: {actionId}}
//   dashboard -> page   {type: "handshake", payload: {token, version, saleorVersion?, dashboardVersion?}}
//                       {type: "tokenRefresh", payload: {token}}
//                       {type: "theme", payload: {theme: "light" | "dark"}}
//                       {type: "localeChanged", payload: {locale}}
//                       {type: "response" | "redirect" | …}   (nothing this page needs)
// A message counts only when it comes from the parent window AND from the dashboard's origin, which the page
// derives from the query parameters the dashboard put in its address (saleorApiUrl, domain).

const HOST_PATTERN = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The dashboard's query parameters: ?domain=&saleorApiUrl=&id=&theme=&locale= */
export function readDashboardParams(href) {
  const query = new URL(href).searchParams;
  return {
    domain: (query.get("domain") || "").trim(),
    saleorApiUrl: (query.get("saleorApiUrl") || "").trim(),
    appId: (query.get("id") || "").trim(),
    theme: query.get("theme") === "dark" ? "dark" : "light",
    locale: (query.get("locale") || "").trim(),
  };
}

export function httpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

export function isLoopbackHost(hostname) {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** The origins a real dashboard for these parameters posts from: the Saleor API's, and https://<domain>. */
export function dashboardOrigins({ domain, saleorApiUrl }) {
  const origins = new Set();
  const api = httpUrl(saleorApiUrl);
  if (api) origins.add(api.origin);
  if (domain && HOST_PATTERN.test(domain)) {
    const site = httpUrl(`https://${domain}`);
    if (site) origins.add(site.origin);
  }
  return [...origins];
}

/**
 * Whether a message from `origin` may be the dashboard's. Besides the exact origins above, a Saleor running on
 * this machine (a loopback API address) may have its dashboard on another port of the same host name, as
 * Saleor's own development set-up does (API on :8000, dashboard on :9000).
 */
export function isDashboardOrigin(origin, params) {
  if (dashboardOrigins(params).includes(origin)) return true;
  const api = httpUrl(params.saleorApiUrl);
  const sender = httpUrl(origin);
  return Boolean(
    api && sender && isLoopbackHost(api.hostname) && sender.protocol === api.protocol && sender.hostname === api.hostname,
  );
}

function newActionId(ownWindow) {
  const crypto = ownWindow.crypto;
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Listen to the dashboard and announce the page (notifyReady). Handlers: onToken(token, kind), onTheme(theme),
 * onLocale(locale), onIgnored(origin) for a parent message from any other origin. Returns a function that stops
 * listening. The token is handed over and never kept here.
 */
export function connectToDashboard({ ownWindow, params, onToken, onTheme, onLocale, onIgnored }) {
  const parent = ownWindow.parent;
  function receive(event) {
    if (parent === ownWindow || event.source !== parent) return;
    const message = event.data;
    if (!message || typeof message !== "object" || typeof message.type !== "string") return;
    if (!isDashboardOrigin(event.origin, params)) {
      onIgnored(event.origin);
      return;
    }
    const payload = message.payload && typeof message.payload === "object" ? message.payload : {};
    if ((message.type === "handshake" || message.type === "tokenRefresh") && typeof payload.token === "string") {
      if (payload.token) onToken(payload.token, message.type);
    } else if (message.type === "theme" && (payload.theme === "dark" || payload.theme === "light")) {
      onTheme(payload.theme);
    } else if (message.type === "localeChanged" && typeof payload.locale === "string") {
      onLocale(payload.locale);
    }
  }
  ownWindow.addEventListener("message", receive);
  if (parent !== ownWindow) {
    // "*": the announcement carries nothing secret, and the dashboard's exact origin may differ by port locally
    parent.postMessage({ type: "notifyReady", payload: { actionId: newActionId(ownWindow) } }, "*");
  }
  return () => ownWindow.removeEventListener("message", receive);
}
