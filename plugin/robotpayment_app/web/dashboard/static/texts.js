// The page's words in English and Japanese, and how it writes times and amounts. Messages that come from the
// API (field errors, connection test details) are shown as the API words them.

/** "ja", "ja-JP", "ja_JP" -> Japanese; anything else -> English. */
export function languageOf(locale) {
  return /^ja(?:[-_]|$)/i.test(String(locale || "").trim()) ? "ja" : "en";
}

const EN = {
  "page.title": "ROBOT PAYMENT",
  "gate.waiting.title": "Waiting for the Saleor dashboard",
  "gate.waiting.text":
    "This page configures the ROBOT PAYMENT app for your shop. It works only inside the Saleor dashboard " +
    "(Apps → ROBOT PAYMENT), which tells it who you are. If nothing happens, reload the dashboard.",
  "gate.notFramed.title": "Open this page from the Saleor dashboard",
  "gate.notFramed.text":
    "This page was opened on its own. Open the Saleor dashboard, go to Apps and choose ROBOT PAYMENT.",
  "gate.noShop.title": "The dashboard did not say which shop this is",
  "gate.noShop.text":
    "The page address lacks the saleorApiUrl parameter. Open the app from the Saleor dashboard rather than by " +
    "its address.",
  "gate.refused.title": "The app could not confirm who you are",
  "gate.refused.text":
    "The app refused the dashboard's token, so nothing is shown. Reload the dashboard to get a new token; if " +
    "this goes on, check that the app is installed for this shop (or reinstall it).",
  "gate.forbidden.title": "You need more permissions",
  "gate.forbidden.text":
    "The ROBOT PAYMENT settings, the result notification URL and the payments are shown only to staff with both " +
    "the MANAGE_APPS and HANDLE_PAYMENTS permissions. A Saleor administrator grants them under Configuration → " +
    "Permission Groups.",
  "gate.missing": "Missing: {permissions}",
  "gate.unreachable.title": "The app does not answer",
  "gate.unreachable.text": "The page could not reach the app's server. Check that the app is running, then reload.",
  "gate.reason": "Reason: {reason}",
  "gate.ignored":
    "A message from {origin} was ignored: this page accepts the dashboard only from {expected}, the page that " +
    "opened it.",
  "gate.noReferrer":
    "A message from {origin} was ignored: the page that opened this one did not say its address (its " +
    "Referrer-Policy is no-referrer), so no dashboard can be recognised.",
  "gate.notAJwt": "the dashboard's token is not a JWT",
  "viewer.signedIn": "Signed in as {email}",
  "viewer.readOnly": "You can view this configuration. Changing it needs the HANDLE_PAYMENTS permission.",
  "channels.title": "Channels",
  "channels.intro": "Each Saleor channel that takes card payments through ROBOT PAYMENT has its own settings.",
  "channels.none": "No channel is configured yet: add one by its slug.",
  "channels.add.label": "Channel slug",
  "channels.add.button": "Add channel",
  "channels.add.help": "Saleor shows a channel's slug under Configuration → Channels.",
  "channels.add.invalid": "Enter the channel's slug (no spaces).",
  "channels.pick.label": "Channel",
  "channels.pick.help": "The shop's channels, as Saleor lists them. ROBOT PAYMENT takes yen only.",
  "channels.pick.notYen": "{currency}: ROBOT PAYMENT takes yen only",
  "channels.pick.noneInYen": "No other channel of the shop is in yen: ROBOT PAYMENT takes yen (JPY) only.",
  "channels.pick.allConfigured": "Every channel of the shop is configured.",
  "flow.AUTHORIZATION": "Saleor's channel {name} authorises: payments are 仮売上 (AUTH), captured later from the order.",
  "flow.CHARGE": "Saleor's channel {name} charges: payments are 即時売上 (CAPTURE), captured at once.",
  "flow.unknown": "Saleor's setting for this channel decides whether payments are authorised or charged.",
  "flow.where": "Change it in Saleor: Configuration → Channels → {name} → Transaction flow strategy. (In product mode, the product's own setting decides.)",
  "flow.disagrees": "This app's former setting for the channel was {former}; payments now follow Saleor's setting above. To keep {former}, change Saleor's transaction flow strategy.",
  "channels.unsaved": "not saved yet",
  "form.title": "Settings of channel {slug}",
  "field.storeId": "Store ID (店舗ID)",
  "field.storeId.help": "Six digits, shown in the ROBOT PAYMENT control panel.",
  "field.gatewayBaseUrl": "Gateway base URL",
  "field.gatewayBaseUrl.help":
    "https://credit.j-payment.co.jp/gateway/ for live and test stores; a sandbox address for development.",
  "field.jobType": "When payments are captured",
  "option.jobType.AUTH": "Authorise now, capture later from the order (AUTH)",
  "option.jobType.CAPTURE": "Capture at once (CAPTURE)",
  "field.tokenMode": "Card entry",
  "option.tokenMode.POPUP": "The gateway's popup window",
  "option.tokenMode.CUSTOMIZE": "The shop's own card form",
  "field.paymentMethods": "Payment methods",
  "option.paymentMethods.LUMP_SUM": "Lump sum",
  "option.paymentMethods.INSTALLMENTS": "Instalments",
  "option.paymentMethods.REVOLVING": "Revolving",
  "field.installmentCounts": "Instalment counts offered",
  "option.installmentCounts": "{count} payments",
  "field.productMode": "Product mode: charge products registered at ROBOT PAYMENT (iid) instead of amounts",
  "field.productJobType": "What the product is set to in the ROBOT PAYMENT control panel (商品登録 → 売上区分)",
  "option.productJobType.AUTH": "仮売上 (AUTH): capture later from the order",
  "option.productJobType.CAPTURE": "即時売上 (CAPTURE): captured at once",
  "check.productJobType": "Choose what the product is set to in the control panel: a wrong choice leaves payments uncaptured.",
  "field.productCodeMetadataKey": "Metadata key holding the product code",
  "field.productCodeMetadataKey.help": "Give each product or variant in Saleor this metadata key, with its iid as value.",
  "field.saveCardsAllowed": "Shoppers may save cards for one-touch payments",
  "field.cvvRequired": "Ask for the card's security code (CVV)",
  "field.splitTaxAndShipping": "Send tax and shipping as separate amounts (tx, sf)",
  "check.storeId": "Enter the six-digit store ID.",
  "check.gatewayBaseUrl": "Enter an http(s) address, such as https://credit.j-payment.co.jp/gateway/.",
  "check.paymentMethods": "Enable at least one payment method.",
  "check.installmentCounts": "Choose the instalment counts to offer.",
  "check.productCodeMetadataKey": "Enter the metadata key (1 to 256 characters).",
  "form.save": "Save",
  "form.saving": "Saving…",
  "form.saved": "Saved.",
  "form.notSaved": "Not saved: correct the fields marked above.",
  "confirm.ok": "Yes, go ahead",
  "confirm.cancel": "Cancel",
  "form.delete": "Remove this channel's settings",
  "form.sharedStoreConfirm": "{message}\n\nConnect this store to this shop as well?",
  "form.deleteConfirm": "Remove the ROBOT PAYMENT settings of channel {slug}? The channel stops offering card payments.",
  "form.deleted": "The settings of channel {slug} were removed.",
  "form.failed": "The request failed: {message}",
  "connection.button": "Test connection",
  "connection.testing": "Testing…",
  "connection.note": "The test reads a customer that does not exist: it moves no money and changes nothing.",
  "connection.code": "Gateway code: {code}",
  "connection.status.OK": "Connected",
  "connection.status.IP_NOT_ALLOWED": "This server's IP address is not allowed",
  "connection.status.UNKNOWN_STORE": "Unknown store ID",
  "connection.status.TOKEN_PAYMENTS_NOT_ENABLED": "Token payments are not enabled for this store",
  "connection.status.ACCOUNT_SUSPENDED": "The store is suspended",
  "connection.status.GATEWAY_BUSY": "The gateway is busy",
  "connection.status.UNREACHABLE": "The gateway cannot be reached",
  "connection.status.NOT_A_GATEWAY": "This is not the ROBOT PAYMENT gateway",
  "connection.status.REFUSED": "The gateway refused the test",
  "connection.status.INVALID_INPUT": "Nothing was sent",
  "kickbacks.title": "Result notifications (kickbacks)",
  "kickbacks.urlLabel": "Result notification URL (決済結果通知URL)",
  "kickbacks.urlHelp":
    "Paste this address into the ROBOT PAYMENT control panel as 決済結果通知URL. It contains a secret: share it " +
    "with no one else.",
  "kickbacks.copy": "Copy",
  "kickbacks.copied": "Copied",
  "kickbacks.copyFailed": "Select the address and copy it with Ctrl+C.",
  "kickbacks.none": "No notification received yet.",
  "kickbacks.col.time": "Received",
  "kickbacks.col.gid": "Payment number (gid)",
  "kickbacks.col.result": "Result",
  "kickbacks.col.amount": "Amount",
  "kickbacks.col.matched": "Matched",
  "kickbacks.col.state": "What the app did",
  "kickbacks.state.RECEIVED": "Being processed",
  "kickbacks.state.IGNORED": "Ignored",
  "kickbacks.state.HELD": "Held (a claim, checked before it may settle a payment)",
  "kickbacks.state.APPLIED": "Settled a payment whose answer was lost",
  "kickbacks.state.CONFIRMED": "Agrees with the gateway's answer",
  "kickbacks.state.CONFLICT": "Disagrees: the payment is frozen",
  "kickbacks.rotate": "Make a new URL",
  "kickbacks.rotateConfirm":
    "Make a new result notification URL? The current one is refused from then on: until you paste the new one " +
    "into the ROBOT PAYMENT control panel, notifications are lost.",
  "kickbacks.rotated":
    "New URL made; the old one is refused from now on. Copy it and paste it into the ROBOT PAYMENT control panel " +
    "(決済結果通知設定 → 決済結果通知URL) now.",
  "payments.col.settledBy": "Settled by",
  "payments.settledBy.ANSWER": "Gateway's answer",
  "payments.settledBy.NOTIFICATION": "Result notification (a claim)",
  "payments.settledBy.STAFF": "A person",
  "payments.settledBy.STAFF_NAMED": "{name}",
  "payments.settledBy.CONFLICT": "In conflict",
  "attention.title": "Payments waiting for you",
  "attention.intro":
    "The gateway's answer never came, or its notifications disagreed: the app cannot know whether money moved. " +
    "Look each one up in the ROBOT PAYMENT control panel as described, then record what you found. Saleor is told.",
  "attention.none": "Nothing waits for you.",
  "attention.overdue": "Waiting too long",
  "attention.state.noOutcome": "outcome unknown",
  "attention.state.inFlight": "still in flight",
  "attention.state.conflict": "notifications disagree",
  "attention.wait": "The app is still waiting for the gateway's answer. Look again in a minute.",
  "attention.readOnly": "Staff with the HANDLE_PAYMENTS permission record the finding.",
  "attention.fact.time": "Time",
  "attention.fact.transaction": "Saleor transaction",
  "attention.fact.orderCode": "Order code (店舗オーダー番号)",
  "attention.fact.gid": "Payment number (gid)",
  "attention.fact.card": "Card",
  "attention.fact.error": "Error",
  "attention.fact.conflict": "Conflict",
  "attention.fact.notifications": "Notifications",
  "attention.gid.label": "Payment number (決済番号, gid), if it went through",
  "attention.gid.invalid": "Enter the payment number shown in the control panel: 1 to 20 digits.",
  "attention.reason.label": "What you found, and where",
  "attention.reason.missing": "Say what you found (kept with your decision).",
  "attention.reason.tooLong": "At most 500 characters.",
  "attention.done.charged": "It was charged",
  "attention.notDone.charged": "It was not charged",
  "attention.done.capture": "It was captured",
  "attention.notDone.capture": "It was not captured",
  "attention.done.cancel": "It was cancelled",
  "attention.notDone.cancel": "It was not cancelled",
  "attention.done.refund": "It was refunded",
  "attention.notDone.refund": "It was not refunded",
  "attention.confirm": "Record for #{id}: \"{finding}\"? Saleor is told, and this cannot be undone.",
  "attention.resolved": "#{id} recorded: {finding}.",
  "attention.told": "Saleor was told {event}.",
  "attention.toldLater": "Saleor did not answer; the app tells it {event} as soon as it does.",
  "attention.alreadyShown": "Saleor already shows this outcome.",
  "kickbacks.result.success": "Success",
  "kickbacks.result.failure": "Failure",
  "kickbacks.matched.yes": "Matched a payment",
  "kickbacks.matched.no": "Not matched",
  "payments.title": "Recent payments",
  "payments.intro": "One row per call to the gateway that moves money, newest first.",
  "payments.none": "No payment yet.",
  "payments.unresolved":
    "{count} of these have no final outcome yet (pending or unknown): check them in the ROBOT PAYMENT control " +
    "panel before acting on the order.",
  "payments.col.time": "Time",
  "payments.col.kind": "Operation",
  "payments.col.status": "Status",
  "payments.col.amount": "Amount",
  "payments.col.gid": "Payment number (gid)",
  "payments.col.error": "Error",
  "payments.kind.PAYMENT": "Payment",
  "payments.kind.CAPTURE": "Capture",
  "payments.kind.CANCEL": "Cancel",
  "payments.kind.REFUND": "Refund",
  "payments.kind.CARD_REGISTRATION": "Card registration",
  "payments.status.PENDING": "Pending",
  "payments.status.SUCCEEDED": "Succeeded",
  "payments.status.DECLINED": "Declined",
  "payments.status.UNKNOWN": "Outcome unknown",
  "payments.status.FAILED_BEFORE_SEND": "Not sent",
  "activity.refresh": "Refresh",
};

