/**
 * ROBOT PAYMENT for Saleor: the storefront side (storefront contract v1, see README.md).
 *
 * One dependency-free ES module. It talks to Saleor's GraphQL API only, loads the gateway's own
 * CPToken.js and EMV3DSAdapter.js (whose URLs the app returns), and lets those scripts alone see card
 * numbers: our code reads a merchant's card fields only to hand them to CPToken.TokenCreate (and to tell the
 * card's brand from the number's first digits), and empties them as soon as the token exists. The number never
 * goes anywhere else. Tokens are never logged nor put into error texts.
 *
 *   const rp = createRobotPayment({ saleorApiUrl, accessToken });
 *   const result = await rp.payWithNewCard({ checkoutId, saveCard: true });   // or throws RobotPaymentError
 *
 * A card form or 3-D Secure challenge the shopper closes (or a gateway step that never answers) ends the call
 * with a RobotPaymentCancelled (a RobotPaymentError with `cancelled: true`): nothing was sent to Saleor, nothing
 * is charged, and the next call starts afresh.
 */

export const GATEWAY_ID = "jp.robotpayment.saleor";
export const CONTRACT_VERSION = 1;

/** Shopper texts, [Japanese, English]. Codes from the gateway's token page keep their ER code. */
const TEXTS = {
  NETWORK: ["通信エラーが発生しました。接続をご確認のうえ、もう一度お試しください。",
    "A network error occurred. Please check your connection and try again."],
  NOT_AVAILABLE: ["現在このお支払い方法はご利用いただけません。", "This payment method is not available right now."],
  REQUEST_FAILED: ["お手続きを完了できませんでした。ページを再読み込みして、もう一度お試しください。",
    "The request could not be completed. Please reload the page and try again."],
  PAYMENT_FAILED: ["お支払いを完了できませんでした。", "The payment could not be completed."],
  INVALID_OPTION: ["お支払い方法の指定が正しくありません。", "The selected payment option is not valid."],
  SIGN_IN_REQUIRED: ["カードの保存・利用にはログインが必要です。", "Please sign in to save or use a card."],
  SAVING_CARDS_DISABLED: ["このストアではカードを保存できません。", "Cards cannot be saved in this shop."],
  CARD_ENTRY_CANCELLED: ["カード情報の入力が完了しませんでした。請求は発生していません。もう一度お試しください。",
    "The card entry did not finish. Nothing has been charged; please try again."],
  THREE_DS_CANCELLED: ["本人認証（3Dセキュア）が完了しませんでした。請求は発生していません。もう一度お試しください。",
    "Card authentication (3-D Secure) did not finish. Nothing has been charged; please try again."],
  STEP_TIMED_OUT: ["時間内に完了しなかったため中止しました。請求は発生していません。もう一度お試しください。",
    "This took too long and was stopped. Nothing has been charged; please try again."],
  CARD_DETAILS: ["カード情報をご確認ください。", "Please check the card details."],
  ER014: ["カード番号をご確認ください。", "Please check the card number."],
  ER015: ["このカードはご利用いただけません。別のカードをお試しください。",
    "This card type is not accepted. Please try another card."],
  ER056: ["カードの有効期限をご確認ください。", "Please check the card's expiry date."],
  ER057: ["カード名義をご確認ください。", "Please check the name on the card."],
  ER079: ["セキュリティコードをご確認ください。", "Please check the card's security code."],
  THREE_DS: ["本人認証（3Dセキュア）を実行できませんでした。もう一度お試しください。",
    "Card authentication (3-D Secure) could not be run. Please try again."],
  PENDING: ["お支払いを確認しています。確定しましたらお知らせします。",
    "We are confirming your payment and will let you know when it is complete."],
  UNKNOWN: ["お支払いの結果を確認できませんでした。もう一度お試しください（二重に請求されることはありません）。",
    "We could not confirm the payment. Please try again (you will not be charged twice)."],
  CARD_PENDING: ["カードの登録結果を確認しています。しばらくしてから保存済みカードをご確認ください。",
    "We are confirming whether your card was saved. Please check your saved cards shortly."],
};
TEXTS.ER055 = TEXTS.ER014;
TEXTS.ER058 = TEXTS.ER057;

/** One failure: `code` is stable (branch on it), `message` is for the shopper, `detail` for developers. */
export class RobotPaymentError extends Error {
  constructor(code, message, { retryable = false, field = null, detail = "" } = {}) {
    super(message);
    this.name = "RobotPaymentError";
    this.code = code;
    this.retryable = retryable;
    this.field = field;
    this.detail = detail;
    this.cancelled = false;
  }
}

