// What the gateway told the app (kickbacks) and what the app asked of it (the payment ledger).
import { h } from "./dom.js";

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // no clipboard API here (an iframe without clipboard-write, or plain HTTP): the old way
    input.focus();
    input.select();
    return document.execCommand("copy");
  }
}

function table(id, columns, rows) {
  return h(
    "div",
    { class: "table-wrap" },
    h("table", { id }, h("thead", {}, h("tr", {}, columns.map((column) => h("th", { scope: "col" }, column)))), h("tbody", {}, rows)),
  );
}

export function kickbackSection(model, t, format, actions) {
  const status = h("span", { id: "copy-status", class: "copy-status", role: "status" });
  const urlInput = h("input", {
    id: "kickback-url",
    type: "text",
    readonly: true,
    value: model.kickbackUrl,
    "aria-describedby": "kickback-url-help",
  });
  const copyButton = h(
    "button",
    {
      type: "button",
      id: "copy-kickback-url",
      class: "secondary",
      onclick: async () => {
        const copied = await copyText(urlInput);
        status.textContent = copied ? t("kickbacks.copied") : t("kickbacks.copyFailed");
        status.className = copied ? "copy-status ok" : "copy-status problem";
      },
    },
    t("kickbacks.copy"),
  );
  const rows = model.kickbacks.map((kickback) =>
    h(
      "tr",
      { class: kickback.matched ? "matched" : "unmatched", dataset: { gid: kickback.pspReference } },
      h("td", {}, format.dateTime(kickback.receivedAt)),
      h("td", { class: "mono" }, kickback.pspReference),
      h(
        "td",
        {},
        kickback.result === "1" ? t("kickbacks.result.success") : t("kickbacks.result.failure"),
        kickback.errorCode ? ` (${kickback.errorCode})` : "",
      ),
      h("td", { class: "number" }, format.money(kickback.totalAmount ?? kickback.amount, "JPY")),
      h("td", {}, kickback.matched ? t("kickbacks.matched.yes") : t("kickbacks.matched.no")),
      h("td", {}, t(`kickbacks.state.${kickback.state}`), kickback.outcome ? ` (${kickback.outcome})` : ""),
    ),
  );
  return h(
    "section",
    { class: "card", id: "kickbacks", "aria-labelledby": "kickbacks-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "kickbacks-title" }, t("kickbacks.title")),
      h("button", { type: "button", class: "secondary refresh", onclick: () => actions.refresh() }, t("activity.refresh")),
    ),
    h("label", { for: "kickback-url" }, t("kickbacks.urlLabel")),
    h("div", { class: "copy-row" }, urlInput, copyButton, status),
    h("p", { class: "help", id: "kickback-url-help" }, t("kickbacks.urlHelp")),
    model.canChange
      ? h(
          "div",
          { class: "actions" },
          h("button", { type: "button", id: "rotate-kickback-url", class: "secondary", onclick: () => actions.rotate() }, t("kickbacks.rotate")),
        )
      : null,
    model.rotation ? h("p", { class: `notice ${model.rotation.kind}`, id: "rotation-notice", role: "status" }, model.rotation.text) : null,
    rows.length
      ? table(
          "kickbacks-table",
          ["time", "gid", "result", "amount", "matched", "state"].map((column) => t(`kickbacks.col.${column}`)),
          rows,
        )
      : h("p", { class: "empty", id: "kickbacks-empty" }, t("kickbacks.none")),
  );
}

/** Who settled the payment: the gateway's answer, a result notification (a claim, marked as such) or a person. */
function settledBy(payment, t) {
  if (payment.inConflict) return h("span", { class: "badge conflict" }, t("payments.settledBy.CONFLICT"));
  if (!payment.settledBy) return "—";
  if (payment.settledBy === "STAFF" && payment.resolution) {
    return t("payments.settledBy.STAFF_NAMED", { name: payment.resolution.resolvedBy });
  }
  const label = t(`payments.settledBy.${payment.settledBy}`);
  return payment.settledBy === "ANSWER" ? label : h("span", { class: "badge notification" }, label);
}

/** A captured payment can have a refund made in the control panel recorded in Saleor (the API has no partial one). */
function panelRefundCell(model, payment, t, format, actions) {
  const refundable = model.canChange && payment.kind === "PAYMENT" && payment.status === "SUCCEEDED" && !payment.unresolved;
  const done = payment.refundedInPanel ? format.money(payment.refundedInPanel, payment.currency) : null;
  if (!refundable) return done || "—";
  const state = model.panelRefunds[payment.id];
  if (!state) {
    return h(
      "span",
      {},
      done ? `${done} ` : "",
      h("button", { type: "button", class: "secondary open-panel-refund", onclick: () => actions.openPanelRefund(payment) }, t("panelRefund.open")),
    );
  }
  const amount = h("input", { type: "number", name: "panelRefundAmount", min: 1, step: 1, value: state.amount || "", "aria-label": t("panelRefund.amount") });
  const reason = h("input", { type: "text", name: "panelRefundReason", maxlength: 500, value: state.reason || "", "aria-label": t("panelRefund.reason") });
  return h(
    "form",
    {
      class: "panel-refund-form",
      onsubmit: (event) => {
        event.preventDefault();
        actions.recordPanelRefund(payment, amount.value, reason.value);
      },
    },
    h("label", {}, t("panelRefund.amount"), amount),
    h("label", {}, t("panelRefund.reason"), reason),
    h("button", { type: "submit", disabled: state.busy }, t("panelRefund.submit")),
    state.message ? h("p", { class: `notice ${state.message.kind}`, role: "status" }, state.message.text) : null,
  );
}

export function paymentsSection(model, t, format, actions) {
  const unresolved = model.payments.filter((payment) => payment.unresolved).length;
  const rows = model.payments.map((payment) =>
    h(
      "tr",
      { class: payment.unresolved ? "unresolved" : null, dataset: { status: payment.status, id: String(payment.id) } },
      h("td", {}, format.dateTime(payment.createdAt)),
      h("td", {}, payment.channelSlug || "—"),
      h("td", {}, t(`payments.kind.${payment.kind}`)),
      h("td", {}, h("span", { class: `status status-${payment.status.toLowerCase()}` }, t(`payments.status.${payment.status}`))),
      h("td", { class: "number" }, format.money(payment.amount, payment.currency)),
      h("td", { class: "mono" }, payment.pspReference || "—"),
      h("td", {}, [payment.errorCode, payment.failureReason].filter(Boolean).join(": ") || "—"),
      h("td", { class: "settled-by" }, settledBy(payment, t)),
      h("td", { class: "panel-refund" }, panelRefundCell(model, payment, t, format, actions)),
    ),
  );
  return h(
    "section",
    { class: "card", id: "payments", "aria-labelledby": "payments-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "payments-title" }, t("payments.title")),
      h("button", { type: "button", class: "secondary refresh", onclick: () => actions.refresh() }, t("activity.refresh")),
    ),
    h("p", { class: "intro" }, t("payments.intro")),
    unresolved ? h("p", { class: "notice warning", id: "unresolved-note" }, t("payments.unresolved", { count: unresolved })) : null,
    rows.length
      ? table(
          "payments-table",
          ["time", "channel", "kind", "status", "amount", "gid", "error", "settledBy", "panelRefund"].map((column) => t(`payments.col.${column}`)),
          rows,
        )
      : h("p", { class: "empty", id: "payments-empty" }, t("payments.none")),
  );
}
