// The shop: sign in as the seeded shopper, list the products, and "buy" = checkoutCreate, then the example
// checkout pages (frontend_snippets/examples/) take over with this checkout's id and the shopper's token.
import { demo, graphql, h, markReady, say, signIn, yen } from "./demo.js";

const PRODUCTS = `query DemoProducts($channel: String!) {
  products(channel: $channel, first: 50) { edges { node {
    id name description
    variants { id name pricing { price { gross { amount currency } } } }
  } } }
}`;
const CHECKOUT_CREATE = `mutation DemoCheckout($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id totalPrice { gross { amount currency } } lines { quantity variant { name product { name } } } }
    errors { field message }
  }
}`;
const SAVED_CARDS = `query DemoSavedCards($channel: String!) { me { storedPaymentMethods(channel: $channel) { id name } } }`;
const GUEST_EMAIL = "guest@example.com";
const MARKS = ["衣", "茶", "布", "器", "品"]; // drawn with the page font: no emoji font needed

const $ = (id) => document.getElementById(id);
let shopper = null; // {token, user} while signed in

function description(json) {
  try {
    return JSON.parse(json).blocks.map((block) => block.data.text).join(" ");
  } catch {
    return "";
  }
}

async function showAccount() {
  $("sign-out").hidden = !shopper;
  $("sign-in").hidden = Boolean(shopper);
  $("saved-cards").textContent = "";
  const myCards = new URL("/snippets/examples/my-cards.html", window.location.href);
  if (!shopper) {
    $("who").textContent = `ゲスト（${GUEST_EMAIL}） / Guest`;
    $("my-cards-link").href = myCards.pathname;
    return;
  }
  const { user, token } = shopper;
  $("who").textContent = `${user.lastName} ${user.firstName} 様（${user.email}）でサインイン中 / Signed in`;
  myCards.searchParams.set("token", token);
  $("my-cards-link").href = myCards.pathname + myCards.search;
  const data = await graphql(SAVED_CARDS, { channel: demo.channel }, token);
  const cards = data.me?.storedPaymentMethods || [];
  $("saved-cards").textContent = cards.length
    ? `保存済みカード / Saved cards: ${cards.map((card) => card.name).join(", ")}`
    : "保存済みカードなし / No saved cards yet";
}

function examplePage(name, checkoutId) {
  const url = new URL(`/snippets/examples/${name}`, window.location.href);
  url.searchParams.set("checkoutId", checkoutId);
  if (shopper) url.searchParams.set("token", shopper.token);
  return url.pathname + url.search;
}

function showCheckout(checkout) {
  const total = checkout.totalPrice.gross;
  const lines = checkout.lines.map((line) => `${line.variant.product.name}（${line.variant.name}）× ${line.quantity}`);
  $("checkout-summary").textContent = `${lines.join("、")} — 合計 / Total ${yen(total.amount)}`;
  const choices = [
    ["popup-checkout.html", "ポップアップで支払う", "Pay in the gateway's card popup; optionally save the card"],
    ["customize-checkout.html", "カード入力フォームで支払う", "Pay with the shop's own card fields (customize mode)"],
  ];
  if (shopper) {
    choices.push(["saved-card-checkout.html", "保存したカードでワンタッチ", "Pay in one touch with a saved card"]);
  }
  $("pay-choices").replaceChildren(
    ...choices.map(([page, ja, en]) =>
      h("a", { href: examplePage(page, checkout.id), "data-page": page }, h("strong", {}, ja), h("span", { class: "muted" }, en)),
    ),
  );
  $("checkout").hidden = false;
  $("checkout").scrollIntoView({ behavior: "smooth" });
}

async function buy(variantId, quantity) {
  say($("error"), "");
  const input = { channel: demo.channel, lines: [{ variantId, quantity }] };
  if (!shopper) input.email = GUEST_EMAIL;
  try {
    const data = await graphql(CHECKOUT_CREATE, { input }, shopper?.token);
    const result = data.checkoutCreate;
    if (result.errors.length) throw new Error(result.errors[0].message);
    showCheckout(result.checkout);
  } catch (error) {
    say($("error"), `購入できませんでした / Could not create the checkout: ${error.message}`, "error");
  }
}

function productCard(product, index) {
  const variants = product.variants || [];
  const select = h("select", { "aria-label": "種類 / Variant" },
    variants.map((variant) => h("option", { value: variant.id }, `${variant.name} — ${yen(variant.pricing.price.gross.amount)}`)));
  const quantity = h("input", { type: "number", min: 1, max: 9, value: 1, "aria-label": "数量 / Quantity", size: 3 });
  const price = h("div", { class: "price" });
  const showPrice = () => {
    const variant = variants.find((v) => v.id === select.value);
    price.textContent = variant ? yen(variant.pricing.price.gross.amount) : "";
  };
  select.addEventListener("change", showPrice);
  showPrice();
  const button = h("button", { class: "primary", type: "button", on: { click: () => buy(select.value, Number(quantity.value) || 1) } },
    "購入する / Buy");
  return h("article", { class: "panel product", "data-product": product.name },
    h("div", { class: "swatch", "aria-hidden": "true" }, MARKS[index % MARKS.length]),
    h("h3", {}, product.name),
    h("p", { class: "muted" }, description(product.description)),
    price,
    h("div", { class: "bar" }, select, quantity, button));
}

function showTestCards() {
  const rows = (demo.testCards || []).map((card) =>
    h("tr", {}, h("td", { class: "mono" }, card.number), h("td", {}, card.note)));
  document.querySelector("#test-cards tbody").replaceChildren(...rows);
}

async function start() {
  showTestCards();
  $("sign-out").addEventListener("click", () => { shopper = null; $("checkout").hidden = true; showAccount(); });
  $("sign-in").addEventListener("click", async () => { shopper = await signIn("shopper"); $("checkout").hidden = true; showAccount(); });
  try {
    shopper = await signIn("shopper");
    const [data] = await Promise.all([graphql(PRODUCTS, { channel: demo.channel }, shopper.token), showAccount()]);
    $("products").replaceChildren(...data.products.edges.map((edge, index) => productCard(edge.node, index)));
  } catch (error) {
    say($("error"), `デモに接続できません / The demo does not answer: ${error.message}`, "error");
  }
  markReady();
}

start();
