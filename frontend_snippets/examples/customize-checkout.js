// Customize checkout: the merchant's own card fields (with CVV when the shop uses it) → CPToken.TokenCreate.
import {
  $, chosenPaymentMethod, completeCheckout, markReady, paymentClient, readSettings,
  renderNewCardPaymentMethods, requireSettings, run, showCheckout, showError,
} from "./example.js";

const CARD = {
  number: "#card-number", expiryMonth: "#card-exp-month", expiryYear: "#card-exp-year",
  firstName: "#card-first-name", lastName: "#card-last-name", cvv: "#card-cvv",
};

const settings = readSettings();
if (requireSettings(settings, ["saleorApiUrl", "checkoutId"])) {
  const payments = paymentClient(settings);
  try {
    await showCheckout(settings);
    const config = await payments.initialize({ checkoutId: settings.checkoutId });
    $("#cvv-row").hidden = !config.cvv;
    $("#save-row").hidden = !(settings.token && config.saveCard?.allowed);
    renderNewCardPaymentMethods(config);
  } catch (error) {
    showError(error);
  }
  $("#pay").addEventListener("click", async () => {
    const result = await run(() => payments.payWithNewCard({
      checkoutId: settings.checkoutId, tokenMode: "customize", card: CARD, saveCard: $("#save-card").checked,
      ...chosenPaymentMethod(),
    }), $("#pay"));
    if (result?.status === "charged" || result?.status === "authorized") await completeCheckout(settings);
  });
  markReady();
}