/**
 * The shopper left the gateway's card form or 3-D Secure challenge, or it never answered: not a card error.
 * `step` "card" | "threeDS"; `reason` "cancelled" (the gateway's cancel), "closed" (its form closed or hidden
 * without an answer), "removed" (its container left the page), "timeout" (no answer within `gatewayTimeout`).
 * Nothing was sent to Saleor: trying again is always safe.
 */
export class RobotPaymentCancelled extends RobotPaymentError {
  constructor(code, message, { step, reason, detail = "" }) {
    super(code, message, { retryable: true, detail });
    this.name = "RobotPaymentCancelled";
    this.cancelled = true;
    this.step = step;
    this.reason = reason;
  }
}

export function createRobotPayment(options) {
  return new RobotPayment(options);
}

// Gateway scripts are page-wide globals (CPToken, ThreeDSAdapter): load each URL once per page.
const loadedScripts = new Map();

/** The class the gateway's scripts give their own elements (the spec reserves it: "rpemvtds"). */
const GATEWAY_CLASS = "rpemvtds";

export class RobotPayment {
  constructor({ saleorApiUrl, gatewayId = GATEWAY_ID, accessToken = null, language, loadJQuery = true,
    container, gatewayTimeout = 600000, closeGrace = 3000, fetch: fetchImpl, document: doc } = {}) {
    if (!saleorApiUrl) throw new TypeError("createRobotPayment: saleorApiUrl is required");
    this.saleorApiUrl = saleorApiUrl;
    this.gatewayId = gatewayId;
    this.accessToken = accessToken;
    this.language = language || (/^ja\b/i.test(globalThis.navigator?.language || "ja") ? "ja" : "en");
    this.loadJQuery = loadJQuery;
    this.document = doc || globalThis.document;
    this.container = container || null;
    // Last resort for a gateway step that never calls back (ms; 0 or Infinity: none), and how long a step
    // whose form was closed or removed still waits for the gateway's callback before it ends as cancelled.
    this.gatewayTimeout = gatewayTimeout;
    this.closeGrace = closeGrace;
    this.fetch = fetchImpl || globalThis.fetch.bind(globalThis);
    this.inFlight = null;
    this.cardSteps = 0; // card-entry steps started: a late gateway answer must not touch a newer step's #tkn
  }

  setAccessToken(token) {
    this.accessToken = token || null;
  }

  // --- public operations; one at a time per instance (a double click gets the running promise) ---

  /** paymentGatewayInitialize for a checkout: our `data` (contract v1); also loads the gateway scripts. */
  initialize({ checkoutId }) {
    return this.exclusive(() => this.initializeCheckout(checkoutId));
  }

  /** Token (popup or customize) → 3-D Secure → transactionInitialize; `saveCard` keeps the card. */
  payWithNewCard(options) {
    return this.exclusive(() => this.newCardPayment(options));
  }

  /** One touch: transactionInitialize with `{paymentMethodId, md, pt}`; no card entry, no browser step. */
  payWithSavedCard(options) {
    return this.exclusive(() => this.savedCardPayment(options));
  }

  listCards({ channel }) {
    return this.exclusive(() => this.storedCards(channel));
  }

  saveCard({ channel, card, tokenMode } = {}) {
    return this.exclusive(() => this.tokenizeCard({ channel, card, tokenMode, replaces: null }));
  }

  /** Register a new card in place of `replaces` (a SavedCard or its paymentMethodId). */
  replaceCard({ channel, replaces, card, tokenMode } = {}) {
    const replaced = typeof replaces === "string" ? replaces : replaces?.paymentMethodId;
    if (!replaced) return Promise.reject(this.invalid("replaces", "the saved card to replace is required"));
    return this.exclusive(() => this.tokenizeCard({ channel, card, tokenMode, replaces: replaced }));
  }

  /** Settle a `pending` card save (its `id`): the app reads the gateway's cards and answers saved or not. */
  confirmCardSave({ channel, id }) {
    if (!id) return Promise.reject(this.invalid("id", "the pending card save's id is required"));
    return this.exclusive(() => this.settleCardSave(channel, id));
  }

  deleteCard({ channel, card }) {
    const id = typeof card === "string" ? card : card?.id;
    if (!id) return Promise.reject(this.invalid("card", "the saved card to delete is required"));
    return this.exclusive(() => this.deleteStoredCard(channel, id));
  }

  exclusive(operation) {
    if (this.inFlight) return this.inFlight;
    const running = Promise.resolve().then(operation);
    this.inFlight = running;
    const release = () => { if (this.inFlight === running) this.inFlight = null; };
    running.then(release, release);
    return running;
  }

  // --- checkout payments ---

