// The page's side of App Bridge: Saleor's own `AppBridge` (@saleor/app-sdk) and the little the page adds to it.
// Bundled with the SDK into web/dashboard/static/app_bridge.js (`./dev build`); main.js imports it from there.
//
// The SDK announces the page (notifyReady, answered by the dashboard's `response`), takes `handshake`,
// `tokenRefresh`, `theme`, `localeChanged` and `redirect`, and accepts a message only from the origin of the page
// that framed this one (document.referrer): a self-hosted dashboard may live on any host, and what proves
// authority is the token, which the app verifies against the installation's JWKS on every call. In front of the
// SDK this module drops what the SDK would take but must not: a message from a window other than the parent (a
// sibling frame or a popup on the dashboard's origin), and a message the SDK cannot read (it would throw).
import { AppBridge } from "@saleor/app-sdk/app-bridge";
import { decodeJwt } from "jose";

/** The dashboard's query parameters: ?domain=&saleorApiUrl=&id=&theme=&locale= (Saleor's dashboard sends no locale). */
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

/** The origin App Bridge messages must come from: the framing page's, read from document.referrer ("" if none). */
export function dashboardOrigin(referrer) {
  try {
    const url = new URL(referrer);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : "";
  } catch {
    return "";
  }
}

// the dashboard's events, as the SDK knows them (EventType); anything else is not for the page
const EVENTS = new Set(["handshake", "response", "redirect", "theme", "localeChanged", "tokenRefresh", "formPayload"]);
const TOKEN_EVENTS = new Set(["handshake", "tokenRefresh"]);

function isJwt(token) {
  try {
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}

/**
 * What to do with a message event before the SDK sees it:
 * "notParent" (ignored: not the dashboard's window), "otherOrigin" (ignored, and said: the parent, but not from
 * the framing page's origin), "notAnEvent" (ignored: nothing the dashboard sends), "unreadableToken" (a token
 * event whose token is not a JWT), or "accept" (handed to the SDK).
 */
export function screenMessage({ source, origin, data }, { parent, expectedOrigin }) {
  if (source !== parent) return "notParent";
  if (!expectedOrigin || origin !== expectedOrigin) return "otherOrigin";
  if (!data || typeof data !== "object" || !EVENTS.has(data.type)) return "notAnEvent";
  if (!data.payload || typeof data.payload !== "object") return "notAnEvent";
  if (TOKEN_EVENTS.has(data.type) && (typeof data.payload.token !== "string" || !isJwt(data.payload.token))) {
    return "unreadableToken";
  }
  return "accept";
}

/**
 * Starts Saleor's AppBridge in this framed page (it posts notifyReady) and reports what the dashboard sends:
 * onToken(token, kind) for handshake and tokenRefresh, onTheme("light" | "dark"), onLocale(locale),
 * onIgnored(origin, expectedOrigin) for a message from the parent on another origin than the framing page's
 * (expectedOrigin "" when the dashboard sent no referrer), onUnreadableToken(kind) for a token that is not a JWT.
 * Returns {bridge, expectedOrigin, stop}. The token is handed over; the SDK's state keeps it in memory too.
 */
export function connectToDashboard({ ownWindow, params, onToken, onTheme, onLocale, onIgnored, onUnreadableToken }) {
  const expectedOrigin = dashboardOrigin(ownWindow.document.referrer);
  const parent = ownWindow.parent;
  // registered before the SDK's listener, in the capture phase: it runs first and can withhold a message
  function screen(event) {
    const verdict = screenMessage(event, { parent, expectedOrigin });
    if (verdict === "accept") return;
    event.stopImmediatePropagation();
    if (verdict === "otherOrigin" && event.data && typeof event.data === "object" && typeof event.data.type === "string") {
      onIgnored(event.origin, expectedOrigin);
    } else if (verdict === "unreadableToken") {
      onUnreadableToken(event.data.type);
    }
  }
  ownWindow.addEventListener("message", screen, { capture: true });
  const initialLocale = params.locale || ownWindow.navigator.language || undefined; // as the page starts
  const bridge = new AppBridge({ saleorApiUrl: params.saleorApiUrl, initialLocale });
  const unsubscribe = [
    bridge.subscribe("handshake", ({ token }) => onToken(token, "handshake")),
    bridge.subscribe("tokenRefresh", ({ token }) => onToken(token, "tokenRefresh")),
    bridge.subscribe("theme", ({ theme }) => onTheme(theme === "dark" ? "dark" : "light")),
    bridge.subscribe("localeChanged", ({ locale }) => {
      if (typeof locale === "string") onLocale(locale);
    }),
  ];
  return {
    bridge,
    expectedOrigin,
    stop() {
      for (const stopOne of unsubscribe) stopOne();
      ownWindow.removeEventListener("message", screen, { capture: true });
    },
  };
}
