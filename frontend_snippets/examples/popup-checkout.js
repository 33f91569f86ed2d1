// Popup checkout: the gateway's CPToken.CardInfo form collects the card; optionally the card is saved.
import {
  $, chosenPaymentMethod, completeCheckout, markReady, paymentClient, readSettings,
  renderNewCardPaymentMethods, requireSettings, run, showCheckout, showError,
} from "./example.js";

const settings = readSettings();
if (requireSettings(settings, ["saleorApiUrl", "checkoutId"])) {
  const payments = paymentClient(settings);
  try {
    await showCheckout(settings);
    const config = await payments.initialize({ checkoutId: settings.checkoutId });
    $("#save-row").hidden = !(settings.token && config.saveCard?.allowed);
    renderNewCardPaymentMethods(config);
  } catch (error) {
    showError(error);
  }
  $("#pay").addEventListener("click", async () => {
    const result = await run(() => payments.payWithNewCard({
      checkoutId: settings.checkoutId, tokenMode: "popup", saveCard: $("#save-card").checked,
      ...chosenPaymentMethod(),
    }), $("#pay"));
    if (result?.status === "charged" || result?.status === "authorized") await completeCheckout(settings);
  });
  markReady();
}