  async initializeCheckout(checkoutId) {
    if (!checkoutId) throw this.invalid("checkoutId", "a checkout id is required");
    const answer = await this.graphql(GATEWAY_INITIALIZE, { id: checkoutId, gateways: [{ id: this.gatewayId }] });
    const payload = answer.paymentGatewayInitialize;
    this.throwOnErrors(payload?.errors);
    const config = payload?.gatewayConfigs?.find((c) => c.id === this.gatewayId);
    if (!config || config.errors?.length) {
      throw this.error("NOT_AVAILABLE", "NOT_AVAILABLE",
        { detail: config?.errors?.[0]?.message || `no gateway config for ${this.gatewayId}` });
    }
    const data = this.checkContract(config.data);
    await this.loadGatewayScripts(data.scripts);
    return data;
  }

  async newCardPayment({ checkoutId, saveCard = false, md = "10", pt = null, card, tokenMode } = {}) {
    const config = await this.initializeCheckout(checkoutId);
    // A shopper who already has a gateway customer saves the card first and is then charged in one touch
    // (threeDS.saveCard carries their uid): only then do one-touch-only methods (61, 80) apply to a new card.
    const oneTouch = Boolean(saveCard && config.threeDS?.saveCard?.uid);
    checkPaymentMethod(config, md, pt, oneTouch, (field, rule) => this.invalid(field, rule));
    let threeDS = config.threeDS?.payment;
    if (saveCard) {
      if (!this.accessToken) throw this.error("SIGN_IN_REQUIRED", "SIGN_IN_REQUIRED", { field: "saveCard" });
      if (!config.saveCard?.allowed || !config.threeDS?.saveCard) {
        throw this.error("SAVING_CARDS_DISABLED", "SAVING_CARDS_DISABLED", { field: "saveCard" });
      }
      threeDS = config.threeDS.saveCard;
    }
    if (!threeDS) throw this.appError(config.error, "data.threeDS.payment missing");
    const { tkn, brand } = await this.createToken(config, card, tokenMode);
    await this.authenticate(threeDS, tkn);
    const data = { tkn, saveCard: Boolean(saveCard), md, pt: instalments(pt), ...withBrand(brand) };
    return this.startTransaction(checkoutId, data, [tkn]);
  }

  async savedCardPayment({ checkoutId, paymentMethodId, md = "10", pt = null } = {}) {
    if (!paymentMethodId) throw this.invalid("paymentMethodId", "the saved card to pay with is required");
    if (!this.accessToken) throw this.error("SIGN_IN_REQUIRED", "SIGN_IN_REQUIRED", { field: "paymentMethodId" });
    // A fresh initialize tells which instalments the shop offers for this checkout now.
    const config = await this.initializeCheckout(checkoutId);
    checkPaymentMethod(config, md, pt, true, (field, rule) => this.invalid(field, rule));
    return this.startTransaction(checkoutId, { paymentMethodId, md, pt: instalments(pt) }, []);
  }

  /**
   * One payment attempt: its idempotency key is made here once and reused by `retry()`, so Saleor hands a
   * repeat to the app as the same payment (which answers it without charging again).
   */
  startTransaction(checkoutId, data, secrets) {
    const idempotencyKey = randomKey();
    const attempt = () => this.sendTransaction(checkoutId, data, idempotencyKey, secrets, attempt);
    return attempt();
  }

  async sendTransaction(checkoutId, data, idempotencyKey, secrets, attempt) {
    const unknown = (detail) => ({
      status: "unknown", checkoutId, idempotencyKey, message: this.text("UNKNOWN"), detail: scrub(detail, secrets),
      retry: () => this.exclusive(attempt),
    });
    let answer;
    try {
      answer = await this.graphql(TRANSACTION_INITIALIZE,
        { id: checkoutId, gateway: { id: this.gatewayId, data }, key: idempotencyKey }, { sent: true });
    } catch (error) {
      // Sent but unanswered: the app may have charged. Only the same key may try again.
      if (error instanceof OutcomeUnknown) return unknown(error.message);
      throw error;
    }
    const payload = answer.transactionInitialize;
    if (!payload) return unknown("transactionInitialize answered no payload");
    this.throwOnErrors(payload.errors, secrets);
    let step = payload;
    // The app asks for transactionProcess with *_ACTION_REQUIRED; `data.process` is what to send back.
    for (let round = 0; round < 3 && /_ACTION_REQUIRED$/.test(step.transactionEvent?.type || ""); round++) {
      try {
        const processed = await this.graphql(TRANSACTION_PROCESS,
          { id: payload.transaction.id, data: step.data?.process ?? null }, { sent: true });
        step = processed.transactionProcess;
      } catch (error) {
        if (error instanceof OutcomeUnknown) return unknown(error.message);
        throw error;
      }
      if (!step) return unknown("transactionProcess answered no payload");
      this.throwOnErrors(step.errors, secrets);
    }
    return this.paymentResult(payload.transaction, step, secrets);
  }

