/**
 * What the example pages share: their settings, a checkout summary, sign-in, and showing results.
 * Only robotpayment.js is the integration; this file is page furniture.
 *
 * Settings: window.ROBOTPAYMENT_DEMO (the demo serves /demo-config.js), overridden by the query string:
 *   ?saleorApiUrl=https://shop.example.com/graphql/&checkoutId=...&token=...&channel=...&gatewayId=...&lang=ja
 * (and, to try the cancellation paths quickly, gatewayTimeout / closeGrace in milliseconds).
 */
import { createRobotPayment, GATEWAY_ID } from "../robotpayment.js";

const TOKEN_KEY = "robotpayment-example-token";
const NAMES = ["saleorApiUrl", "checkoutId", "token", "channel", "gatewayId", "lang", "tokenMode", "gatewayTimeout",
  "closeGrace"];

export function readSettings() {
  const settings = { channel: "default-channel", gatewayId: GATEWAY_ID, ...(window.ROBOTPAYMENT_DEMO || {}) };
  const query = new URLSearchParams(window.location.search);
  for (const name of NAMES) if (query.get(name)) settings[name] = query.get(name);
  settings.token = settings.token || sessionStorage.getItem(TOKEN_KEY) || null;
  return settings;
}

export function paymentClient(settings) {
  return createRobotPayment({
    saleorApiUrl: settings.saleorApiUrl, gatewayId: settings.gatewayId, accessToken: settings.token,
    language: settings.lang || undefined,
    gatewayTimeout: milliseconds(settings.gatewayTimeout), closeGrace: milliseconds(settings.closeGrace),
  });
}

function milliseconds(value) {
  return value === undefined || value === null || value === "" ? undefined : Number(value);
}

export const $ = (selector) => document.querySelector(selector);

/** A small GraphQL call for the page's own needs (summary, sign-in); payments go through robotpayment.js. */
export async function saleor(settings, query, variables = {}) {
  const headers = { "Content-Type": "application/json" };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  const response = await fetch(settings.saleorApiUrl,
    { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data;
}

/** Shows what the page is set up with, or what is missing. Returns false when the page cannot work. */
export function requireSettings(settings, names) {
  const missing = names.filter((name) => !settings[name]);
  if (missing.length) {
    showError({ message: `Missing settings: ${missing.join(", ")} (query string or /demo-config.js)` });
    return false;
  }
  return true;
}

export async function showCheckout(settings) {
  if (!settings.checkoutId) return null;
  const data = await saleor(settings, `query($id: ID!) { checkout(id: $id) {
    id email chargeStatus authorizeStatus totalPrice { gross { amount currency } }
    lines { quantity variant { name product { name } } } } }`, { id: settings.checkoutId });
  const checkout = data.checkout;
  if (!checkout) {
    showError({ message: "Checkout not found." });
    return null;
  }
  const total = checkout.totalPrice.gross;
  $("#checkout").innerHTML = "";
  for (const line of checkout.lines) {
    const item = document.createElement("li");
    item.textContent = `${line.variant.product.name} (${line.variant.name}) × ${line.quantity}`;
    $("#checkout").appendChild(item);
  }
  $("#total").textContent = `${formatYen(total.amount)} ${total.currency}`;
  return checkout;
}

/** A sign-in form for pages that need a shopper (saved cards); the token stays in this tab only. */
export function offerSignIn(settings, onSignedIn) {
  const form = $("#signin");
  if (!form) return;
  form.hidden = Boolean(settings.token);
  $("#signed-in").hidden = !settings.token;
  // The demo's /demo-config.js names its seeded shopper: prefill it (local demo accounts only).
  const demoShopper = settings.accounts?.shopper;
  if (demoShopper) {
    $("#signin-email").value = demoShopper.email;
    $("#signin-password").value = demoShopper.password;
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const data = await saleor({ ...settings, token: null }, `mutation($email: String!, $password: String!) {
        tokenCreate(email: $email, password: $password) { token errors { message } } }`,
      { email: $("#signin-email").value, password: $("#signin-password").value });
      if (!data.tokenCreate.token) throw new Error(data.tokenCreate.errors[0]?.message || "sign-in failed");
      settings.token = data.tokenCreate.token;
      sessionStorage.setItem(TOKEN_KEY, settings.token);
      form.hidden = true;
      $("#signed-in").hidden = false;
      onSignedIn();
    } catch (error) {
      showError(error);
    }
  });
}

/**
 * md / pt choices as the app offers them: 一括 (10), 分割 (61 with counts), リボ (80). Methods marked
 * `savedCardOnly` need a one-touch charge: a saved card, or saving a card for a shopper the gateway knows.
 */
