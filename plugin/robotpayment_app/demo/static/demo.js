// What the demo pages share: the settings from /demo-config.js, GraphQL calls to the devshop, sign-in, and
// small DOM helpers. The payment pages themselves are frontend_snippets/examples/ (served under /snippets/).

export const demo = window.ROBOTPAYMENT_DEMO;

export class GraphQLError extends Error {}

/** POST a GraphQL document to the devshop (Saleor's API); throws GraphQLError with Saleor's message. */
export async function graphql(query, variables = {}, token = null) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(demo.saleorApiUrl, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors?.length) throw new GraphQLError(body.errors[0].message);
  return body.data;
}

/** tokenCreate with one of the seeded accounts ("shopper" or "staff"); answers {token, user}. */
export async function signIn(accountName) {
  const account = demo.accounts[accountName];
  const data = await graphql(
    `mutation DemoSignIn($email: String!, $password: String!) {
      tokenCreate(email: $email, password: $password) { token user { email firstName lastName } errors { message } }
    }`,
    { email: account.email, password: account.password },
  );
  if (!data.tokenCreate.token) throw new GraphQLError(data.tokenCreate.errors[0]?.message || "sign-in failed");
  return { token: data.tokenCreate.token, user: data.tokenCreate.user };
}

/** h("tag", {attributes, on: {event: handler}}, ...children): text children are escaped by the DOM. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "on") for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function yen(amount) {
  return `¥${Number(amount).toLocaleString("ja-JP")}`;
}

export function dateTime(iso) {
  return new Date(iso).toLocaleString("ja-JP", { dateStyle: "short", timeStyle: "medium" });
}

/** Shows a message in `box` (kind: ok | error | wait), or hides it with no text. */
export function say(box, text, kind = "ok") {
  box.hidden = !text;
  box.className = `message ${kind}`;
  box.textContent = text || "";
}

/** Marks the page ready for people (and tests) once its first data is shown. */
export function markReady() {
  document.body.dataset.ready = "true";
}