  paymentResult(transaction, step, secrets) {
    const type = step.transactionEvent?.type || "";
    const ours = step.data && typeof step.data === "object" ? step.data : {};
    const common = {
      transactionId: transaction?.id ?? null,
      pspReference: step.transactionEvent?.pspReference || null,
      amount: step.transactionEvent?.amount?.amount ?? null,
      gid: ours.gid ?? null,
      savedCard: ours.savedCard ?? null,
    };
    if (/_SUCCESS$/.test(type)) {
      return { status: type.startsWith("CHARGE") ? "charged" : "authorized", ...common };
    }
    if (/_FAILURE$/.test(type)) {
      const failure = ours.error || {};
      throw new RobotPaymentError(failure.code || "PAYMENT_FAILED", failure.message || this.text("PAYMENT_FAILED"),
        { retryable: Boolean(failure.retryable), detail: scrub(step.transactionEvent?.message || "", secrets) });
    }
    // *_REQUEST (the gateway will confirm later) or anything the app did not settle: never reported as failed.
    return { status: "pending", ...common, message: ours.error?.message || this.text("PENDING") };
  }

  // --- saved cards ---

  async storedCards(channel) {
    if (!channel) throw this.invalid("channel", "a channel slug is required");
    if (!this.accessToken) throw this.error("SIGN_IN_REQUIRED", "SIGN_IN_REQUIRED");
    const answer = await this.graphql(STORED_METHODS, { channel });
    if (!answer.me) throw this.error("SIGN_IN_REQUIRED", "SIGN_IN_REQUIRED");
    return (answer.me.storedPaymentMethods || [])
      .filter((method) => method.gateway?.id === this.gatewayId)
      .map((method) => ({
        id: method.id,
        paymentMethodId: method.paymentMethodId,
        name: method.name || "",
        brand: method.creditCardInfo?.brand ?? null,
        lastDigits: method.creditCardInfo?.lastDigits ?? null,
        expMonth: method.creditCardInfo?.expMonth ?? null,
        expYear: method.creditCardInfo?.expYear ?? null,
        data: method.data ?? null,
      }));
  }

  async tokenizeCard({ channel, card, tokenMode, replaces }) {
    if (!channel) throw this.invalid("channel", "a channel slug is required");
    if (!this.accessToken) throw this.error("SIGN_IN_REQUIRED", "SIGN_IN_REQUIRED");
    const started = (await this.graphql(TOKENIZATION_INITIALIZE, { id: this.gatewayId, channel }))
      .paymentGatewayInitializeTokenization;
    if (started?.result !== "SUCCESSFULLY_INITIALIZED") throw this.tokenizationError(started);
    const config = this.checkContract(started.data);
    await this.loadGatewayScripts(config.scripts);
    const { tkn, brand } = await this.createToken(config, card, tokenMode);
    await this.authenticate(config.threeDS, tkn);
    const data = { tkn, ...(replaces ? { replaces } : {}), ...withBrand(brand) };
    let step;
    try {
      step = (await this.graphql(TOKENIZATION_METHOD_INITIALIZE, { id: this.gatewayId, channel, data },
        { sent: true })).paymentMethodInitializeTokenization;
    } catch (error) {
      if (error instanceof OutcomeUnknown) return this.cardPending(null, error.message, [tkn]);
      throw error;
    }
    return this.cardResult(channel, step, replaces, [tkn]);
  }

  async settleCardSave(channel, id) {
    if (!channel) throw this.invalid("channel", "a channel slug is required");
    let step;
    try {
      step = (await this.graphql(TOKENIZATION_METHOD_PROCESS, { id, channel, data: null }, { sent: true }))
        .paymentMethodProcessTokenization;
    } catch (error) {
      if (error instanceof OutcomeUnknown) return this.cardPending(id, error.message, []);
      throw error;
    }
    return this.cardResult(channel, step, null, []);
  }