export function renderPaymentMethods(config, { oneTouch = true } = {}) {
  const select = $("#md");
  const counts = $("#pt");
  const labels = { 10: "一括払い / One payment", 61: "分割払い / Instalments", 80: "リボ払い / Revolving" };
  const methods = (config.paymentMethods || [{ md: "10" }]).filter((method) => oneTouch || !method.savedCardOnly);
  select.innerHTML = "";
  for (const method of methods) select.add(new Option(labels[method.md] || method.md, method.md));
  const update = () => {
    const method = methods.find((m) => m.md === select.value);
    counts.innerHTML = "";
    for (const count of method?.installments || []) counts.add(new Option(`${count}回 / ${count} times`, String(count)));
    $("#pt-row").hidden = !method?.installments?.length;
  };
  select.onchange = update;
  update();
  $("#payment-methods").hidden = methods.length < 2;
}

/** For new-card pages: one-touch methods appear while "save this card" is ticked for a known shopper. */
export function renderNewCardPaymentMethods(config) {
  const update = () => renderPaymentMethods(config,
    { oneTouch: $("#save-card").checked && Boolean(config.threeDS?.saveCard?.uid) });
  $("#save-card").onchange = update;
  update();
}

export function chosenPaymentMethod() {
  const md = $("#md").value || "10";
  return { md, pt: md === "61" ? Number($("#pt").value) : null };
}

export function showResult(result) {
  const texts = {
    charged: "お支払いが完了しました / Payment complete",
    authorized: "お支払いを承りました（与信） / Payment authorised",
    saved: "カードを保存しました / Card saved",
    deleted: "カードを削除しました / Card deleted",
  };
  $("#error").hidden = true;
  const box = $("#result");
  box.hidden = false;
  box.dataset.status = result.status;
  box.textContent = texts[result.status] || result.message;
  if (result.savedCard) box.textContent += ` — ${result.savedCard.name}`;
}

/** What the page says when the shopper left the gateway's form (RobotPaymentCancelled): nothing happened. */
const CANCELLED = {
  card: "カード情報の入力が完了しませんでした。請求は発生していません。もう一度お試しください。"
    + " / The card entry did not finish. Nothing has been charged; please try again.",
  threeDS: "本人認証（3Dセキュア）が完了しませんでした。請求は発生していません。もう一度お試しください。"
    + " / Card authentication (3-D Secure) did not finish. Nothing has been charged; please try again.",
  timeout: "時間内に完了しなかったため中止しました。請求は発生していません。もう一度お試しください。"
    + " / This took too long and was stopped. Nothing has been charged; please try again.",
};

export function showError(error) {
  const box = $("#error");
  box.hidden = false;
  box.dataset.code = error.code || "";
  if (error.cancelled) {
    // Not a card problem: the call has ended and the same button simply works again.
    box.dataset.cancelled = error.reason || "cancelled";
    box.textContent = CANCELLED[error.reason === "timeout" ? "timeout" : error.step] || CANCELLED.card;
  } else {
    delete box.dataset.cancelled;
    box.textContent = error.message;
  }
}

export function clearMessages() {
  $("#error").hidden = true;
  $("#result").hidden = true;
}

/**
 * Runs a page action and shows its outcome; an `unknown` payment offers a retry of the same attempt. `button`
 * (the one that started it) is disabled meanwhile and enabled again however the action ends, a cancelled card
 * form or 3-D Secure challenge included, so the shopper can simply try again.
 */
export async function run(action, button = null) {
  clearMessages();
  if (button) button.disabled = true;
  try {
    let result = await action();
    while (result?.status === "unknown") {
      showResult(result);
      const again = $("#retry");
      again.hidden = false;
      await new Promise((resolve) => { again.onclick = resolve; });
      again.hidden = true;
      result = await result.retry();
    }
    if (result) showResult(result);
    return result;
  } catch (error) {
    showError(error);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

/**
 * After a successful payment the storefront turns the checkout into an order (Saleor's checkoutComplete), once:
 * a double click's second handler gets the same payment result and must not complete again.
 */
let completion = null;
export function completeCheckout(settings) {
  completion ||= saleor(settings, `mutation($id: ID!) { checkoutComplete(id: $id) {
    order { id number } errors { code message } } }`, { id: settings.checkoutId }).then((data) => {
    const order = data.checkoutComplete.order;
    if (order) $("#order").textContent = `注文番号 / Order number: ${order.number}`;
    else showError({ message: data.checkoutComplete.errors[0]?.message || "checkoutComplete failed" });
    return order;
  });
  return completion;
}

/** Tests and scripts wait for this: the page has loaded its settings and the app's configuration. */
export function markReady() {
  document.body.dataset.ready = "true";
}

function formatYen(amount) {
  return `¥${Number(amount).toLocaleString("ja-JP")}`;
}
