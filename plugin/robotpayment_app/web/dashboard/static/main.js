// The page: handshake with the dashboard, then the configuration API with the token it sent.
// The token lives in memory only (here and in Saleor's AppBridge state): never in storage, cookies, the address
// or the page.
import { ApiAuthenticationError, ApiPermissionError, createConfigApi } from "./api.js";
import { connectToDashboard, readDashboardParams } from "./app_bridge.js";
import { channelSection, checkDraft, draftFrom, FIELD_NAMES, inputFromDraft, isChannelSlug } from "./channel_form.js";
import { h, replaceChildren } from "./dom.js";
import { kickbackSection, paymentsSection } from "./activity.js";
import { attentionSection, checkResolution } from "./attention.js";
import { confirmInPage } from "./confirm_dialog.js";
import { formatters, languageOf, translator } from "./texts.js";

const CONFIGURATION_FIELDS = `channelSlug storeId gatewayBaseUrl jobType tokenMode paymentMethods installmentCounts
  productMode productCodeMetadataKey productJobType saveCardsAllowed cvvRequired splitTaxAndShipping updatedAt`;
const ACTIVITY_FIELDS = `kickbackUrl
  recentKickbacks(first: 20) { id receivedAt pspReference result errorCode amount totalAmount matched state outcome }
  recentPayments(first: 20) { id kind status unresolved pspReference amount currency errorCode failureReason createdAt
    channelSlug refundedInPanel
    settledBy inConflict resolution { resolvedBy resolvedAt reason } }
  unresolvedPayments { overdue inFlight card lookup notifications { id }
    payment { id kind status amount currency createdAt saleorTransactionId shopOrderCode pspReference errorCode
      failureReason inConflict conflictReason } }`;
const OVERVIEW = `query DashboardOverview {
  viewer { email canChangeConfiguration }
  installmentCountChoices
  channelSettingsDefaults { gatewayBaseUrl jobType tokenMode paymentMethods installmentCounts productMode
    productCodeMetadataKey saveCardsAllowed cvvRequired splitTaxAndShipping }
  channelConfigurations { ${CONFIGURATION_FIELDS} }
  ${ACTIVITY_FIELDS}
}`;
const ACTIVITY = `query DashboardActivity { ${ACTIVITY_FIELDS} }`;
const SAVE = `mutation SaveChannel($slug: String!, $input: ChannelConfigurationInput!, $confirm: Boolean!) {
  saveChannelConfiguration(channelSlug: $slug, input: $input, confirmSharedStore: $confirm) {
    configuration { ${CONFIGURATION_FIELDS} }
    errors { field message }
  }
}`;
const RESOLVE = `mutation ResolvePayment($id: Int!, $decision: ResolutionDecision!, $reason: String!, $gid: String) {
  resolvePayment(paymentId: $id, decision: $decision, reason: $reason, gid: $gid) {
    event reportedToSaleor payment { id status settledBy } errors { field message }
  }
}`;
const RECORD_PANEL_REFUND = `mutation RecordPanelRefund($id: Int!, $amount: Int!, $reason: String!, $request: String!) {
  recordPanelRefund(paymentId: $id, amount: $amount, reason: $reason, requestId: $request) {
    recorded totalRecorded remaining reportedToSaleor errors { field message }
  }
}`;
const ROTATE = `mutation RotateKickbackUrl { rotateKickbackUrl { kickbackUrl createdAt message } }`;
const DELETE = `mutation DeleteChannel($slug: String!) { deleteChannelConfiguration(channelSlug: $slug) { deleted } }`;
const TEST = `mutation TestConnection($input: ConnectionInput!) {
  testConnection(input: $input) { ok status errorCode message advice errors { field message } }
}`;

const params = readDashboardParams(window.location.href);
const elements = {
  title: document.getElementById("page-title"),
  viewer: document.getElementById("viewer"),
  gate: document.getElementById("gate"),
  gateTitle: document.getElementById("gate-title"),
  gateText: document.getElementById("gate-text"),
  gateDetail: document.getElementById("gate-detail"),
  content: document.getElementById("content"),
};