  async cardResult(channel, step, replaces, secrets) {
    // The app asks to continue with ADDITIONAL_ACTION_REQUIRED; `data.process` is what to send back.
    for (let round = 0; round < 3 && step?.result === "ADDITIONAL_ACTION_REQUIRED"; round++) {
      try {
        step = (await this.graphql(TOKENIZATION_METHOD_PROCESS,
          { id: step.id, channel, data: step.data?.process ?? null }, { sent: true })).paymentMethodProcessTokenization;
      } catch (error) {
        if (error instanceof OutcomeUnknown) return this.cardPending(step.id, error.message, secrets);
        throw error;
      }
    }
    if (step?.result === "SUCCESSFULLY_TOKENIZED") {
      return { status: "saved", id: step.id, replaced: replaces, savedCard: step.data?.savedCard ?? null };
    }
    if (!step || step.result === "PENDING" || step.result === "FAILED_TO_DELIVER") {
      // Saleor cannot tell whether an undelivered request reached the app: the card may exist.
      return this.cardPending(step?.id ?? null, step?.result || "no payload", secrets, step?.data?.error?.message);
    }
    throw this.tokenizationError(step, secrets);
  }

  cardPending(id, detail, secrets, message) {
    return { status: "pending", id, message: message || this.text("CARD_PENDING"), detail: scrub(detail, secrets) };
  }

  tokenizationError(step, secrets = []) {
    const failure = step?.data?.error;
    const first = step?.errors?.[0];
    if (!step || step.result === "FAILED_TO_DELIVER") {
      return this.error("NOT_AVAILABLE", "NOT_AVAILABLE", { retryable: true, detail: first?.message || "" });
    }
    return new RobotPaymentError(failure?.code || first?.code || "FAILED",
      failure?.message || first?.message || this.text("REQUEST_FAILED"),
      { retryable: Boolean(failure?.retryable), detail: scrub(first?.message || "", secrets) });
  }

  async deleteStoredCard(channel, id) {
    if (!channel) throw this.invalid("channel", "a channel slug is required");
    if (!this.accessToken) throw this.error("SIGN_IN_REQUIRED", "SIGN_IN_REQUIRED");
    const answer = (await this.graphql(STORED_METHOD_DELETE, { id, channel })).storedPaymentMethodRequestDelete;
    if (answer?.result === "SUCCESSFULLY_DELETED") return { status: "deleted", id };
    const first = answer?.errors?.[0];
    if (answer?.result === "FAILED_TO_DELETE") {
      throw new RobotPaymentError(first?.code || "FAILED_TO_DELETE", first?.message || this.text("REQUEST_FAILED"));
    }
    throw this.error("NOT_AVAILABLE", "NOT_AVAILABLE", { retryable: true, detail: first?.message || "" });
  }

  /** The app's `error` ({code, message, retryable}) as thrown; NOT_AVAILABLE when it sent none. */
  appError(failure, detail) {
    if (!failure?.message) return this.error("NOT_AVAILABLE", "NOT_AVAILABLE", { detail });
    return new RobotPaymentError(failure.code || "NOT_AVAILABLE", failure.message,
      { retryable: Boolean(failure.retryable), detail });
  }

  // --- the gateway's browser scripts ---

  checkContract(data) {
    // A channel that cannot take payments answers {version, error} with the shopper's message.
    if (data?.version === CONTRACT_VERSION && data.error && !data.aid) throw this.appError(data.error, "");
    if (!data || data.version !== CONTRACT_VERSION || !data.aid || !data.scripts?.cpToken || !data.scripts?.threeDS) {
      throw this.error("NOT_AVAILABLE", "NOT_AVAILABLE",
        { detail: `the app's data is not storefront contract v${CONTRACT_VERSION}` });
    }
    return data;
  }

  async loadGatewayScripts(scripts) {
    const win = this.document.defaultView || globalThis;
    // The gateway's scripts expect jQuery as in its samples; its own copy sits beside CPToken.js.
    if (this.loadJQuery && !win.jQuery) {
      await this.loadScript(scripts.jquery || new URL("jquery.js", scripts.cpToken).href);
    }
    await this.loadScript(scripts.cpToken);
    await this.loadScript(scripts.threeDS);
    if (!win.CPToken || !win.ThreeDSAdapter) {
      throw this.error("NOT_AVAILABLE", "NOT_AVAILABLE", { detail: "CPToken / ThreeDSAdapter missing after loading" });
    }
  }

  loadScript(src) {
    if (loadedScripts.has(src)) return loadedScripts.get(src);
    const loading = new Promise((resolve, reject) => {
      const script = this.document.createElement("script");
      script.src = src;
      // The gateway checks the page origin (決済データ送信元URL): send the origin, never the full URL.
      script.referrerPolicy = "origin";
      script.async = false;
      script.dataset.robotpayment = "";
      script.onload = () => resolve();
      script.onerror = () => {
        loadedScripts.delete(src);
        reject(this.error("NETWORK", "NETWORK", { retryable: true, detail: `could not load ${src}` }));
      };
      this.document.head.appendChild(script);
    });
    loadedScripts.set(src, loading);
    return loading;
  }

