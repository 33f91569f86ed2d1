"""Answer lines and kickback fields in the exact order of the spec's tables (pure functions).

Shapes (then the free data as one more field when the caller sent any, or an empty one when the style's
empty_free_data_field is on):
- carduser.aspx cmd 0/1/2:   rst,ec,uid,key            cmd 3: rst,ec,uid,key,em,pn
- carduser.aspx cmd 5:       rst,ec,uid,key,num        cmd 6: rst,ec,uid,key,num,cn,ed,fn,ln
- carduser_token.aspx:       rst,ec,uid,key,num
- payments (gateway_token, onetouch, gateway.aspx): gid,rst,ap,ec,god,cod,am,tx,sf,ta,id,ps
  and, for a bulk registration payment (gateway_token.aspx with uid), uid,key,num after them; in the
  style's "sample" layout (the spec's printed 14-field sample) without ps.
Error answers keep the shape, with rst=2, the code in ec, the request's uid/num/cod echoed and the
rest empty (payments answer gid 0 and zero amounts, as the official failure sample
`0,2,,ER900,,,0,0,0,0,,,0,` does). The user key is never echoed in an error answer.
onetouch.aspx answers ER codes as a bare `ER:ERxxx` line: its table says `ec` carries only
card-company (G) codes, and integrators report that form [inferred].
"""

from __future__ import annotations

from robotpayment_app.sandbox.state import Card, Customer, Payment
from robotpayment_app.sandbox.wire import AnswerStyle, FreeData, Params, answer_line

OK, FAILED = "1", "2"


def user_answer(cmd: str, customer: Customer, card: Card | None, free: FreeData, style: AnswerStyle) -> str:
    fields = [OK, "", customer.uid, customer.key]
    if cmd == "3":
        fields += [customer.email, customer.phone]
    elif cmd in ("5", "6"):
        assert card is not None
        fields.append(str(card.seq))
        if cmd == "6":
            fields += [card.masked, card.expiry, card.first_name, card.last_name]
    return answer_line(fields, free, style)


def user_error(params: Params, code: str, style: AnswerStyle) -> str:
    cmd = params["cmd"]
    fields = [FAILED, code, params["uid"], ""]
    if cmd == "3":
        fields += ["", ""]
    elif cmd in ("5", "6"):
        fields.append(params["num"])
        if cmd == "6":
            fields += ["", "", "", ""]
    return answer_line(fields, params.free, style)


def card_registration_answer(customer: Customer, card_seq: int, free: FreeData, style: AnswerStyle) -> str:
    return answer_line([OK, "", customer.uid, customer.key, str(card_seq)], free, style)


def card_registration_error(params: Params, code: str, style: AnswerStyle) -> str:
    return answer_line([FAILED, code, params["uid"], "", params["num"]], params.free, style)


def _payment_fields(payment: Payment) -> list[str]:
    return [
        str(payment.gid),
        OK if payment.approved else FAILED,
        payment.approval,
        payment.error_code,
        str(payment.god),
        payment.order_code,
        str(payment.amount),
        str(payment.tax),
        str(payment.shipping),
        str(payment.total),
        payment.issued_id,
        payment.issued_password,
    ]


def registration_tail(uid: str, customer: Customer | None, card_seq: int | None) -> list[str]:
    """uid,key,num of a bulk registration payment; key and num stay empty when nothing was registered."""
    if customer is None or card_seq is None:
        return [uid, "", ""]
    return [customer.uid, customer.key, str(card_seq)]


def _with_tail(fields: list[str], tail: list[str], style: AnswerStyle) -> list[str]:
    """Payment fields plus a bulk registration's uid,key,num; the sample layout has no ps before them."""
    if tail and style.bulk_layout == "sample":
        fields = fields[:-1]
    return fields + tail


def payment_answer(payment: Payment, tail: list[str], free: FreeData, style: AnswerStyle) -> str:
    return answer_line(_with_tail(_payment_fields(payment), tail, style), free, style)


def payment_error(params: Params, code: str, *, bulk: bool, style: AnswerStyle) -> str:
    fields = ["0", FAILED, "", code, "", params["cod"], "0", "0", "0", "0", "", ""]
    tail = [params["uid"], "", ""] if bulk else []
    return answer_line(_with_tail(fields, tail, style), params.free, style)


def bare_error(code: str, style: AnswerStyle) -> str:
    return f"ER:{code}{style.line_ending}"


def kickback_fields(payment: Payment, tail: list[str]) -> list[tuple[str, str]]:
    """The notification's parameters: gid rst ap ec god cod am tx sf ta (+ uid key num for bulk)."""
    names = ("gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta")
    fields = list(zip(names, _payment_fields(payment)[:10], strict=True))
    if tail:
        fields += list(zip(("uid", "key", "num"), tail, strict=True))
    return fields