let token = null;
let refusedToken = null; // not tried again: Saleor's dashboard sends its handshake twice
// Saleor's dashboard puts no locale in the address and says it (localeChanged) only after the handshake: until
// then the page speaks the browser's language
let t = translator(languageOf(params.locale || navigator.language));
let format = formatters(t.language);
// phase: "waiting" | "notFramed" | "noShop" | "loading" | "ready" | "refused" | "forbidden" | "unreachable"
const page = { phase: "waiting", gateDetail: null, model: null };

const api = createConfigApi({
  endpoint: new URL("graphql", window.location.href).href,
  saleorApiUrl: params.saleorApiUrl,
  token: () => token,
});

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme === "dark" ? "dark" : "light";
}

function applyLanguage(locale) {
  t = translator(languageOf(locale));
  format = formatters(t.language);
  document.documentElement.lang = t.language;
  render();
}

// ------------------------------------------------------------------------------------------ gate

function showGate(phase, detail = null) {
  page.phase = phase;
  page.gateDetail = detail;
  page.model = null;
  render();
}

function renderGate() {
  const phase = page.phase === "loading" ? "waiting" : page.phase;
  elements.gate.hidden = false;
  elements.gate.dataset.phase = page.phase;
  elements.gateTitle.textContent = t(`gate.${phase}.title`);
  elements.gateText.textContent = t(`gate.${phase}.text`);
  const detail = page.gateDetail;
  elements.gateDetail.hidden = !detail;
  elements.gateDetail.textContent = detail ? t(detail.key, detail.values) : "";
  elements.viewer.hidden = true;
  elements.viewer.textContent = "";
  elements.content.hidden = true;
  replaceChildren(elements.content);
}

// ------------------------------------------------------------------------------------------ content

function selectChannel(model, slug, isNew = false) {
  const saved = model.configurations.find((config) => config.channelSlug === slug);
  model.selected = { slug, isNew: isNew && !saved };
  model.draft = draftFrom(saved || model.defaults);
  model.fieldErrors = {};
  model.notice = null;
  model.connection = null;
  model.addError = null;
}

function newModel(data) {
  const model = {
    canChange: data.viewer.canChangeConfiguration,
    email: data.viewer.email,
    choices: data.installmentCountChoices,
    defaults: data.channelSettingsDefaults,
    configurations: data.channelConfigurations,
    kickbackUrl: data.kickbackUrl,
    kickbacks: data.recentKickbacks,
    payments: data.recentPayments,
    unresolved: data.unresolvedPayments,
    resolving: {},
    panelRefunds: {},
    resolvedNotice: null,
    rotation: null,
    selected: null,
    draft: null,
    fieldErrors: {},
    notice: null,
    connection: null,
    addError: null,
    busy: null,
  };
  if (model.configurations.length) selectChannel(model, model.configurations[0].channelSlug);
  return model;
}

/** Every failure of a call: a refused token ends the session; anything else is said next to the form. */
function failed(model, error) {
  if (error instanceof ApiAuthenticationError) {
    refusedToken = token;
    token = null;
    showGate("refused", { key: "gate.reason", values: { reason: error.message } });
    return true;
  }
  model.notice = { kind: "error", text: t("form.failed", { message: error.message }) };
  return false;
}