  element(id, tag, configure) {
    let found = this.document.getElementById(id);
    if (!found) {
      found = this.document.createElement(tag);
      found.id = id;
      configure?.(found);
      (this.container || this.document.body).appendChild(found);
    }
    return found;
  }

  /**
   * CPToken → `{tkn, brand}`: the token from #tkn. Popup: the gateway's form (`brand` null: the number stays in
   * it); customize: the merchant's `card` fields, `brand` read from the number (the gateway never tells it).
   */
  async createToken(config, card, tokenMode) {
    const win = this.document.defaultView || globalThis;
    const mode = tokenMode || config.tokenMode || "popup";
    const tokenField = this.element("tkn", "input", (input) => { input.type = "hidden"; });
    tokenField.value = "";
    let request;
    let brand = null;
    let inputs = {};
    if (mode === "customize") {
      inputs = cardFields(this.document, card, config.cvv, (field, rule) => this.invalid(field, rule));
      const value = (name) => inputs[name].value.trim();
      request = { aid: config.aid, cn: value("number").replace(/[\s-]/g, ""),
        ed: value("expiryYear").slice(-2) + value("expiryMonth").padStart(2, "0"),
        fn: value("firstName"), ln: value("lastName") };
      if (config.cvv) request.cvv = value("cvv");
      brand = cardBrand(request.cn);
    } else {
      request = { aid: config.aid };
    }
    const host = mode === "customize" ? null : this.element("CARD_INPUT_FORM", "div");
    const attempt = ++this.cardSteps;
    let code;
    let message;
    try {
      [code, message] = await this.gatewayStep("card", host, (done) => {
        if (mode === "customize") win.CPToken.TokenCreate(request, done);
        else win.CPToken.CardInfo(request, done);
      }, () => {
        // A token the gateway writes after we gave up stays unused: empty #tkn unless a newer step runs.
        if (this.cardSteps === attempt) tokenField.value = "";
      });
    } catch (error) {
      tokenField.value = "";
      throw error;
    } finally {
      request = null; // drop our copy of the card number
    }
    const tkn = tokenField.value;
    tokenField.value = "";
    if (code === "Success" && tkn) {
      for (const input of Object.values(inputs)) input.value = "";
      return { tkn, brand };
    }
    if (code === "CANCEL") throw this.cancelled("card", "cancelled", String(message || ""));
    const gatewayCode = /^ER\d+$/.test(code) && Object.hasOwn(TEXTS, code);
    const known = gatewayCode ? code : code === "ER042" ? "NETWORK" : "CARD_DETAILS";
    throw new RobotPaymentError(code || "TOKEN_FAILED", this.text(known),
      { retryable: true, detail: String(message || "") });
  }

  async authenticate(params, tkn) {
    const win = this.document.defaultView || globalThis;
    const host = this.element("EMV3DS_INPUT_FORM", "div");
    // Exactly the parameters the app returned (they must match the payment it will send), plus the token.
    const [code, message] = await this.gatewayStep("threeDS", host,
      (done) => win.ThreeDSAdapter.authenticate({ ...params, tkn }, done));
    // "Success" means the call worked; whether 3-D Secure passed, the payment's answer says.
    if (code !== "Success") {
      throw new RobotPaymentError(code || "THREE_DS_FAILED", this.text(code === "ER042" ? "NETWORK" : "THREE_DS"),
        { retryable: true, detail: scrub(String(message || ""), [tkn]) });
    }
  }

