/** Typed declarations of robotpayment.js (storefront contract v1). */

export declare const GATEWAY_ID: "jp.robotpayment.saleor";
export declare const CONTRACT_VERSION: 1;

export type Language = "ja" | "en";
export type TokenMode = "popup" | "customize";
/** 10 one payment (一括), 61 instalments (分割, with `pt`), 80 revolving (リボ). */
export type PaymentMethodCode = "10" | "61" | "80";

export interface RobotPaymentOptions {
  /** Saleor's GraphQL endpoint, e.g. https://shop.example.com/graphql/ */
  saleorApiUrl: string;
  /** The app's manifest id; default GATEWAY_ID. */
  gatewayId?: string;
  /** The shopper's Saleor access token (needed for saved cards and saving a card). */
  accessToken?: string | null;
  /** Language of `message` texts; default: Japanese when navigator.language is ja*, else English. */
  language?: Language;
  /** Load the gateway's jquery.js first when the page has no jQuery (as the gateway's samples do); default true. */
  loadJQuery?: boolean;
  /** Where #tkn, #CARD_INPUT_FORM and #EMV3DS_INPUT_FORM are created when the page has none; default body. */
  container?: HTMLElement;
  /** Last resort, in milliseconds: a card-entry or 3-D Secure step the gateway has not called back after this
   * long ends as `RobotPaymentCancelled` (`reason: "timeout"`) and its form is taken away. Default 600000
   * (10 minutes); `0` or `Infinity`: no limit. */
  gatewayTimeout?: number;
  /** Milliseconds a step whose gateway form was closed, hidden or removed still waits for the gateway's callback
   * before it ends as `RobotPaymentCancelled` (`reason: "closed"` / `"removed"`). Default 3000. */
  closeGrace?: number;
  fetch?: typeof fetch;
  document?: Document;
}

/** `data` of paymentGatewayInitialize (contract v1). Amounts are integers (yen). */
export interface PaymentConfig {
  version: 1;
  aid: string;
  scripts: { cpToken: string; threeDS: string; jquery?: string };
  tokenMode: TokenMode;
  cvv: boolean;
  /** `savedCardOnly`: the gateway takes this md on one-touch charges only: a saved card, or a new card saved by a
   * shopper the gateway already knows (`threeDS.saveCard` has `uid`: registered first, then charged in one touch). */
  paymentMethods: Array<{ md: PaymentMethodCode; installments?: number[]; savedCardOnly?: boolean }>;
  saveCard: { allowed: boolean; hasSavedCards?: boolean };
  /** `payment` is null (and `error` says why) when this checkout cannot be paid with a new card. */
  threeDS: { payment: ThreeDSParams | null; saveCard?: ThreeDSParams | null };
  error?: AppError | null;
  [more: string]: unknown;
}

/** The app's own failure report: a stable code, the shopper's message, whether trying again can help. */
export interface AppError {
  code: string;
  message: string;
  retryable: boolean;
}

/** Passed to ThreeDSAdapter.authenticate exactly as the app returned them, plus `tkn`. */
export type ThreeDSParams = { aid: string } & Record<string, string | number>;

/** The merchant's own card inputs (customize mode): elements or CSS selectors. `cvv` when the shop uses CVV. */
export interface CardFields {
  number: HTMLInputElement | string;
  expiryMonth: HTMLInputElement | string;
  expiryYear: HTMLInputElement | string;
  firstName: HTMLInputElement | string;
  lastName: HTMLInputElement | string;
  cvv?: HTMLInputElement | string;
}

export interface NewCardPayment {
  checkoutId: string;
  /** Keep the card for one-touch payments (signed-in shoppers, when `saveCard.allowed`). */
  saveCard?: boolean;
  md?: PaymentMethodCode;
  /** Instalment count, with md "61" only. */
  pt?: number | null;
  /** Required in customize mode. */
  card?: CardFields;
  /** Default: the channel's configured `tokenMode`. */
  tokenMode?: TokenMode;
}

export interface SavedCardPayment {
  checkoutId: string;
  /** A SavedCard's `id` (as Saleor lists it) or `paymentMethodId`. */
  paymentMethodId: string;
  md?: PaymentMethodCode;
  pt?: number | null;
}

interface PaymentDetails {
  transactionId: string | null;
  pspReference: string | null;
  amount: number | null;
  /** The gateway's payment id. */
  gid: string | null;
  savedCard: { id: string; name: string } | null;
}