const actions = {
  select(slug) {
    selectChannel(page.model, slug);
    render();
  },
  add(text) {
    const model = page.model;
    if (!isChannelSlug(text)) {
      model.addError = t("channels.add.invalid");
      render();
      document.getElementById("new-channel-slug")?.focus();
      return;
    }
    selectChannel(model, text.trim(), true);
    render();
    document.getElementById("field-storeId")?.focus();
  },
  async save() {
    const model = page.model;
    const problems = checkDraft(model.draft);
    if (Object.keys(problems).length) {
      model.fieldErrors = Object.fromEntries(Object.entries(problems).map(([field, key]) => [field, t(key)]));
      model.notice = { kind: "error", text: t("form.notSaved") };
      render();
      focusFirstInvalid(model);
      return;
    }
    const slug = model.selected.slug;
    model.busy = "save";
    render();
    try {
      const input = inputFromDraft(model.draft);
      let result = (await api(SAVE, { slug, input, confirm: false })).saveChannelConfiguration;
      const shared = result.errors.find((error) => error.field === "storeId" && error.message.includes("confirmSharedStore"));
      // the store is connected to another shop already: only the merchant can say this is meant
      if (shared && result.errors.length === 1 && (await ask(t("form.sharedStoreConfirm", { message: shared.message })))) {
        result = (await api(SAVE, { slug, input, confirm: true })).saveChannelConfiguration;
      }
      model.busy = null;
      if (result.errors.length) {
        showServerErrors(model, result.errors);
      } else {
        const saved = result.configuration;
        model.configurations = [...model.configurations.filter((config) => config.channelSlug !== slug), saved].sort(
          (a, b) => a.channelSlug.localeCompare(b.channelSlug),
        );
        selectChannel(model, slug);
        model.notice = { kind: "ok", text: t("form.saved") };
      }
    } catch (error) {
      model.busy = null;
      if (failed(model, error)) return;
    }
    if (page.model === model) render();
    if (page.model === model && Object.keys(model.fieldErrors).length) focusFirstInvalid(model);
  },
  async test() {
    const model = page.model;
    const problems = checkDraft(model.draft);
    const blocking = ["storeId", "gatewayBaseUrl"].filter((field) => problems[field]);
    if (blocking.length) {
      model.fieldErrors = Object.fromEntries(blocking.map((field) => [field, t(problems[field])]));
      model.connection = null;
      render();
      focusFirstInvalid(model);
      return;
    }
    const input = inputFromDraft(model.draft);
    model.busy = "test";
    model.connection = null;
    render();
    try {
      const data = await api(TEST, { input: { storeId: input.storeId, gatewayBaseUrl: input.gatewayBaseUrl } });
      model.busy = null;
      model.connection = data.testConnection;
      if (data.testConnection.errors.length) showServerErrors(model, data.testConnection.errors, false);
    } catch (error) {
      model.busy = null;
      if (failed(model, error)) return;
    }
    if (page.model === model) render();
  },
  async remove() {
    const model = page.model;
    const slug = model.selected.slug;
    if (!(await ask(t("form.deleteConfirm", { slug }), { danger: true }))) return;
    model.busy = "delete";
    render();
    try {
      await api(DELETE, { slug });
      model.busy = null;
      model.configurations = model.configurations.filter((config) => config.channelSlug !== slug);
      model.selected = null;
      if (model.configurations.length) selectChannel(model, model.configurations[0].channelSlug);
      model.notice = null;
      page.deletedNotice = t("form.deleted", { slug });
    } catch (error) {
      model.busy = null;
      if (failed(model, error)) return;
    }
    if (page.model === model) render();
  },
  async refresh() {
    const model = page.model;
    try {
      const data = await api(ACTIVITY);
      adoptActivity(model, data);
    } catch (error) {
      if (failed(model, error)) return;
    }
    if (page.model === model) render();
  },
};

function adoptActivity(model, data) {
  Object.assign(model, {
    kickbackUrl: data.kickbackUrl,
    kickbacks: data.recentKickbacks,
    payments: data.recentPayments,
    unresolved: data.unresolvedPayments,
  });
}

