// The per-channel settings: picking a channel, the form, its checks, save / test connection / remove.
import { h } from "./dom.js";

export const FIELD_NAMES = [
  "storeId",
  "gatewayBaseUrl",
  "jobType",
  "tokenMode",
  "paymentMethods",
  "installmentCounts",
  "productMode",
  "productCodeMetadataKey",
  "productJobType",
  "saveCardsAllowed",
  "cvvRequired",
  "splitTaxAndShipping",
];
const JOB_TYPES = ["AUTH", "CAPTURE"];
const TOKEN_MODES = ["POPUP", "CUSTOMIZE"];
const PAYMENT_METHODS = ["LUMP_SUM", "INSTALLMENTS", "REVOLVING"];
const TOGGLES = ["saveCardsAllowed", "cvvRequired", "splitTaxAndShipping"];
const MAX_SLUG_LENGTH = 255;
const MAX_METADATA_KEY_LENGTH = 256;

/** The editable copy of a saved configuration (or of the defaults, for a new channel). */
export function draftFrom(settings) {
  return {
    storeId: settings.storeId ?? "",
    gatewayBaseUrl: settings.gatewayBaseUrl,
    jobType: settings.jobType,
    tokenMode: settings.tokenMode,
    paymentMethods: [...settings.paymentMethods],
    installmentCounts: [...settings.installmentCounts],
    productMode: settings.productMode,
    productCodeMetadataKey: settings.productCodeMetadataKey,
    productJobType: settings.productJobType ?? null,
    saveCardsAllowed: settings.saveCardsAllowed,
    cvvRequired: settings.cvvRequired,
    splitTaxAndShipping: settings.splitTaxAndShipping,
  };
}

/** ChannelConfigurationInput for the API. Counts are sent only while instalments are on. */
export function inputFromDraft(draft) {
  const instalments = draft.paymentMethods.includes("INSTALLMENTS");
  return {
    storeId: draft.storeId.trim(),
    gatewayBaseUrl: draft.gatewayBaseUrl.trim(),
    jobType: draft.jobType,
    tokenMode: draft.tokenMode,
    paymentMethods: PAYMENT_METHODS.filter((method) => draft.paymentMethods.includes(method)),
    installmentCounts: instalments ? [...draft.installmentCounts].sort((a, b) => a - b) : [],
    productMode: draft.productMode,
    productCodeMetadataKey: draft.productCodeMetadataKey.trim(),
    productJobType: draft.productMode ? draft.productJobType : null,
    saveCardsAllowed: draft.saveCardsAllowed,
    cvvRequired: draft.cvvRequired,
    splitTaxAndShipping: draft.splitTaxAndShipping,
  };
}

