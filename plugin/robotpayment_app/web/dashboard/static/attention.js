// Calls a person has to settle: the gateway's answer never came (and no notification settled it), or
// notifications disagreed. Each shows what is known and what to look up in the ROBOT PAYMENT control panel;
// a user who may change payments records the finding, and the app tells Saleor.
import { h } from "./dom.js";

const GID = /^[0-9]{1,20}$/;

/** The form's quick check before anything is sent: {field: textKey} of the problems (the gid counts only for
 * CHARGED: it is not sent otherwise). */
export function checkResolution(decision, gid, reason) {
  const problems = {};
  if (decision === "CHARGED" && !GID.test(gid.trim())) problems.gid = "attention.gid.invalid";
  if (!reason.trim()) problems.reason = "attention.reason.missing";
  else if (reason.trim().length > 500) problems.reason = "attention.reason.tooLong";
  return problems;
}

function facts(item, t, format) {
  const payment = item.payment;
  const rows = [
    ["attention.fact.transaction", payment.saleorTransactionId],
    ["attention.fact.orderCode", payment.shopOrderCode],
    ["attention.fact.gid", payment.pspReference],
    ["attention.fact.card", item.card],
    ["attention.fact.error", [payment.errorCode, payment.failureReason].filter(Boolean).join(": ")],
    ["attention.fact.conflict", payment.inConflict ? payment.conflictReason : null],
    ["attention.fact.notifications", item.notifications.length ? String(item.notifications.length) : null],
  ].filter(([, value]) => value);
  return h(
    "dl",
    { class: "facts" },
    h("dt", {}, t("attention.fact.time")),
    h("dd", {}, format.dateTime(payment.createdAt)),
    rows.map(([key, value]) => [h("dt", {}, t(key)), h("dd", { class: "mono" }, value)]),
  );
}

function resolutionForm(item, t, state, actions) {
  const id = item.payment.id;
  const problems = state.problems || {};
  // a capture, cancel or refund is of a payment whose number is known: that is the number it went through as
  if (state.gid === undefined && item.payment.kind !== "PAYMENT") state.gid = item.payment.pspReference || "";
  const gidInput = h("input", {
    id: `resolve-gid-${id}`,
    name: "gid",
    type: "text",
    inputmode: "numeric",
    autocomplete: "off",
    value: state.gid || "",
    "aria-invalid": problems.gid ? "true" : null,
    oninput: (event) => (state.gid = event.target.value),
  });
  const reasonInput = h("textarea", {
    id: `resolve-reason-${id}`,
    name: "reason",
    rows: 2,
    maxlength: 500,
    "aria-invalid": problems.reason ? "true" : null,
    oninput: (event) => (state.reason = event.target.value),
  });
  reasonInput.value = state.reason || "";
  const done = item.payment.kind === "PAYMENT" ? "charged" : item.payment.kind.toLowerCase();
  const decide = (decision) => () => actions.resolve(item, decision);
  return h(
    "form",
    { class: "resolve-form", onsubmit: (event) => event.preventDefault() },
    h("label", { for: gidInput.id }, t("attention.gid.label")),
    gidInput,
    problems.gid ? h("p", { class: "field-error", role: "alert" }, problems.gid) : null,
    h("label", { for: reasonInput.id }, t("attention.reason.label")),
    reasonInput,
    problems.reason ? h("p", { class: "field-error", role: "alert" }, problems.reason) : null,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "resolve-charged", disabled: state.busy, onclick: decide("CHARGED") }, t(`attention.done.${done}`)),
      h(
        "button",
        { type: "button", class: "secondary resolve-not-charged", disabled: state.busy, onclick: decide("NOT_CHARGED") },
        t(`attention.notDone.${done}`),
      ),
    ),
    state.message ? h("p", { class: `notice ${state.message.kind}`, role: "status" }, state.message.text) : null,
  );
}

export function attentionSection(model, t, format, actions) {
  const items = model.unresolved.map((item) => {
    const payment = item.payment;
    const state = (model.resolving[payment.id] ||= {});
    const status = payment.inConflict ? "attention.state.conflict" : item.inFlight ? "attention.state.inFlight" : "attention.state.noOutcome";
    return h(
      "article",
      { class: `attention-item${item.overdue ? " overdue" : ""}`, dataset: { id: String(payment.id) } },
      h(
        "h3",
        {},
        `${t(`payments.kind.${payment.kind}`)} #${payment.id} · ${format.money(payment.amount, payment.currency)} · `,
        h("span", { class: "attention-state" }, t(status)),
        item.overdue ? h("span", { class: "badge overdue-badge" }, t("attention.overdue")) : null,
      ),
      facts(item, t, format),
      h("p", { class: "lookup" }, item.lookup),
      item.inFlight
        ? h("p", { class: "help" }, t("attention.wait"))
        : model.canChange
          ? resolutionForm(item, t, state, actions)
          : h("p", { class: "help" }, t("attention.readOnly")),
    );
  });
  return h(
    "section",
    { class: "card", id: "attention", "aria-labelledby": "attention-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "attention-title" }, t("attention.title")),
      h("button", { type: "button", class: "secondary refresh", onclick: () => actions.refresh() }, t("activity.refresh")),
    ),
    h("p", { class: "intro" }, t("attention.intro")),
    model.resolvedNotice ? h("p", { class: "notice ok", id: "resolved-notice", role: "status" }, model.resolvedNotice) : null,
    items.length ? items : h("p", { class: "empty", id: "attention-empty" }, t("attention.none")),
  );
}