Object.assign(actions, {
  async resolve(item, decision) {
    const model = page.model;
    const id = item.payment.id;
    const state = (model.resolving[id] ||= {});
    const gid = (state.gid || "").trim();
    const reason = (state.reason || "").trim();
    const problems = checkResolution(decision, gid, reason);
    state.problems = Object.fromEntries(Object.entries(problems).map(([field, key]) => [field, t(key)]));
    state.message = null;
    if (Object.keys(problems).length) {
      render();
      document.getElementById(`resolve-${Object.keys(problems)[0]}-${id}`)?.focus();
      return;
    }
    const done = item.payment.kind === "PAYMENT" ? "charged" : item.payment.kind.toLowerCase();
    const finding = t(decision === "CHARGED" ? `attention.done.${done}` : `attention.notDone.${done}`);
    if (!(await ask(t("attention.confirm", { id, finding })))) return;
    state.busy = true;
    render();
    try {
      const variables = { id, decision, reason, gid: decision === "CHARGED" ? gid : null };
      const result = (await api(RESOLVE, variables)).resolvePayment;
      state.busy = false;
      if (result.errors.length) {
        for (const error of result.errors) {
          if (error.field === "gid" || error.field === "reason") state.problems[error.field] = error.message;
          else state.message = { kind: "error", text: `${error.field}: ${error.message}` };
        }
      } else {
        delete model.resolving[id];
        const told = result.event
          ? t(result.reportedToSaleor ? "attention.told" : "attention.toldLater", { event: result.event })
          : t("attention.alreadyShown");
        model.resolvedNotice = t("attention.resolved", { id, finding }) + " " + told;
        adoptActivity(model, await api(ACTIVITY));
      }
    } catch (error) {
      state.busy = false;
      if (failed(model, error)) return;
      state.message = model.notice;
      model.notice = null;
    }
    if (page.model === model) render();
  },
  openPanelRefund(payment) {
    // one request id per form: a double click records one refund
    page.model.panelRefunds[payment.id] = { request: crypto.randomUUID() };
    render();
  },
  async recordPanelRefund(payment, amountText, reason) {
    const model = page.model;
    const state = model.panelRefunds[payment.id];
    Object.assign(state, { amount: amountText, reason, message: null });
    const amount = Number(amountText);
    if (!Number.isInteger(amount) || amount < 1 || !reason.trim()) {
      state.message = { kind: "error", text: t("panelRefund.amount") + " / " + t("panelRefund.reason") };
      render();
      return;
    }
    const shown = format.money(amount, payment.currency);
    if (!(await ask(t("panelRefund.confirm", { amount: shown, gid: payment.pspReference })))) return;
    state.busy = true;
    render();
    try {
      const variables = { id: payment.id, amount, reason, request: state.request };
      const result = (await api(RECORD_PANEL_REFUND, variables)).recordPanelRefund;
      state.busy = false;
      if (result.errors.length) {
        state.message = { kind: "error", text: result.errors.map((error) => `${error.field}: ${error.message}`).join(" ") };
      } else {
        delete model.panelRefunds[payment.id];
        const told = t(result.reportedToSaleor ? "panelRefund.told" : "panelRefund.notTold");
        const total = format.money(result.totalRecorded, payment.currency);
        model.resolvedNotice = t("panelRefund.done", { amount: shown, total, told });
        adoptActivity(model, await api(ACTIVITY));
      }
    } catch (error) {
      state.busy = false;
      if (failed(model, error)) return;
      state.message = model.notice;
      model.notice = null;
    }
    if (page.model === model) render();
  },
  async rotate() {
    const model = page.model;
    if (!(await ask(t("kickbacks.rotateConfirm"), { danger: true }))) return;
    try {
      const rotated = (await api(ROTATE)).rotateKickbackUrl;
      model.kickbackUrl = rotated.kickbackUrl;
      model.rotation = { kind: "warning", text: t("kickbacks.rotated") };
    } catch (error) {
      if (failed(model, error)) return;
      model.rotation = { kind: "error", text: model.notice.text };
      model.notice = null;
    }
    if (page.model === model) render();
  },
});

function ask(message, { danger = false } = {}) {
  return confirmInPage(message, { confirmLabel: t("confirm.ok"), cancelLabel: t("confirm.cancel"), danger });
}

function showServerErrors(model, errors, withNotice = true) {
  model.fieldErrors = {};
  const general = [];
  for (const error of errors) {
    if (FIELD_NAMES.includes(error.field)) model.fieldErrors[error.field] = error.message;
    else general.push(`${error.field}: ${error.message}`);
  }
  if (withNotice || general.length) {
    model.notice = { kind: "error", text: [t("form.notSaved"), ...general].join(" ") };
  }
}

