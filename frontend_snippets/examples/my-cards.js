// "My cards": list, save, replace and delete the shopper's saved cards (channel-scoped, signed-in shopper).
import { $, markReady, offerSignIn, paymentClient, readSettings, requireSettings, run, showError } from "./example.js";

const settings = readSettings();
if (requireSettings(settings, ["saleorApiUrl", "channel"])) {
  const payments = paymentClient(settings);
  const channel = settings.channel;
  const tokenMode = settings.tokenMode === "customize" ? "customize" : "popup";
  // CVV goes to the gateway only when the shop uses it; the module ignores the field otherwise.
  const card = tokenMode === "customize" ? {
    number: "#card-number", expiryMonth: "#card-exp-month", expiryYear: "#card-exp-year",
    firstName: "#card-first-name", lastName: "#card-last-name", cvv: "#card-cvv",
  } : undefined;
  $("#card-fields").hidden = tokenMode !== "customize";

  const button = (text, action, cardId) => {
    const element = Object.assign(document.createElement("button"), { type: "button", textContent: text });
    element.dataset.action = action;
    element.dataset.card = cardId;
    return element;
  };

  const showCards = async () => {
    try {
      const cards = await payments.listCards({ channel });
      $("#cards").innerHTML = "";
      for (const saved of cards) {
        const item = document.createElement("li");
        item.dataset.card = saved.id;
        const name = Object.assign(document.createElement("span"), { className: "card-name", textContent: saved.name });
        const replace = button("差し替え / Replace", "replace", saved.id);
        replace.onclick = () => act(() => payments.replaceCard({ channel, replaces: saved, card, tokenMode }), replace);
        const remove = button("削除 / Delete", "delete", saved.id);
        remove.onclick = () => act(() => payments.deleteCard({ channel, card: saved }), remove);
        item.append(name, replace, remove);
        $("#cards").append(item);
      }
      $("#no-cards").hidden = cards.length > 0;
    } catch (error) {
      showError(error);
    }
  };

  const act = async (action, origin) => {
    const result = await run(action, origin);
    if (result) await showCards();
  };

  offerSignIn(settings, () => {
    payments.setAccessToken(settings.token);
    showCards();
  });
  $("#add-card").addEventListener("click",
    () => act(() => payments.saveCard({ channel, card, tokenMode }), $("#add-card")));
  if (settings.token) await showCards();
  markReady();
}