/** Paid (`charged`) or authorised for a later capture (`authorized`). */
export interface PaymentSucceeded extends PaymentDetails {
  status: "charged" | "authorized";
}

/** Saleor recorded a request the gateway has yet to confirm: not paid, not failed. Show `message`. */
export interface PaymentPending extends PaymentDetails {
  status: "pending";
  message: string;
}

/** No answer came back after the request was sent: it may have been charged. `retry()` repeats the same
 * attempt (same idempotency key), which can never charge twice. Never treat this as a failure. */
export interface PaymentUnknown {
  status: "unknown";
  checkoutId: string;
  idempotencyKey: string;
  message: string;
  detail: string;
  retry(): Promise<PaymentResult>;
}

export type PaymentResult = PaymentSucceeded | PaymentPending | PaymentUnknown;

export interface SavedCard {
  /** Saleor's id (app:<gateway id>:<paymentMethodId>): pay and delete with it. */
  id: string;
  /** The app's own card id: `replaces` takes it. */
  paymentMethodId: string;
  name: string;
  brand: string | null;
  lastDigits: string | null;
  expMonth: number | null;
  expYear: number | null;
  data: unknown;
}

export interface SaveCardOptions {
  channel: string;
  card?: CardFields;
  tokenMode?: TokenMode;
}

export type SaveCardResult =
  | { status: "saved"; id: string; replaced: string | null; savedCard: { id: string; name: string } | null }
  /** Sent, not confirmed: `confirmCardSave({channel, id})` settles it (when `id` is known), or list the cards later. */
  | { status: "pending"; id: string | null; message: string; detail: string };

/** Every failure: `code` is stable, `message` is for the shopper (ja or en), `retryable` says whether trying
 * again can help, `field` names the option at fault, `detail` is for developers (never holds a token).
 * `cancelled` is true only for a `RobotPaymentCancelled`. */
export declare class RobotPaymentError extends Error {
  readonly name: "RobotPaymentError" | "RobotPaymentCancelled";
  readonly code: string;
  readonly retryable: boolean;
  readonly field: string | null;
  readonly detail: string;
  readonly cancelled: boolean;
}

/** Which gateway step did not finish: the card entry (CPToken) or 3-D Secure (ThreeDSAdapter). */
export type CancelledStep = "card" | "threeDS";
/** `cancelled`: the gateway answered CANCEL (its own cancel button); `closed`: its form was closed or hidden
 * without an answer; `removed`: its container (#CARD_INPUT_FORM / #EMV3DS_INPUT_FORM) left the page;
 * `timeout`: no answer within `gatewayTimeout`. */
export type CancelReason = "cancelled" | "closed" | "removed" | "timeout";

/** The shopper did not finish the gateway's card form or 3-D Secure challenge (or it never answered): not a
 * card error. Nothing was sent to Saleor and nothing is charged; the call has ended, so the page can simply
 * offer the same action again (`retryable` is always true). A late answer from the gateway is ignored. */
export declare class RobotPaymentCancelled extends RobotPaymentError {
  readonly name: "RobotPaymentCancelled";
  readonly code: "CARD_ENTRY_CANCELLED" | "THREE_DS_CANCELLED";
  readonly retryable: true;
  readonly field: null;
  readonly cancelled: true;
  readonly step: CancelledStep;
  readonly reason: CancelReason;
}

/** Each operation runs alone: calling any of them while one runs returns the running one's promise. The ones that
 * open the gateway's forms (`payWithNewCard`, `saveCard`, `replaceCard`) may reject with `RobotPaymentCancelled`. */
export declare class RobotPayment {
  constructor(options: RobotPaymentOptions);
  readonly saleorApiUrl: string;
  readonly gatewayId: string;
  readonly language: Language;
  setAccessToken(token: string | null): void;
  initialize(options: { checkoutId: string }): Promise<PaymentConfig>;
  payWithNewCard(options: NewCardPayment): Promise<PaymentResult>;
  payWithSavedCard(options: SavedCardPayment): Promise<PaymentResult>;
  listCards(options: { channel: string }): Promise<SavedCard[]>;
  saveCard(options: SaveCardOptions): Promise<SaveCardResult>;
  replaceCard(options: SaveCardOptions & { replaces: SavedCard | string }): Promise<SaveCardResult>;
  confirmCardSave(options: { channel: string; id: string }): Promise<SaveCardResult>;
  deleteCard(options: { channel: string; card: SavedCard | string }): Promise<{ status: "deleted"; id: string }>;
}

export declare function createRobotPayment(options: RobotPaymentOptions): RobotPayment;