function focusFirstInvalid(model) {
  const first = FIELD_NAMES.find((field) => model.fieldErrors[field]);
  if (first) document.querySelector(`#channel-form [name="${first}"]`)?.focus();
}

function renderContent() {
  const model = page.model;
  elements.gate.hidden = true;
  elements.gate.dataset.phase = "ready";
  elements.viewer.hidden = false;
  elements.viewer.textContent = t("viewer.signedIn", { email: model.email });
  elements.content.hidden = false;
  const deleted = page.deletedNotice;
  page.deletedNotice = null;
  replaceChildren(
    elements.content,
    model.canChange ? null : h("p", { class: "notice info", id: "read-only-note" }, t("viewer.readOnly")),
    deleted ? h("p", { class: "notice ok", id: "deleted-notice", role: "status" }, deleted) : null,
    attentionSection(model, t, format, actions),
    channelSection(model, t, actions),
    kickbackSection(model, t, format, actions),
    paymentsSection(model, t, format, actions),
  );
}

function render() {
  elements.title.textContent = t("page.title");
  if (page.phase === "ready" && page.model) renderContent();
  else renderGate();
}

// ------------------------------------------------------------------------------------------ start

const SHOP_CHANNELS = `query ShopChannels {
  shopChannels { slug name currencyCode transactionFlowStrategy configured problem formerJobType }
}`;

const SHOP_CHANNELS_WAIT_MS = 3000;

/** The shop's channels from Saleor (through the app): a picker instead of a typed slug. Without them (Saleor
 * does not answer, or not within a few seconds) the page keeps the slug field. Asked before the page is shown,
 * so that the form never re-renders under the user's hands when they arrive. */
async function loadShopChannels() {
  let timer = null;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), SHOP_CHANNELS_WAIT_MS);
  });
  try {
    const asked = api(SHOP_CHANNELS).then((data) => data.shopChannels, () => null);
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function load() {
  page.phase = "loading";
  try {
    const data = await api(OVERVIEW);
    const shopChannels = await loadShopChannels();
    page.model = newModel(data);
    page.model.shopChannels = shopChannels;
    page.phase = "ready";
    render();
  } catch (error) {
    if (error instanceof ApiAuthenticationError) {
      refusedToken = token;
      token = null;
      showGate("refused", { key: "gate.reason", values: { reason: error.message } });
    } else if (error instanceof ApiPermissionError) {
      showGate("forbidden", { key: "gate.missing", values: { permissions: error.permissions.join(", ") || "—" } });
    } else {
      showGate("unreachable", { key: "gate.reason", values: { reason: error.message } });
    }
  }
}

function start() {
  applyTheme(params.theme);
  document.documentElement.lang = t.language;
  if (window.parent === window) {
    showGate("notFramed");
    return;
  }
  if (!params.saleorApiUrl) {
    showGate("noShop");
    return;
  }
  render();
  try {
    connectToDashboard({
      ownWindow: window,
      params,
      onToken(received) {
        if (received === refusedToken) return;
        const first = token === null;
        token = received;
        // a refreshed token replaces the old one; only a first (or renewed, after a refusal) token loads the page
        if (first && page.phase !== "loading" && page.phase !== "ready") load();
      },
      onTheme: applyTheme,
      onLocale: applyLanguage,
      onIgnored(origin, expected) {
        if (page.phase === "ready" || page.phase === "loading") return;
        page.gateDetail = expected
          ? { key: "gate.ignored", values: { origin, expected } }
          : { key: "gate.noReferrer", values: { origin } };
        render();
      },
      onUnreadableToken() {
        if (page.phase === "ready" || page.phase === "loading") return;
        showGate("refused", { key: "gate.reason", values: { reason: t("gate.notAJwt") } });
      },
    });
  } catch (error) {
    // Saleor's AppBridge needs a secure context (https, or a loopback address) to number its messages
    showGate("waiting", { key: "gate.reason", values: { reason: error.message } });
  }
}

start();
