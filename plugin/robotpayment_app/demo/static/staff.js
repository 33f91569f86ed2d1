// Staff view: orders of the shop's customers with their transactions and events, and the dashboard's buttons
// (capture / cancel / refund), all through the devshop's GraphQL as the seeded staff user.
import { dateTime, demo, graphql, h, markReady, say, signIn, yen } from "./demo.js";

const TRANSACTION = `id name pspReference actions createdAt
  authorizedAmount { amount } authorizePendingAmount { amount } chargedAmount { amount } chargePendingAmount { amount }
  refundedAmount { amount } refundPendingAmount { amount } canceledAmount { amount } cancelPendingAmount { amount }
  events { id createdAt type amount { amount } pspReference message createdBy { __typename ... on App { name } ... on User { email } } }`;
const ORDER = `id number created status chargeStatus authorizeStatus userEmail
  total { gross { amount currency } } transactions { ${TRANSACTION} }`;
const ORDERS = `query DemoOrders {
  customers(first: 100) { edges { node { email orders(first: 100) { edges { node { ${ORDER} } } } } } }
}`;
const ORDER_BY_ID = `query DemoOrder($id: ID!) { order(id: $id) { ${ORDER} } }`;
const REQUEST_ACTION = `mutation DemoAction($id: ID!, $action: TransactionActionEnum!, $amount: PositiveDecimal) {
  transactionRequestAction(id: $id, actionType: $action, amount: $amount) {
    transaction { ${TRANSACTION} }
    errors { field code message }
  }
}`;
const ACTION_LABELS = {
  CHARGE: "売上確定 / Capture",
  CANCEL: "取消 / Cancel",
  REFUND: "返金 / Refund",
};

const $ = (id) => document.getElementById(id);
let staff = null;
const lookedUp = new Set(); // ids of orders asked for by id (a guest's order is in no customer's list)

function statusTag(text) {
  const kind = /FULL|SUCCESS|CHARGED/.test(text) ? "ok" : /FAIL|NONE/.test(text) ? "bad" : "wait";
  return h("span", { class: `tag ${kind}` }, text);
}

function amountsOf(transaction) {
  const rows = [
    ["与信 / Authorized", transaction.authorizedAmount, transaction.authorizePendingAmount],
    ["売上 / Charged", transaction.chargedAmount, transaction.chargePendingAmount],
    ["返金 / Refunded", transaction.refundedAmount, transaction.refundPendingAmount],
    ["取消 / Canceled", transaction.canceledAmount, transaction.cancelPendingAmount],
  ];
  return h("div", { class: "amounts" }, rows.map(([label, amount, pending]) =>
    h("span", {}, `${label}: `, h("strong", {}, yen(amount.amount)), pending.amount ? ` (処理中 / pending ${yen(pending.amount)})` : "")));
}

function defaultAmount(transaction, action) {
  if (action === "CHARGE") return transaction.authorizedAmount.amount;
  if (action === "REFUND") return transaction.chargedAmount.amount;
  return null; // a cancel releases everything
}

function actionsOf(transaction) {
  const amount = h("input", { type: "number", min: 1, step: 1, "aria-label": "金額 / Amount", placeholder: "金額 / Amount" });
  const buttons = ["CHARGE", "CANCEL", "REFUND"].map((action) => {
    const allowed = transaction.actions.includes(action);
    return h("button", {
      type: "button", disabled: !allowed, "data-action": action,
      on: { click: (event) => requestAction(event.currentTarget, transaction, action, amount.value) },
    }, ACTION_LABELS[action]);
  });
  const chargeable = transaction.actions.includes("CHARGE") || transaction.actions.includes("REFUND");
  amount.hidden = !chargeable;
  return h("div", { class: "actions" }, buttons, amount,
    chargeable ? h("span", { class: "muted" }, "空欄なら全額 / empty: the whole amount") : null);
}

function eventsOf(transaction) {
  const rows = transaction.events.map((event) => h("tr", {},
    h("td", {}, dateTime(event.createdAt)),
    h("td", {}, statusTag(event.type)),
    h("td", {}, yen(event.amount.amount)),
    h("td", { class: "mono" }, event.pspReference),
    h("td", {}, event.message),
    h("td", {}, event.createdBy?.name || event.createdBy?.email || "")));
  return h("table", { class: "events" },
    h("thead", {}, h("tr", {}, ["日時 / When", "イベント / Event", "金額 / Amount", "決済番号 / gid", "メッセージ / Message", "実行者 / By"].map((title) => h("th", {}, title)))),
    h("tbody", {}, rows));
}

