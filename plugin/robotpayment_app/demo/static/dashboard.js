// Saleor's dashboard, as far as an app page sees it (its AppFrame, saleor-dashboard 3.23): the page is framed at its
// appUrl with the dashboard's query (domain, saleorApiUrl, id, theme; this demo adds locale) from this page's own
// origin, which the app page trusts as the page that opened it (document.referrer). The staff user's app token
// (App.accessToken) goes in a "handshake" when the app says notifyReady (then the "response" to that action) and
// again when the frame has loaded, followed by "localeChanged", "theme" and "redirect"; later "tokenRefresh".
import { demo, graphql, markReady, say, signIn } from "./demo.js";

const APP_TOKEN = `query DemoAppToken($id: ID!) { app(id: $id) { name accessToken } }`;
const REFRESH_MARGIN_SECONDS = 60;

const $ = (id) => document.getElementById(id);
const frame = $("app-frame");
const appOrigin = new URL(demo.appUrl).origin;
let token = null;

async function fetchAppToken() {
  const staff = await signIn("staff");
  const data = await graphql(APP_TOKEN, { id: demo.appId }, staff.token);
  if (!data.app?.accessToken) throw new Error("no app token for this user");
  $("who").textContent = `スタッフ / Staff: ${staff.user.email} · ${data.app.name}`;
  return data.app.accessToken;
}

function secondsLeft(jwt) {
  try {
    const claims = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return claims.exp - Date.now() / 1000;
  } catch {
    return 300;
  }
}

function send(type, payload) {
  frame.contentWindow?.postMessage({ type, payload }, appOrigin);
}

function sendHandshake() {
  send("handshake", { token, version: 1, saleorVersion: "devshop", dashboardVersion: "demo" });
}

function scheduleRefresh() {
  const wait = Math.max(10, secondsLeft(token) - REFRESH_MARGIN_SECONDS);
  setTimeout(async () => {
    try {
      token = await fetchAppToken();
      send("tokenRefresh", { token });
      scheduleRefresh();
    } catch (error) {
      say($("message"), `トークンを更新できません / Could not refresh the token: ${error.message}`, "error");
    }
  }, wait * 1000);
}

// actions come from the app's origin; each one is answered with a "response" carrying its actionId
window.addEventListener("message", (event) => {
  if (event.origin !== appOrigin) return;
  const action = event.data || {};
  if (!action.type || !action.payload?.actionId) return;
  if (action.type === "notifyReady" && token) sendHandshake();
  send("response", { actionId: action.payload.actionId, ok: true });
});

frame.addEventListener("load", () => {
  if (!token) return;
  sendHandshake();
  send("localeChanged", { locale: $("locale").value });
  send("theme", { theme: $("theme").value });
  send("redirect", { path: "/" });
});

function frameUrl() {
  const api = new URL(demo.saleorApiUrl);
  const url = new URL("/dashboard", demo.appUrl);
  url.search = new URLSearchParams({
    domain: api.host, saleorApiUrl: demo.saleorApiUrl, id: demo.appId, theme: $("theme").value, locale: $("locale").value,
  }).toString();
  return url.href;
}

async function start() {
  try {
    token = await fetchAppToken();
    frame.src = frameUrl(); // framed only once the token is there to answer its notifyReady
    scheduleRefresh();
  } catch (error) {
    say($("message"), `デモに接続できません / The demo does not answer: ${error.message}`, "error");
  }
  $("theme").addEventListener("change", () => send("theme", { theme: $("theme").value }));
  $("locale").addEventListener("change", () => send("localeChanged", { locale: $("locale").value }));
  markReady();
}

start();
