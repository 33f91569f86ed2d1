/*
 * ROBOT PAYMENT sandbox: EMV3DSAdapter.js (3-D Secure 2.0), served at /gateway/js/EMV3DSAdapter.js.
 *
 * ThreeDSAdapter.authenticate(params, callback): params are {aid, tkn, uid} for a card registration
 * or update, {aid, tkn, am, tx, sf, em, pn} or {aid, tkn, iid, em, pn} for a payment. The gateway
 * records them against the token; the payment or registration that uses the token must send the
 * same values. callback("Success", "") means the call worked, not that 3-D Secure passed: the
 * following payment answers that (ER900 / ER901). A challenge card shows a form in
 * #EMV3DS_INPUT_FORM first. The class "rpemvtds" belongs to the gateway's scripts.
 */
(function (window, document) {
  "use strict";

  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/EMV3DSAdapter\.js(\?|$)/.test(all[i].src)) { return all[i]; }
    }
    return null;
  })();
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

  function communicationError(callback) {
    return function (error) { callback("ER042", "通信エラー (communication error): " + error.message); };
  }

  var STYLE = [
    ".rpemvtds-3ds{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;",
    "justify-content:center;z-index:2147483001;font-family:sans-serif}",
    ".rpemvtds-3ds-box{background:#fff;border-radius:8px;padding:20px 24px;min-width:300px}",
    ".rpemvtds-3ds-box h2{font-size:16px;margin:0 0 8px}",
    ".rpemvtds-3ds-box p{font-size:13px;color:#333}",
    ".rpemvtds-3ds-box input{font-size:16px;padding:6px;width:100%;box-sizing:border-box}",
    ".rpemvtds-3ds-buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:12px}"
  ].join("");

  function challenge(params, hint, callback) {
    var host = document.getElementById("EMV3DS_INPUT_FORM");
    if (!host) {
      host = document.createElement("div");
      host.id = "EMV3DS_INPUT_FORM";
      document.body.appendChild(host);
    }
    if (!document.getElementById("rpemvtds-3ds-style")) {
      var style = document.createElement("style");
      style.id = "rpemvtds-3ds-style";
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    host.innerHTML = "";
    var overlay = document.createElement("div");
    overlay.className = "rpemvtds rpemvtds-3ds";
    var box = document.createElement("div");
    box.className = "rpemvtds rpemvtds-3ds-box";
    box.setAttribute("role", "dialog");
    var title = document.createElement("h2");
    title.textContent = "本人認証 / 3-D Secure (sandbox issuer)";
    var text = document.createElement("p");
    text.textContent = "カード発行会社からのワンタイムパスワードを入力してください. Enter the one-time code (" + hint + ").";
    var input = document.createElement("input");
    input.id = "rpemvtds_otp";
    input.className = "rpemvtds";
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("autocomplete", "one-time-code");
    var buttons = document.createElement("div");
    buttons.className = "rpemvtds rpemvtds-3ds-buttons";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.id = "rpemvtds_otp_cancel";
    cancel.textContent = "キャンセル / Cancel";
    var submit = document.createElement("button");
    submit.type = "button";
    submit.id = "rpemvtds_otp_submit";
    submit.textContent = "認証 / Verify";
    buttons.appendChild(cancel);
    buttons.appendChild(submit);
    box.appendChild(title);
    box.appendChild(text);
    box.appendChild(input);
    box.appendChild(buttons);
    overlay.appendChild(box);
    host.appendChild(overlay);
    input.focus();

    function finish(code) {
      submit.disabled = true;
      cancel.disabled = true;
      post("sandbox/3ds/challenge", { aid: params.aid, tkn: params.tkn, code: code })
        .then(function (answer) {
          host.innerHTML = "";
          callback(answer.resultCode, answer.errMsg);
        }, communicationError(callback));
    }

    submit.addEventListener("click", function () { finish(input.value); });
    // A cancelled challenge is a failed one; the payment will say so.
    cancel.addEventListener("click", function () { finish(""); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); finish(input.value); }
    });
  }

  function authenticate(params, callback) {
    params = params || {};
    post("sandbox/3ds/authenticate", params).then(function (answer) {
      if (answer.resultCode === "Challenge") {
        challenge(params, answer.hint, callback);
      } else {
        callback(answer.resultCode, answer.errMsg);
      }
    }, communicationError(callback));
  }

  window.ThreeDSAdapter = { authenticate: authenticate };
})(window, document);
