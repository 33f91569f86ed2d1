// Saleor's dashboard, as far as an app page sees it: the page is framed at its appUrl with the dashboard's query
// (domain, saleorApiUrl, id, theme, locale) and, when it says notifyReady, gets the staff user's app token
// (App.accessToken) in a "handshake" message; later "tokenRefresh", "theme" and "localeChanged" messages.
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

window.addEventListener("message", (event) => {
  if (event.source !== frame.contentWindow || event.origin !== appOrigin) return;
  const message = event.data || {};
  if (message.type === "notifyReady" && token) {
    send("response", { actionId: message.payload?.actionId, ok: true });
    send("handshake", { token, version: 1, dashboardVersion: "demo" });
  }
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