const JA = {
  "page.title": "ROBOT PAYMENT",
  "gate.waiting.title": "Saleorダッシュボードからの接続を待っています",
  "gate.waiting.text":
    "このページはショップのROBOT PAYMENTアプリを設定します。Saleorダッシュボード(アプリ → ROBOT PAYMENT)の中でのみ" +
    "動作し、ダッシュボードがあなたを確認します。何も表示されない場合はダッシュボードを再読み込みしてください。",
  "gate.notFramed.title": "Saleorダッシュボードから開いてください",
  "gate.notFramed.text": "このページは単独で開かれています。Saleorダッシュボードの「アプリ」からROBOT PAYMENTを選んでください。",
  "gate.noShop.title": "ダッシュボードからショップの情報が渡されていません",
  "gate.noShop.text":
    "ページのアドレスにsaleorApiUrlパラメータがありません。アドレスを直接開かず、Saleorダッシュボードからアプリを開いてください。",
  "gate.refused.title": "ユーザーを確認できませんでした",
  "gate.refused.text":
    "アプリがダッシュボードのトークンを受け付けなかったため、何も表示しません。ダッシュボードを再読み込みして新しいトークンを" +
    "取得してください。解決しない場合は、このショップにアプリがインストールされているか確認(または再インストール)してください。",
  "gate.forbidden.title": "権限が不足しています",
  "gate.forbidden.text":
    "ROBOT PAYMENTの設定、決済結果通知URL、決済の一覧は、MANAGE_APPS と HANDLE_PAYMENTS の両方の権限を持つスタッフにのみ表示されます。" +
    "Saleorの管理者が「設定 → 権限グループ」で付与できます。",
  "gate.missing": "不足している権限: {permissions}",
  "gate.unreachable.title": "アプリが応答しません",
  "gate.unreachable.text": "アプリのサーバーに接続できませんでした。アプリが起動しているか確認し、再読み込みしてください。",
  "gate.reason": "理由: {reason}",
  "gate.ignored":
    "{origin} からのメッセージは無視しました。このページは、このページを開いた {expected} のダッシュボードからのみ受け付けます。",
  "gate.noReferrer":
    "{origin} からのメッセージは無視しました。このページを開いたページがアドレスを伝えていない（Referrer-Policy が " +
    "no-referrer）ため、ダッシュボードを確認できません。",
  "gate.notAJwt": "ダッシュボードのトークンがJWTではありません",
  "viewer.signedIn": "{email} としてログイン中",
  "viewer.readOnly": "設定を表示できます。変更にはHANDLE_PAYMENTS権限が必要です。",
  "channels.title": "チャンネル設定",
  "channels.intro": "ROBOT PAYMENTでカード決済を受け付けるSaleorチャンネルごとに設定します。",
  "channels.none": "設定済みのチャンネルはまだありません。チャンネルのスラッグを入力して追加してください。",
  "channels.add.label": "チャンネルのスラッグ",
  "channels.pick.label": "チャンネル",
  "channels.pick.help": "Saleorに登録されたショップのチャンネルです。ROBOT PAYMENTは円建てのみ対応します。",
  "channels.pick.notYen": "{currency}: ROBOT PAYMENTは円のみ対応",
  "channels.pick.noneInYen": "円建ての未設定チャンネルはありません(ROBOT PAYMENTは円(JPY)のみ対応)。",
  "channels.pick.allConfigured": "すべてのチャンネルが設定済みです。",
  "flow.AUTHORIZATION": "Saleorのチャンネル {name} は「オーソリ」です: 決済は仮売上(AUTH)となり、注文画面から後で売上確定します。",
  "flow.CHARGE": "Saleorのチャンネル {name} は「チャージ」です: 決済は即時売上(CAPTURE)となります。",
  "flow.unknown": "決済を仮売上にするか即時売上にするかは、Saleorのチャンネル設定で決まります。",
  "flow.where": "変更はSaleorで: 設定 → チャンネル → {name} → Transaction flow strategy。(商品登録モードでは商品の設定に従います。)",
  "flow.disagrees": "このアプリでの以前の設定は {former} でした。決済は現在、上記のSaleorの設定に従います。{former} を続けるには、Saleorのtransaction flow strategyを変更してください。",
  "channels.add.button": "チャンネルを追加",
  "channels.add.help": "スラッグはSaleorの「設定 → チャンネル」で確認できます。",
  "channels.add.invalid": "チャンネルのスラッグを入力してください(空白は使えません)。",
  "channels.unsaved": "未保存",
  "form.title": "チャンネル {slug} の設定",
  "field.storeId": "店舗ID",
  "field.storeId.help": "ROBOT PAYMENT管理画面に表示される6桁の番号です。",
  "field.gatewayBaseUrl": "ゲートウェイURL",
  "field.gatewayBaseUrl.help": "本番・テスト店舗とも https://credit.j-payment.co.jp/gateway/ です(開発時はサンドボックスのアドレス)。",
  "field.jobType": "売上計上のタイミング",
  "option.jobType.AUTH": "仮売上(AUTH):注文画面から後で売上確定",
  "option.jobType.CAPTURE": "即時売上(CAPTURE)",
  "field.tokenMode": "カード情報の入力方式",
  "option.tokenMode.POPUP": "ゲートウェイのポップアップ画面",
  "option.tokenMode.CUSTOMIZE": "ショップ独自の入力フォーム",
  "field.paymentMethods": "支払方法",
  "option.paymentMethods.LUMP_SUM": "一括払い",
  "option.paymentMethods.INSTALLMENTS": "分割払い",
  "option.paymentMethods.REVOLVING": "リボ払い",
  "field.installmentCounts": "分割回数",
  "option.installmentCounts": "{count}回",
  "field.productMode": "商品登録モード:金額ではなくROBOT PAYMENTに登録した商品(iid)で決済する",
  "field.productJobType": "ROBOT PAYMENT管理画面での商品の設定(商品登録 → 売上区分)",
  "option.productJobType.AUTH": "仮売上(AUTH):注文画面から後で売上確定",
  "option.productJobType.CAPTURE": "即時売上(CAPTURE)",
  "check.productJobType": "管理画面での商品の設定を選択してください。誤ると売上確定されないままになります。",
  "field.productCodeMetadataKey": "商品コードを持つメタデータのキー",
  "field.productCodeMetadataKey.help": "Saleorの各商品(またはバリアント)にこのキーのメタデータを設定し、値にiidを入れてください。",
  "field.saveCardsAllowed": "ワンタッチ決済用のカード保存を許可する",
  "field.cvvRequired": "セキュリティコード(CVV)の入力を求める",
  "field.splitTaxAndShipping": "税額・送料を別項目(tx, sf)で送信する",
  "check.storeId": "6桁の店舗IDを入力してください。",
  "check.gatewayBaseUrl": "https://credit.j-payment.co.jp/gateway/ のような http(s) のアドレスを入力してください。",
  "check.paymentMethods": "支払方法を1つ以上選んでください。",
  "check.installmentCounts": "分割回数を選んでください。",
  "check.productCodeMetadataKey": "メタデータのキーを入力してください(1〜256文字)。",
  "form.save": "保存",
  "form.saving": "保存中…",
  "form.saved": "保存しました。",
  "form.notSaved": "保存されていません。上の印の付いた項目を修正してください。",
  "confirm.ok": "実行する",
  "confirm.cancel": "キャンセル",
  "form.delete": "このチャンネルの設定を削除",
  "form.sharedStoreConfirm": "{message}\n\nこの店舗をこのショップにも接続しますか?",
  "form.deleteConfirm": "チャンネル {slug} のROBOT PAYMENT設定を削除しますか?このチャンネルではカード決済ができなくなります。",
  "form.deleted": "チャンネル {slug} の設定を削除しました。",
  "form.failed": "リクエストに失敗しました: {message}",
  "connection.button": "接続テスト",
  "connection.testing": "テスト中…",
  "connection.note": "存在しない顧客を照会するだけのテストです。決済も設定の変更も発生しません。",
  "connection.code": "エラーコード: {code}",
  "connection.status.OK": "接続できました",
  "connection.status.IP_NOT_ALLOWED": "このサーバーのIPアドレスが許可されていません",
  "connection.status.UNKNOWN_STORE": "店舗IDが見つかりません",
  "connection.status.TOKEN_PAYMENTS_NOT_ENABLED": "この店舗ではトークン決済が有効になっていません",
  "connection.status.ACCOUNT_SUSPENDED": "店舗が停止されています",
  "connection.status.GATEWAY_BUSY": "ゲートウェイが混雑またはメンテナンス中です",
  "connection.status.UNREACHABLE": "ゲートウェイに接続できません",
  "connection.status.NOT_A_GATEWAY": "ROBOT PAYMENTのゲートウェイではありません",
  "connection.status.REFUSED": "ゲートウェイがテストを拒否しました",
  "connection.status.INVALID_INPUT": "送信していません",
  "connection.advice.IP_NOT_ALLOWED":
    "ROBOT PAYMENT管理画面の「決済データ送信元IP」に、このアプリのサーバーが外部接続に使う公開IPアドレスを追加してください。" +
    "NAT・プロキシ・クラウドのロードバランサー経由の場合は、その出口(NATゲートウェイ)のアドレスです。固定の出口IPがない場合は" +
    "ホスティング事業者に固定IPを依頼してください。追加後にもう一度テストしてください。",
  "connection.advice.UNKNOWN_STORE":
    "ROBOT PAYMENT管理画面から6桁の店舗IDをコピーしてください。テスト店舗は同じゲートウェイURLで別の店舗IDを持ちます。",
  "connection.advice.TOKEN_PAYMENTS_NOT_ENABLED":
    "ROBOT PAYMENTにこの店舗のトークン決済(3Dセキュア付き)の有効化とトークンキーの発行を依頼してください。それまでこのアプリで" +
    "カード決済はできません。",
  "connection.advice.ACCOUNT_SUSPENDED": "店舗のアカウントについてROBOT PAYMENTにお問い合わせください。",
  "connection.advice.GATEWAY_BUSY": "数分後にもう一度お試しください。",
  "connection.advice.UNREACHABLE":
    "ゲートウェイURLと、このサーバーから外部へのHTTPS接続(ファイアウォール、プロキシ、DNS)を確認してください。",
  "connection.advice.NOT_A_GATEWAY":
    "ゲートウェイURLは、末尾が /gateway/ のフォルダです(例: https://credit.j-payment.co.jp/gateway/)。",
  "connection.advice.REFUSED": "ROBOT PAYMENT管理画面で店舗の設定を確認するか、エラーコードの意味をROBOT PAYMENTにお問い合わせください。",
  "kickbacks.title": "決済結果通知(キックバック)",
  "kickbacks.urlLabel": "決済結果通知URL",
  "kickbacks.urlHelp":
    "ROBOT PAYMENT管理画面の「決済結果通知URL」にこのアドレスを設定してください。秘密の値を含むため、他の人には共有しないでください。",
  "kickbacks.copy": "コピー",
  "kickbacks.copied": "コピーしました",
  "kickbacks.copyFailed": "アドレスを選択し、Ctrl+Cでコピーしてください。",
  "kickbacks.none": "まだ通知は届いていません。",
  "kickbacks.col.time": "受信日時",
  "kickbacks.col.gid": "決済番号(gid)",
  "kickbacks.col.result": "結果",
  "kickbacks.col.amount": "金額",
  "kickbacks.col.matched": "照合",
  "kickbacks.col.state": "アプリの処理",
  "kickbacks.state.RECEIVED": "処理中",
  "kickbacks.state.IGNORED": "無視",
  "kickbacks.state.HELD": "保留(確定前に照合中の申告)",
  "kickbacks.state.APPLIED": "応答が失われた決済を確定",
  "kickbacks.state.CONFIRMED": "ゲートウェイの応答と一致",
  "kickbacks.state.CONFLICT": "不一致: 決済を凍結",
  "kickbacks.rotate": "新しいURLを発行",
  "kickbacks.rotateConfirm":
    "決済結果通知URLを新しく発行しますか?現在のURLはそれ以降受け付けません。新しいURLをROBOT PAYMENT管理画面に設定するまで、通知は失われます。",
  "kickbacks.rotated":
    "新しいURLを発行しました。古いURLは今後受け付けません。すぐにコピーし、ROBOT PAYMENT管理画面(決済結果通知設定 → 決済結果通知URL)に貼り付けてください。",
  "payments.col.settledBy": "確定の根拠",
  "payments.settledBy.ANSWER": "ゲートウェイの応答",
  "payments.settledBy.NOTIFICATION": "決済結果通知(申告)",
  "payments.settledBy.STAFF": "担当者",
  "payments.settledBy.STAFF_NAMED": "{name}",
  "payments.settledBy.CONFLICT": "不一致",
  "attention.title": "確認が必要な決済",
  "attention.intro":
    "ゲートウェイの応答が届かなかったか、通知の内容が食い違っています。お金が動いたかどうかアプリには分かりません。" +
    "説明に従ってROBOT PAYMENT管理画面で確認し、結果を記録してください。Saleorに通知されます。",
  "attention.none": "確認が必要な決済はありません。",
  "attention.overdue": "長時間未確定",
  "attention.state.noOutcome": "結果不明",
  "attention.state.inFlight": "応答待ち",
  "attention.state.conflict": "通知が不一致",
  "attention.wait": "ゲートウェイの応答をまだ待っています。1分後に再度ご確認ください。",
  "attention.readOnly": "HANDLE_PAYMENTS権限を持つスタッフが結果を記録します。",
  "attention.fact.time": "日時",
  "attention.fact.transaction": "Saleorトランザクション",
  "attention.fact.orderCode": "店舗オーダー番号",
  "attention.fact.gid": "決済番号(gid)",
  "attention.fact.card": "カード",
  "attention.fact.error": "エラー",
  "attention.fact.conflict": "不一致の内容",
  "attention.fact.notifications": "通知",
  "attention.gid.label": "決済番号(gid)— 決済が成立していた場合",
  "attention.gid.invalid": "管理画面に表示された決済番号(1〜20桁の数字)を入力してください。",
  "attention.reason.label": "確認した内容と確認場所",
  "attention.reason.missing": "確認した内容を入力してください(判断とともに記録されます)。",
  "attention.reason.tooLong": "500文字以内で入力してください。",
  "attention.done.charged": "決済済みだった",
  "attention.notDone.charged": "決済されていなかった",
  "attention.done.capture": "売上確定済みだった",
  "attention.notDone.capture": "売上確定されていなかった",
  "attention.done.cancel": "取消済みだった",
  "attention.notDone.cancel": "取消されていなかった",
  "attention.done.refund": "返金済みだった",
  "attention.notDone.refund": "返金されていなかった",
  "attention.confirm": "#{id} を「{finding}」として記録しますか?Saleorに通知され、取り消せません。",
  "attention.resolved": "#{id} を記録しました: {finding}。",
  "attention.told": "Saleorに {event} を通知しました。",
  "attention.toldLater": "Saleorが応答しませんでした。応答があり次第 {event} を通知します。",
  "attention.alreadyShown": "Saleorには既にこの結果が表示されています。",
  "kickbacks.result.success": "成功",
  "kickbacks.result.failure": "失敗",
  "kickbacks.matched.yes": "決済と照合済み",
  "kickbacks.matched.no": "照合できず",
  "payments.title": "最近の決済",
  "payments.intro": "ゲートウェイへの金銭を伴う呼び出しごとに1行、新しい順に表示します。",
  "payments.none": "まだ決済はありません。",
  "payments.unresolved":
    "このうち{count}件は結果が確定していません(処理中または不明)。注文への対応の前にROBOT PAYMENT管理画面で確認してください。",
  "payments.col.time": "日時",
  "payments.col.kind": "処理",
  "payments.col.status": "状態",
  "payments.col.amount": "金額",
  "payments.col.gid": "決済番号(gid)",
  "payments.col.error": "エラー",
  "payments.kind.PAYMENT": "決済",
  "payments.kind.CAPTURE": "売上確定",
  "payments.kind.CANCEL": "取消",
  "payments.kind.REFUND": "返金",
  "payments.kind.CARD_REGISTRATION": "カード登録",
  "payments.status.PENDING": "処理中",
  "payments.status.SUCCEEDED": "成功",
  "payments.status.DECLINED": "拒否",
  "payments.status.UNKNOWN": "結果不明",
  "payments.status.FAILED_BEFORE_SEND": "未送信",
  "activity.refresh": "更新",
};

export const TEXTS = { en: EN, ja: JA };

/** t(key, {name: value}) in `language`; a key the language lacks falls back to English. */
export function translator(language) {
  const table = TEXTS[language] || EN;
  const t = (key, values = {}) =>
    (table[key] ?? EN[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  t.language = language;
  t.has = (key) => key in table || key in EN;
  return t;
}

/** Times in the viewer's time zone; yen without decimals. */
export function formatters(language) {
  const tag = language === "ja" ? "ja-JP" : "en-GB";
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "medium" });
  return {
    dateTime(iso) {
      const date = iso ? new Date(iso) : null;
      return date && !Number.isNaN(date.getTime()) ? dateTime.format(date) : "—";
    },
    money(amount, currency) {
      if (amount === null || amount === undefined) return "—";
      const options = { style: "currency", currency: currency || "JPY", currencyDisplay: "narrowSymbol" };
      try {
        return new Intl.NumberFormat(tag, options).format(amount);
      } catch {
        return `${amount} ${currency || ""}`.trim();
      }
    },
  };
}