  /**
   * One call into a gateway script, settled by its callback `(resultCode, errMsg)`. The gateway shows its forms
   * inside `host` (#CARD_INPUT_FORM, #EMV3DS_INPUT_FORM) with its own class on its elements; it tells nothing when
   * the shopper closes them. So the step is watched: once a form of the gateway's was on screen and is gone
   * (emptied, hidden) or `host` has left the page, the callback gets `closeGrace` ms more, then the step ends as
   * RobotPaymentCancelled; `gatewayTimeout` ms without a callback also end it (and take the form away). A
   * callback after that is ignored (`late` runs instead): an abandoned step never leads to a payment.
   */
  gatewayStep(step, host, start, late) {
    const doc = this.document;
    const win = doc.defaultView || globalThis;
    const earlier = new Set(doc.getElementsByClassName(GATEWAY_CLASS));
    const added = () => Array.from(doc.getElementsByClassName(GATEWAY_CLASS)).filter((el) => !earlier.has(el));
    const elements = () => (host?.isConnected ? Array.from(host.getElementsByTagName("*")) : []).concat(added());
    return new Promise((resolve, reject) => {
      let settled = false;
      let opened = false;
      let closing = null;
      const gone = () => {
        if (host && !host.isConnected) return "removed";
        const shown = elements().some((element) => onScreen(win, element));
        opened ||= shown;
        return opened && !shown ? "closed" : null;
      };
      const watch = () => {
        if (settled) return;
        if (!gone()) {
          win.clearTimeout(closing);
          closing = null;
        } else if (closing === null) {
          closing = win.setTimeout(() => {
            closing = null;
            const reason = gone();
            if (reason) cancel(reason, "the gateway's form went away without an answer");
          }, this.closeGrace);
        }
      };
      const observer = new win.MutationObserver(watch);
      const poll = win.setInterval(watch, 500); // for what no mutation shows (a style sheet's change)
      const limit = this.gatewayTimeout;
      const timer = Number.isFinite(limit) && limit > 0 ? win.setTimeout(
        () => cancel("timeout", `no answer from the gateway within ${limit} ms`), Math.min(limit, 2 ** 31 - 1)) : null;
      const finish = () => {
        settled = true;
        observer.disconnect();
        win.clearInterval(poll);
        win.clearTimeout(timer);
        win.clearTimeout(closing);
      };
      const cancel = (reason, detail) => {
        if (settled) return;
        finish();
        if (reason === "timeout") {
          // The form may still be up: take it away so nobody fills in a step that no longer counts.
          if (host?.isConnected) host.replaceChildren();
          for (const element of added()) element.remove();
        }
        reject(this.cancelled(step, reason, detail));
      };
      observer.observe(doc.documentElement,
        { childList: true, subtree: true, attributes: true, attributeFilter: ["style", "class", "hidden", "open"] });
      try {
        start((resultCode, errMsg) => {
          if (settled) {
            late?.();
            return;
          }
          finish();
          resolve([resultCode, errMsg]);
        });
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      watch();
    });
  }

  cancelled(step, reason, detail = "") {
    const code = step === "card" ? "CARD_ENTRY_CANCELLED" : "THREE_DS_CANCELLED";
    return new RobotPaymentCancelled(code, this.text(reason === "timeout" ? "STEP_TIMED_OUT" : code),
      { step, reason, detail });
  }

  // --- Saleor ---

  /**
   * POST a GraphQL operation. With `sent`, a failure after the request may have reached Saleor is an
   * OutcomeUnknown (a payment may exist); before that, or for reads, it is a retryable NETWORK error.
   */
  async graphql(query, variables, { sent = false } = {}) {
    const headers = { "Content-Type": "application/json" };
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    let body;
    try {
      const response = await this.fetch(this.saleorApiUrl,
        { method: "POST", headers, body: JSON.stringify({ query, variables }), credentials: "omit" });
      body = await response.json();
      if (!body || typeof body !== "object") throw new Error(`HTTP ${response.status}: not a GraphQL answer`);
    } catch (error) {
      if (sent) throw new OutcomeUnknown(error.message);
      throw this.error("NETWORK", "NETWORK", { retryable: true, detail: error.message });
    }
    if (body.errors?.length && !body.data) {
      if (sent) throw new OutcomeUnknown(body.errors[0].message);
      const unauthenticated = body.errors.some((e) => /token|permission|authenticat/i.test(e.message || ""));
      throw this.error(unauthenticated ? "SIGN_IN_REQUIRED" : "REQUEST_FAILED",
        unauthenticated ? "SIGN_IN_REQUIRED" : "REQUEST_FAILED", { detail: body.errors[0].message || "" });
    }
    return body.data || {};
  }

  throwOnErrors(errors, secrets = []) {
    if (!errors?.length) return;
    const first = errors[0];
    throw new RobotPaymentError(first.code || "REQUEST_FAILED", this.text("REQUEST_FAILED"),
      { field: first.field || null, detail: scrub(first.message || "", secrets) });
  }

  text(key) {
    const pair = Object.hasOwn(TEXTS, key) ? TEXTS[key] : TEXTS.REQUEST_FAILED;
    return this.language === "ja" ? pair[0] : pair[1];
  }

  error(code, textKey, options) {
    return new RobotPaymentError(code, this.text(textKey), options);
  }

  invalid(field, rule) {
    return new RobotPaymentError("INVALID_OPTION", this.text("INVALID_OPTION"), { field, detail: `${field}: ${rule}` });
  }
}

/** A request that may have reached Saleor without an answer coming back. */
class OutcomeUnknown extends Error {}

/** `md` / `pt` as the app offers them; `savedCardOnly` methods need a one-touch charge. */
function checkPaymentMethod(config, md, pt, oneTouch, invalid) {
  const offered = (config.paymentMethods || [{ md: "10" }]).find((method) => method.md === md);
  if (!offered) throw invalid("md", `payment method ${md} is not offered for this checkout`);
  if (offered.savedCardOnly && !oneTouch) throw invalid("md", `payment method ${md} needs a saved card`);
  if (md === "61") {
    if (!(offered.installments || []).includes(Number(pt))) {
      throw invalid("pt", `instalment count must be one of ${(offered.installments || []).join(", ")}`);
    }
  } else if (instalments(pt) !== null) {
    throw invalid("pt", "an instalment count goes only with md 61");
  }
}

/** The merchant's fields (elements or selectors) by name; CVV only when the shop uses it. */
function cardFields(doc, card, withCvv, invalid) {
  const names = ["number", "expiryMonth", "expiryYear", "firstName", "lastName"].concat(withCvv ? ["cvv"] : []);
  const inputs = {};
  for (const name of names) {
    const given = card?.[name];
    const input = typeof given === "string" ? doc.querySelector(given) : given;
    if (!input || typeof input.value !== "string") throw invalid(`card.${name}`, "an input element is required");
    inputs[name] = input;
  }
  return inputs;
}

/** The brand by the number's prefix, as the app accepts it in `data.brand`; null when it is none of these. */
function cardBrand(number) {
  if (!/^\d{4,}$/.test(number)) return null;
  const first = (count) => Number(number.slice(0, count));
  if (number[0] === "4") return "VISA";
  if ((first(2) >= 51 && first(2) <= 55) || (first(4) >= 2221 && first(4) <= 2720)) return "MASTERCARD";
  if (first(2) === 34 || first(2) === 37) return "AMEX";
  if (first(4) >= 3528 && first(4) <= 3589) return "JCB";
  if ((first(3) >= 300 && first(3) <= 305) || [36, 38, 39].includes(first(2))) return "DINERS";
  return null;
}

/** Shown to the shopper: a box of some size, on the page (not parked off it), not hidden nor transparent. */
function onScreen(win, element) {
  const box = element.getBoundingClientRect();
  if (box.width < 10 || box.height < 10 || box.right + win.scrollX <= 0 || box.bottom + win.scrollY <= 0) return false;
  const style = win.getComputedStyle(element);
  return style.visibility !== "hidden" && Number(style.opacity) > 0;
}

/** `brand` goes into `data` only when known (popup mode never knows it). */
function withBrand(brand) {
  return brand ? { brand } : {};
}

function instalments(pt) {
  return pt === null || pt === undefined || pt === "" ? null : Number(pt);
}

function randomKey() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function scrub(text, secrets) {
  let clean = String(text || "");
  for (const secret of secrets) if (secret) clean = clean.split(secret).join("[token]");
  return clean;
}

const GATEWAY_INITIALIZE = `mutation($id: ID!, $gateways: [PaymentGatewayToInitialize!]) {
  paymentGatewayInitialize(id: $id, paymentGateways: $gateways) {
    gatewayConfigs { id data errors { field code message } }
    errors { field code message }
  }
}`;

const EVENT_FIELDS = "transaction { id } transactionEvent { type pspReference message amount { amount currency } }"
  + " data errors { field code message }";

const TRANSACTION_INITIALIZE = `mutation($id: ID!, $gateway: PaymentGatewayToInitialize!, $key: String) {
  transactionInitialize(id: $id, paymentGateway: $gateway, idempotencyKey: $key) { ${EVENT_FIELDS} }
}`;

const TRANSACTION_PROCESS = `mutation($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) { ${EVENT_FIELDS} }
}`;

const STORED_METHODS = `query($channel: String!) {
  me { storedPaymentMethods(channel: $channel) {
    id paymentMethodId name type data gateway { id }
    creditCardInfo { brand lastDigits expMonth expYear }
  } }
}`;

const TOKENIZATION_INITIALIZE = `mutation($id: String!, $channel: String!) {
  paymentGatewayInitializeTokenization(id: $id, channel: $channel) { result data errors { field code message } }
}`;

const TOKENIZATION_METHOD_INITIALIZE = `mutation($id: String!, $channel: String!, $data: JSON) {
  paymentMethodInitializeTokenization(id: $id, channel: $channel, data: $data, paymentFlowToSupport: INTERACTIVE) {
    result id data errors { field code message }
  }
}`;

const TOKENIZATION_METHOD_PROCESS = `mutation($id: String!, $channel: String!, $data: JSON) {
  paymentMethodProcessTokenization(id: $id, channel: $channel, data: $data) {
    result id data errors { field code message }
  }
}`;

const STORED_METHOD_DELETE = `mutation($id: ID!, $channel: String!) {
  storedPaymentMethodRequestDelete(id: $id, channel: $channel) { result errors { field code message } }
}`;
