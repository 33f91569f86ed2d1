// Confirmations inside the page. Saleor's dashboard frames apps in a sandbox without allow-modals, where
// window.confirm() answers false at once and shows nothing: a real dashboard would refuse every confirmation.
import { h } from "./dom.js";

/** Ask `message`; resolves true for the confirming button, false for cancel, Escape or a click outside. */
export function confirmInPage(message, { confirmLabel, cancelLabel, danger = false }) {
  const previous = document.activeElement;
  return new Promise((resolve) => {
    let overlay = null;
    const close = (answer) => {
      overlay.remove();
      document.removeEventListener("keydown", onKey, true);
      if (previous instanceof HTMLElement) previous.focus();
      resolve(answer);
    };
    const onKey = (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close(false);
      }
    };
    const confirmButton = h(
      "button",
      { type: "button", class: danger ? "danger confirm" : "confirm", onclick: () => close(true) },
      confirmLabel,
    );
    const cancelButton = h("button", { type: "button", class: "secondary cancel", onclick: () => close(false) }, cancelLabel);
    const dialog = h(
      "div",
      { class: "confirm-dialog", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "confirm-message" },
      h("p", { id: "confirm-message" }, message),
      h("div", { class: "actions" }, cancelButton, confirmButton),
    );
    overlay = h(
      "div",
      { id: "confirm-overlay", class: "confirm-overlay", onclick: (event) => event.target === overlay && close(false) },
      dialog,
    );
    document.body.append(overlay);
    document.addEventListener("keydown", onKey, true);
    confirmButton.focus();
  });
}