function isHttpUrl(text) {
  try {
    const url = new URL(text.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && Boolean(url.hostname);
  } catch {
    return false;
  }
}

/** The obvious mistakes, caught before anything is sent: {field: text key}. The API checks everything again. */
export function checkDraft(draft) {
  const problems = {};
  if (!/^\d{6}$/.test(draft.storeId.trim())) problems.storeId = "check.storeId";
  if (!isHttpUrl(draft.gatewayBaseUrl)) problems.gatewayBaseUrl = "check.gatewayBaseUrl";
  if (!draft.paymentMethods.length) problems.paymentMethods = "check.paymentMethods";
  if (draft.paymentMethods.includes("INSTALLMENTS") && !draft.installmentCounts.length) {
    problems.installmentCounts = "check.installmentCounts";
  }
  const key = draft.productCodeMetadataKey.trim();
  if (!key || key.length > MAX_METADATA_KEY_LENGTH) problems.productCodeMetadataKey = "check.productCodeMetadataKey";
  if (draft.productMode && !JOB_TYPES.includes(draft.productJobType)) problems.productJobType = "check.productJobType";
  return problems;
}

export function isChannelSlug(text) {
  const slug = text.trim();
  return slug.length > 0 && slug.length <= MAX_SLUG_LENGTH && !/[\s\u0000-\u001f\u007f]/.test(slug);
}

// ------------------------------------------------------------------------------------------ rendering

// A text field's message appears when the field is left, often by a click on a button below it: its line is
// kept (empty and invisible) so that nothing moves under the pointer and the click still lands.
const RESERVED_ERROR_FIELDS = new Set(["storeId", "gatewayBaseUrl", "productCodeMetadataKey"]);

function errorNode(model, name) {
  const message = model.fieldErrors[name];
  const reserved = RESERVED_ERROR_FIELDS.has(name);
  return h(
    "p",
    {
      class: reserved ? `field-error reserved${message ? "" : " is-empty"}` : "field-error",
      id: `error-${name}`,
      "data-error-for": name,
      hidden: !message && !reserved,
    },
    message || "",
  );
}

/** Show or clear one field's message without redrawing the form (the user is typing in it). */
function showFieldError(form, model, name, message) {
  if (message) model.fieldErrors[name] = message;
  else delete model.fieldErrors[name];
  const node = form.querySelector(`[data-error-for="${name}"]`);
  if (node) {
    node.textContent = message || "";
    if (RESERVED_ERROR_FIELDS.has(name)) node.classList.toggle("is-empty", !message);
    else node.hidden = !message;
  }
  for (const input of form.querySelectorAll(`[name="${name}"]`)) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

function fieldBox(model, name, label, control, help) {
  const invalid = Boolean(model.fieldErrors[name]);
  return h(
    "div",
    { class: invalid ? "field invalid" : "field", dataset: { field: name } },
    label,
    control,
    help ? h("p", { class: "help", id: `help-${name}` }, help) : null,
    errorNode(model, name),
  );
}

function textField(model, t, name, attributes = {}) {
  const input = h("input", {
    id: `field-${name}`,
    name,
    type: "text",
    value: model.draft[name],
    autocomplete: "off",
    spellcheck: "false",
    "aria-invalid": model.fieldErrors[name] ? "true" : null,
    "aria-describedby": `help-${name} error-${name}`,
    ...attributes,
  });
  const helpKey = `field.${name}.help`;
  return fieldBox(
    model,
    name,
    h("label", { for: `field-${name}` }, t(`field.${name}`)),
    input,
    t.has(helpKey) ? t(helpKey) : null,
  );
}

function groupField(model, t, name, type, options, labelOf, attributes = {}) {
  const chosen = model.draft[name];
  const inputs = options.map((option) =>
    h(
      "label",
      { class: "option" },
      h("input", {
        type,
        name,
        value: String(option),
        checked: Array.isArray(chosen) ? chosen.includes(option) : chosen === option,
        "aria-describedby": `error-${name}`,
      }),
      h("span", {}, labelOf(option)),
    ),
  );
  return h(
    "fieldset",
    { class: model.fieldErrors[name] ? "field group invalid" : "field group", dataset: { field: name }, ...attributes },
    h("legend", {}, t(`field.${name}`)),
    h("div", { class: "options" }, inputs),
    errorNode(model, name),
  );
}

function toggleField(model, t, name) {
  return h(
    "div",
    { class: "field toggle", dataset: { field: name } },
    h(
      "label",
      { class: "option" },
      h("input", { type: "checkbox", name, id: `field-${name}`, checked: model.draft[name] }),
      h("span", {}, t(`field.${name}`)),
    ),
    errorNode(model, name),
  );
}

/** Keep the draft in step with the form, and run the quick checks as fields are left or corrected. */
function bindForm(form, model, t) {
  const sync = (event) => {
    const target = event.target;
    const name = target.name;
    if (!FIELD_NAMES.includes(name)) return;
    const draft = model.draft;
    if (name === "paymentMethods" || name === "installmentCounts") {
      const values = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
      draft[name] = name === "installmentCounts" ? values.map(Number) : values;
    } else if (target.type === "checkbox") {
      draft[name] = target.checked;
    } else if (target.type === "radio") {
      if (target.checked) draft[name] = target.value;
    } else {
      draft[name] = target.value;
    }
    form.querySelector('[data-field="installmentCounts"]').hidden = !draft.paymentMethods.includes("INSTALLMENTS");
    form.querySelector('[data-field="productJobType"]').hidden = !draft.productMode;
    const problems = checkDraft(draft);
    const related = name === "paymentMethods" ? ["paymentMethods", "installmentCounts"] : [name];
    for (const field of related) {
      const problem = problems[field];
      // while typing, only clear a message; a new one appears when the field is left (change)
      if (!problem) showFieldError(form, model, field, null);
      else if (event.type === "change") showFieldError(form, model, field, t(problem));
    }
  };
  form.addEventListener("input", sync);
  form.addEventListener("change", sync);
}

function connectionResult(model, t) {
  const result = model.connection;
  if (!result) return h("div", { id: "connection-result", hidden: true });
  const localAdvice = t.language === "ja" ? `connection.advice.${result.status}` : null;
  const advice = localAdvice && t.has(localAdvice) ? t(localAdvice) : result.advice;
  return h(
    "div",
    {
      id: "connection-result",
      class: result.ok ? "connection ok" : "connection problem",
      role: "status",
      dataset: { status: result.status },
    },
    h("p", { class: "connection-title" }, t(`connection.status.${result.status}`)),
    h("p", { class: "connection-message" }, result.message),
    advice ? h("p", { class: "connection-advice" }, advice) : null,
    result.errorCode ? h("p", { class: "connection-code" }, t("connection.code", { code: result.errorCode })) : null,
  );
}

function channelPicker(model, t, actions) {
  const slugs = model.configurations.map((config) => config.channelSlug);
  const selected = model.selected;
  const tabs = slugs.map((slug) =>
    h(
      "button",
      {
        type: "button",
        class: "channel-tab",
        dataset: { slug },
        "aria-pressed": selected && selected.slug === slug ? "true" : "false",
        onclick: () => actions.select(slug),
      },
      slug,
    ),
  );
  if (selected && selected.isNew) {
    tabs.push(
      h(
        "button",
        { type: "button", class: "channel-tab", dataset: { slug: selected.slug }, "aria-pressed": "true" },
        selected.slug,
        " ",
        h("span", { class: "badge" }, t("channels.unsaved")),
      ),
    );
  }
  const addForm = !model.canChange ? null : model.shopChannels ? channelChooser(model, t, actions) : model.canChange
    ? h(
        "form",
        {
          class: "add-channel",
          novalidate: true,
          onsubmit: (event) => {
            event.preventDefault();
            actions.add(event.target.elements.newChannelSlug.value);
          },
        },
        h("label", { for: "new-channel-slug" }, t("channels.add.label")),
        h("input", {
          id: "new-channel-slug",
          name: "newChannelSlug",
          type: "text",
          autocomplete: "off",
          spellcheck: "false",
          "aria-describedby": "new-channel-help new-channel-error",
        }),
        h("button", { type: "submit", class: "secondary" }, t("channels.add.button")),
        h("p", { class: "help", id: "new-channel-help" }, t("channels.add.help")),
        h("p", { class: "field-error", id: "new-channel-error", hidden: !model.addError }, model.addError || ""),
      )
    : null;
  return h(
    "div",
    { class: "channel-picker" },
    tabs.length ? h("div", { class: "channel-tabs", role: "group" }, tabs) : h("p", { class: "empty" }, t("channels.none")),
    addForm,
  );
}

/** The shop's channels not configured yet, as Saleor lists them; one not in yen cannot be chosen (and says why). */
function channelChooser(model, t, actions) {
  const configured = new Set(model.configurations.map((config) => config.channelSlug));
  const choices = model.shopChannels.filter((channel) => !configured.has(channel.slug));
  if (!choices.length) return h("p", { class: "help", id: "new-channel-help" }, t("channels.pick.allConfigured"));
  const select = h(
    "select",
    { id: "new-channel-slug", name: "newChannelSlug", "aria-describedby": "new-channel-help new-channel-error" },
    choices.map((channel) =>
      h(
        "option",
        { value: channel.slug, disabled: Boolean(channel.problem), dataset: { currency: channel.currencyCode } },
        `${channel.name} (${channel.slug}, ${channel.currencyCode})`,
        channel.problem ? ` — ${t("channels.pick.notYen", { currency: channel.currencyCode })}` : "",
      ),
    ),
  );
  const firstUsable = choices.find((channel) => !channel.problem);
  if (firstUsable) select.value = firstUsable.slug;
  return h(
    "form",
    {
      class: "add-channel",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        if (firstUsable) actions.add(select.value);
      },
    },
    h("label", { for: "new-channel-slug" }, t("channels.pick.label")),
    select,
    h("button", { type: "submit", class: "secondary", disabled: !firstUsable }, t("channels.add.button")),
    h("p", { class: "help", id: "new-channel-help" }, t(firstUsable ? "channels.pick.help" : "channels.pick.noneInYen")),
    h("p", { class: "field-error", id: "new-channel-error", hidden: !model.addError }, model.addError || ""),
  );
}

/** How the channel authorises or charges: Saleor's transaction flow strategy decides, not this page. */
function flowStrategyBox(model, t) {
  const slug = model.selected.slug;
  const channel = (model.shopChannels || []).find((item) => item.slug === slug);
  const lines = [];
  if (channel) {
    lines.push(h("p", { id: "flow-strategy" }, t(`flow.${channel.transactionFlowStrategy}`, { name: channel.name })));
    if (channel.formerJobType) {
      lines.push(
        h(
          "p",
          { class: "notice warning", id: "flow-disagreement" },
          t("flow.disagrees", { former: t(`option.jobType.${channel.formerJobType}`), name: channel.name }),
        ),
      );
    }
  } else {
    lines.push(h("p", { id: "flow-strategy" }, t("flow.unknown")));
  }
  lines.push(h("p", { class: "help" }, t("flow.where", { name: channel ? channel.name : slug })));
  return h("div", { class: "field", dataset: { field: "jobType" } }, h("h4", {}, t("field.jobType")), lines);
}

function channelForm(model, t, actions) {
  const { draft, selected } = model;
  const locked = !model.canChange || Boolean(model.busy);
  const instalmentsBox = groupField(model, t, "installmentCounts", "checkbox", model.choices, (count) =>
    t("option.installmentCounts", { count }),
  );
  instalmentsBox.hidden = !draft.paymentMethods.includes("INSTALLMENTS");
  const notice = model.notice;
  const form = h(
    "form",
    {
      id: "channel-form",
      novalidate: true,
      dataset: { slug: selected.slug },
      onsubmit: (event) => {
        event.preventDefault();
        actions.save();
      },
    },
    h("h3", {}, t("form.title", { slug: selected.slug })),
    h(
      "fieldset",
      { class: "settings", disabled: locked },
      textField(model, t, "storeId", { inputmode: "numeric", maxlength: "6", pattern: "\\d{6}" }),
      textField(model, t, "gatewayBaseUrl", { type: "url" }),
      flowStrategyBox(model, t),
      groupField(model, t, "tokenMode", "radio", TOKEN_MODES, (value) => t(`option.tokenMode.${value}`)),
      groupField(model, t, "paymentMethods", "checkbox", PAYMENT_METHODS, (value) => t(`option.paymentMethods.${value}`)),
      instalmentsBox,
      toggleField(model, t, "productMode"),
      textField(model, t, "productCodeMetadataKey", { maxlength: String(MAX_METADATA_KEY_LENGTH) }),
      // the product forms carry no jb: the product's own setting in the control panel decides
      groupField(model, t, "productJobType", "radio", JOB_TYPES, (value) => t(`option.productJobType.${value}`), {
        hidden: !model.draft.productMode,
      }),
      TOGGLES.map((name) => toggleField(model, t, name)),
    ),
    notice ? h("p", { id: "form-notice", class: `notice ${notice.kind}`, role: "status" }, notice.text) : null,
    model.canChange
      ? h(
          "div",
          { class: "actions" },
          h("button", { type: "submit", id: "save", disabled: locked }, model.busy === "save" ? t("form.saving") : t("form.save")),
          h(
            "button",
            { type: "button", id: "test-connection", class: "secondary", disabled: locked, onclick: () => actions.test() },
            model.busy === "test" ? t("connection.testing") : t("connection.button"),
          ),
          selected.isNew
            ? null
            : h(
                "button",
                { type: "button", id: "delete-channel", class: "danger", disabled: locked, onclick: () => actions.remove() },
                t("form.delete"),
              ),
        )
      : null,
    model.canChange ? h("p", { class: "help" }, t("connection.note")) : null,
    connectionResult(model, t),
  );
  bindForm(form, model, t);
  return form;
}

export function channelSection(model, t, actions) {
  return h(
    "section",
    { class: "card", id: "channels", "aria-labelledby": "channels-title" },
    h("h2", { id: "channels-title" }, t("channels.title")),
    h("p", { class: "intro" }, t("channels.intro")),
    channelPicker(model, t, actions),
    model.selected ? channelForm(model, t, actions) : null,
  );
}
