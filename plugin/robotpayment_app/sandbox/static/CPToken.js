/*
 * ROBOT PAYMENT sandbox: CPToken.js (token creation), served at /gateway/js/CPToken.js.
 *
 * Same API as the real script:
 *   CPToken.TokenCreate({aid, cn, ed, fn, ln, cvv}, callback)  -- customize method
 *   CPToken.CardInfo({aid}, callback)                           -- popup method, form in #CARD_INPUT_FORM
 * On success the token is written into the element #tkn and callback("Success", "") is called;
 * otherwise callback(errorCode, message). The card number goes from the shopper's browser to the
 * gateway only. No jQuery needed. The class "rpemvtds" belongs to the gateway's scripts.
 */
(function (window, document) {
  "use strict";

  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/CPToken\.js(\?|$)/.test(all[i].src)) { return all[i]; }
    }
    return null;
  })();
  // .../gateway/js/CPToken.js -> .../gateway/
  var gatewayBase = new URL("../", script ? script.src : window.location.href).href;

  function post(path, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (name) {
      var value = fields[name];
      if (value !== undefined && value !== null) { body.append(name, String(value)); }
    });
    return fetch(gatewayBase + path, { method: "POST", body: body, mode: "cors", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function setToken(value) {
    var element = document.getElementById("tkn");
    if (element) { element.value = value; }
  }

  function TokenCreate(request, callback) {
    request = request || {};
    post("sandbox/token", {
      aid: request.aid, cn: request.cn, ed: request.ed, fn: request.fn, ln: request.ln, cvv: request.cvv
    }).then(function (answer) {
      if (answer.resultCode === "Success") { setToken(answer.tkn); }
      callback(answer.resultCode, answer.errMsg);
    }, function (error) {
      callback("ER042", "通信エラー (communication error): " + error.message);
    });
  }

  var STYLE = [
    ".rpemvtds-overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;",
    "align-items:center;justify-content:center;z-index:2147483000;font-family:sans-serif}",
    ".rpemvtds-dialog{background:#fff;border-radius:8px;padding:20px 24px;min-width:320px;",
    "box-shadow:0 8px 30px rgba(0,0,0,.3)}",
    ".rpemvtds-dialog h2{font-size:16px;margin:0 0 12px}",
    ".rpemvtds-dialog label{display:block;font-size:12px;margin:8px 0 2px;color:#333}",
    ".rpemvtds-dialog input{font-size:14px;padding:6px;border:1px solid #aaa;border-radius:4px;",
    "box-sizing:border-box;width:100%}",
    ".rpemvtds-row{display:flex;gap:8px}",
    ".rpemvtds-error{color:#b00020;font-size:12px;min-height:16px;margin-top:8px}",
    ".rpemvtds-buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:12px}",
    ".rpemvtds-buttons button{padding:6px 14px;font-size:14px}"
  ].join("");

  function ensureStyle() {
    if (document.getElementById("rpemvtds-style")) { return; }
    var style = document.createElement("style");
    style.id = "rpemvtds-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  function field(parent, id, label, attributes) {
    var wrapper = document.createElement("div");
    var labelElement = document.createElement("label");
    labelElement.htmlFor = id;
    labelElement.textContent = label;
    // No name attribute: the card data must never be submitted with the merchant's form.
    var input = document.createElement("input");
    input.id = id;
    input.className = "rpemvtds";
    Object.keys(attributes || {}).forEach(function (key) { input.setAttribute(key, attributes[key]); });
    wrapper.appendChild(labelElement);
    wrapper.appendChild(input);
    parent.appendChild(wrapper);
    return input;
  }

  function CardInfo(request, callback) {
    request = request || {};
    var host = document.getElementById("CARD_INPUT_FORM");
    if (!host) { callback("ER001", "#CARD_INPUT_FORM がありません (no #CARD_INPUT_FORM element)"); return; }
    ensureStyle();
    host.innerHTML = "";
    var overlay = document.createElement("div");
    overlay.className = "rpemvtds rpemvtds-overlay";
    var dialog = document.createElement("div");
    dialog.className = "rpemvtds rpemvtds-dialog";
    dialog.setAttribute("role", "dialog");
    var title = document.createElement("h2");
    title.textContent = "クレジットカード情報の入力 (ROBOT PAYMENT sandbox)";
    dialog.appendChild(title);
    var number = field(dialog, "rpemvtds_cn", "カード番号 / Card number",
      { inputmode: "numeric", autocomplete: "cc-number", maxlength: "19" });
    var row = document.createElement("div");
    row.className = "rpemvtds rpemvtds-row";
    var month = field(row, "rpemvtds_ed_month", "有効期限 月 / Month (MM)",
      { inputmode: "numeric", maxlength: "2", placeholder: "MM" });
    var year = field(row, "rpemvtds_ed_year", "有効期限 年 / Year (YY)",
      { inputmode: "numeric", maxlength: "2", placeholder: "YY" });
    dialog.appendChild(row);
    var firstName = field(dialog, "rpemvtds_fn", "カード名義 名 / First name", { autocomplete: "cc-given-name" });
    var lastName = field(dialog, "rpemvtds_ln", "カード名義 姓 / Last name", { autocomplete: "cc-family-name" });
    var cvv = field(dialog, "rpemvtds_cvv", "セキュリティコード / CVV", { inputmode: "numeric", maxlength: "4" });
    var message = document.createElement("div");
    message.id = "rpemvtds_error";
    message.className = "rpemvtds rpemvtds-error";
    dialog.appendChild(message);
    var buttons = document.createElement("div");
    buttons.className = "rpemvtds rpemvtds-buttons";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.id = "rpemvtds_cancel";
    cancel.textContent = "キャンセル / Cancel";
    var submit = document.createElement("button");
    submit.type = "button";
    submit.id = "rpemvtds_submit";
    submit.textContent = "確定 / Submit";
    buttons.appendChild(cancel);
    buttons.appendChild(submit);
    dialog.appendChild(buttons);
    overlay.appendChild(dialog);
    host.appendChild(overlay);
    number.focus();

    function close() { host.innerHTML = ""; }

    function send() {
      submit.disabled = true;
      message.textContent = "";
      TokenCreate({
        aid: request.aid,
        cn: number.value,
        ed: year.value + month.value,
        fn: firstName.value,
        ln: lastName.value,
        cvv: cvv.value
      }, function (resultCode, errMsg) {
        submit.disabled = false;
        if (resultCode === "Success") {
          close();
          callback(resultCode, errMsg);
        } else {
          // Wrong input: the shopper corrects it in the popup.
          message.textContent = resultCode + " " + errMsg;
        }
      });
    }

    submit.addEventListener("click", send);
    cancel.addEventListener("click", function () {
      close();
      callback("CANCEL", "キャンセルされました (cancelled by the shopper)");
    });
    // Enter inside the popup must not submit the merchant's surrounding form.
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); send(); }
    });
  }

  window.CPToken = { CardInfo: CardInfo, TokenCreate: TokenCreate };
})(window, document);
