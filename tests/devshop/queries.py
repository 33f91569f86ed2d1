"""GraphQL documents the tests send, written the way storefronts, staff and apps write them."""

from __future__ import annotations

GATEWAY_ID = "standin.payment.app"

TRANSACTION_FIELDS = """
  id
  pspReference
  actions
  authorizedAmount { amount currency }
  chargedAmount { amount currency }
  chargePendingAmount { amount currency }
  refundedAmount { amount currency }
  refundPendingAmount { amount currency }
  canceledAmount { amount currency }
  events {
    type amount { amount } pspReference message idempotencyKey
    createdBy { __typename ... on App { id } ... on User { email } }
  }
"""

PAYMENT_GATEWAY_INITIALIZE = """
mutation($id: ID!, $gateways: [PaymentGatewayToInitialize!], $amount: PositiveDecimal) {
  paymentGatewayInitialize(id: $id, paymentGateways: $gateways, amount: $amount) {
    gatewayConfigs { id data errors { field code message } }
    errors { field code message }
  }
}
"""

TRANSACTION_INITIALIZE = f"""
mutation($id: ID!, $data: JSON, $action: TransactionFlowStrategyEnum, $amount: PositiveDecimal, $key: String) {{
  transactionInitialize(id: $id, paymentGateway: {{id: "{GATEWAY_ID}", data: $data}}, action: $action,
                        amount: $amount, idempotencyKey: $key) {{
    transaction {{ {TRANSACTION_FIELDS} }}
    transactionEvent {{ id type amount {{ amount currency }} pspReference message }}
    data
    errors {{ field code message }}
  }}
}}
"""

TRANSACTION_PROCESS = f"""
mutation($id: ID!, $data: JSON) {{
  transactionProcess(id: $id, data: $data) {{
    transaction {{ {TRANSACTION_FIELDS} }}
    transactionEvent {{ type amount {{ amount }} pspReference message }}
    data
    errors {{ field code message }}
  }}
}}
"""

TRANSACTION_REQUEST_ACTION = f"""
mutation($id: ID!, $action: TransactionActionEnum!, $amount: PositiveDecimal, $reason: String) {{
  transactionRequestAction(id: $id, actionType: $action, amount: $amount, refundReason: $reason) {{
    transaction {{ {TRANSACTION_FIELDS} }}
    errors {{ field code message }}
  }}
}}
"""

TRANSACTION_EVENT_REPORT = f"""
mutation($id: ID!, $psp: String!, $type: TransactionEventTypeEnum!, $amount: PositiveDecimal,
         $actions: [TransactionActionEnum!], $message: String) {{
  transactionEventReport(id: $id, pspReference: $psp, type: $type, amount: $amount,
                         availableActions: $actions, message: $message) {{
    alreadyProcessed
    transaction {{ {TRANSACTION_FIELDS} }}
    transactionEvent {{ type amount {{ amount }} pspReference message }}
    errors {{ field code message }}
  }}
}}
"""

TRANSACTION = f"query($id: ID!) {{ transaction(id: $id) {{ {TRANSACTION_FIELDS} checkout {{ id }} order {{ id }} }} }}"

CHECKOUT_STATUS = """
query($id: ID!) { checkout(id: $id) { id chargeStatus authorizeStatus totalBalance { amount } } }
"""

CHECKOUT_COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number status chargeStatus authorizeStatus total { gross { amount currency } } userEmail
            lines { productName variantName quantity unitPrice { gross { amount } } } }
    errors { field code message }
  }
}
"""

STORED_METHODS = """
query($channel: String!) {
  me {
    storedPaymentMethods(channel: $channel) {
      id paymentMethodId type name data supportedPaymentFlows
      gateway { id name currencies }
      creditCardInfo { brand firstDigits lastDigits expMonth expYear }
    }
  }
}
"""
