// One-touch checkout: pick a saved card (and instalments when offered); no card entry, no popup.
import {
  $, chosenPaymentMethod, completeCheckout, markReady, offerSignIn, paymentClient, readSettings,
  renderPaymentMethods, requireSettings, run, showCheckout, showError,
} from "./example.js";

const settings = readSettings();
if (requireSettings(settings, ["saleorApiUrl", "checkoutId", "channel"])) {
  const payments = paymentClient(settings);

  const showCards = async () => {
    const cards = await payments.listCards({ channel: settings.channel });
    $("#cards").innerHTML = "";
    cards.forEach((card, index) => {
      const item = document.createElement("li");
      const label = document.createElement("label");
      const radio = Object.assign(document.createElement("input"), { type: "radio", name: "card", value: card.id });
      radio.checked = index === 0;
      label.append(radio, ` ${card.name}`);
      item.append(label);
      $("#cards").append(item);
    });
    $("#no-cards").hidden = cards.length > 0;
  };

  const prepare = async () => {
    try {
      await showCheckout(settings);
      renderPaymentMethods(await payments.initialize({ checkoutId: settings.checkoutId }));
      if (settings.token) await showCards();
    } catch (error) {
      showError(error);
    }
  };

  offerSignIn(settings, () => {
    payments.setAccessToken(settings.token);
    prepare();
  });
  await prepare();
  $("#pay").addEventListener("click", async () => {
    const result = await run(() => payments.payWithSavedCard({
      checkoutId: settings.checkoutId, paymentMethodId: document.querySelector("input[name=card]:checked")?.value,
      ...chosenPaymentMethod(),
    }), $("#pay"));
    if (result?.status === "charged" || result?.status === "authorized") await completeCheckout(settings);
  });
  markReady();
}