/** A call still pending in Saleor: the gateway's answer may have been lost, and no notification may come. */
function pendingNote(transaction) {
  const pending = [transaction.authorizePendingAmount, transaction.chargePendingAmount, transaction.refundPendingAmount,
    transaction.cancelPendingAmount].some((amount) => amount.amount > 0);
  if (!pending) return null;
  return h("p", { class: "muted pending-note" },
    "結果待ち: 応答が失われた場合は ", h("a", { href: "/dashboard" }, "アプリ設定"),
    " の「確認が必要な決済」で管理画面の結果を記録します。 / Pending: if the gateway's answer was lost, record what the " +
    "control panel shows under “Payments waiting for you” on ", h("a", { href: "/dashboard" }, "App settings"), ".");
}

function transactionView(transaction) {
  return h("div", { class: "transaction", "data-transaction": transaction.id },
    h("div", { class: "bar" }, h("strong", {}, transaction.name || "ROBOT PAYMENT"),
      h("span", { class: "muted" }, `決済番号 / gid: `, h("span", { class: "mono" }, transaction.pspReference || "—"))),
    amountsOf(transaction), pendingNote(transaction), actionsOf(transaction), eventsOf(transaction));
}

function orderView(order) {
  const total = order.total.gross;
  return h("section", { class: "panel order", "data-order": order.number },
    h("div", { class: "bar" },
      h("strong", {}, `注文 / Order #${order.number}`),
      h("span", { class: "muted" }, `${dateTime(order.created)} · ${order.userEmail || ""}`),
      h("span", {}, yen(total.amount)),
      h("span", {}, statusTag(`charge: ${order.chargeStatus}`), " ", statusTag(`authorize: ${order.authorizeStatus}`))),
    order.transactions.map(transactionView));
}

async function loadOrders() {
  const [data, ...extra] = await Promise.all([
    graphql(ORDERS, {}, staff.token),
    ...[...lookedUp].map((id) => graphql(ORDER_BY_ID, { id }, staff.token)),
  ]);
  const orders = new Map();
  for (const customer of data.customers.edges) {
    for (const edge of customer.node.orders.edges) orders.set(edge.node.id, edge.node);
  }
  for (const found of extra) if (found.order) orders.set(found.order.id, found.order);
  const newestFirst = [...orders.values()].sort((a, b) => b.created.localeCompare(a.created));
  $("orders").replaceChildren(...newestFirst.map(orderView));
  $("no-orders").hidden = newestFirst.length > 0;
}

/** The newest SUCCESS / FAILURE event of this action, if the app has answered already. */
function newestOutcome(transaction, action) {
  const pattern = new RegExp(`^${action}_(SUCCESS|FAILURE)$`);
  const events = transaction.events.filter((event) => pattern.test(event.type));
  events.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return events[0] || null;
}

async function requestAction(button, transaction, action, amountText) {
  button.disabled = true;
  say($("message"), "ゲートウェイに送信中… / Sending to the gateway…", "wait");
  const amount = amountText ? Number(amountText) : defaultAmount(transaction, action);
  try {
    const data = await graphql(REQUEST_ACTION, { id: transaction.id, action, amount }, staff.token);
    const result = data.transactionRequestAction;
    if (result.errors.length) throw new Error(result.errors.map((error) => error.message).join("; "));
    const outcome = newestOutcome(result.transaction, action);
    const text = outcome ? `${outcome.type} ${yen(outcome.amount.amount)} ${outcome.message || ""}` : "受付済み / requested";
    say($("message"), `${ACTION_LABELS[action]}: ${text}`, !outcome ? "wait" : /FAILURE/.test(outcome.type) ? "error" : "ok");
  } catch (error) {
    say($("message"), `${ACTION_LABELS[action]}: ${error.message}`, "error");
  }
  await loadOrders();
}

async function lookUp(event) {
  event.preventDefault();
  const id = $("order-id").value.trim();
  if (!id) return;
  try {
    const data = await graphql(ORDER_BY_ID, { id }, staff.token);
    if (!data.order) throw new Error("見つかりません / not found");
    lookedUp.add(data.order.id);
    await loadOrders();
  } catch (error) {
    say($("message"), `注文 / Order ${id}: ${error.message}`, "error");
  }
}

async function start() {
  try {
    staff = await signIn("staff");
    $("who").textContent = `スタッフ / Staff: ${staff.user.email}`;
    $("refresh").addEventListener("click", () => loadOrders().catch((error) => say($("message"), error.message, "error")));
    $("lookup").addEventListener("submit", lookUp);
    await loadOrders();
  } catch (error) {
    say($("message"), `デモに接続できません / The demo does not answer: ${error.message}`, "error");
  }
  markReady();
}

start();
