"""Locally made keys and the other side of Alipay and WeChat Pay, built from their documented
formats: what their servers sign and send, so the providers can be tested with no network."""

from __future__ import annotations

import datetime
import json
import secrets
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from villagemarket.payments.providers import alipay, signing, wechatpay
from villagemarket.payments.providers.remote import BEIJING, RemoteResponse


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_private_key(key: rsa.RSAPrivateKey, path: Path) -> str:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


def write_public_key(key: rsa.RSAPrivateKey, path: Path, *, bare: bool = False) -> str:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if bare:  # the one-line base64 that Alipay's console shows
        pem = b"".join(line for line in pem.splitlines() if not line.startswith(b"-----"))
    path.write_bytes(pem)
    return str(path)


def write_certificate(key: rsa.RSAPrivateKey, path: Path, serial: int) -> str:
    """A self-signed certificate like WeChat Pay's platform certificate."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA (test)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


# --- Alipay's side --------------------------------------------------------------------------
@dataclass
class AlipayServer:
    """Alipay as the tests see it: its own key, and the merchant's public key to check requests."""

    key: rsa.RSAPrivateKey  # Alipay's private key
    merchant_key: rsa.RSAPrivateKey  # the merchant application's private key
    app_id: str = "2021000000000001"
    seller_id: str = "2088000000000001"

    def sign_notification(self, params: dict[str, str]) -> dict[str, str]:
        signed = {**params, "sign_type": "RSA2"}
        charset = signed.get("charset", "utf-8")
        message = alipay.signing_string(signed, exclude=("sign", "sign_type")).encode(charset)
        signed["sign"] = signing.sign(self.key, message)
        return signed

    def notification(self, payment, *, now: datetime.datetime | None = None, **change) -> dict:
        """The parameters of a trade_status_sync notification for `payment`, signed."""
        sent = (now or datetime.datetime.now(BEIJING)).astimezone(BEIJING)
        params = {
            "notify_time": sent.strftime(alipay.TIME_FORMAT),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(17),
            "charset": "utf-8",
            "version": "1.0",
            "app_id": self.app_id,
            "seller_id": self.seller_id,
            "buyer_id": "2088102116773037",
            "trade_no": "2026120122001" + secrets.token_hex(7),
            "out_trade_no": payment.public_id.hex,
            "trade_status": "TRADE_SUCCESS",
            "total_amount": f"{payment.amount.amount:.2f}",
            "receipt_amount": f"{payment.amount.amount:.2f}",
            "subject": "乡村集市订单",
            "gmt_create": sent.strftime(alipay.TIME_FORMAT),
            "gmt_payment": sent.strftime(alipay.TIME_FORMAT),
        }
        params.update(change)
        return self.sign_notification(params)

    @staticmethod
    def form(params: dict[str, str], charset: str = "utf-8") -> bytes:
        return urllib.parse.urlencode(params, encoding=charset).encode("ascii")

    def response(self, method: str, content: dict, *, sign_with=None) -> RemoteResponse:
        """A synchronous answer: {"<method>_response": {...}, "sign": "..."}, signed over the
        exact text of the response member (written with spaces, as a real answer may be)."""
        raw = json.dumps(content, ensure_ascii=False)
        name = method.replace(".", "_") + "_response"
        sign = signing.sign(sign_with or self.key, raw.encode())
        text = f'{{"{name}": {raw}, "sign": "{sign}"}}'
        return RemoteResponse(200, {"content-type": "text/html;charset=utf-8"}, text.encode())


# --- WeChat Pay's side ------------------------------------------------------------------------
@dataclass
class WechatPayServer:
    key: rsa.RSAPrivateKey  # the platform certificate's private key
    merchant_key: rsa.RSAPrivateKey
    serial: str
    apiv3_key: str
    appid: str = "wx8888888888888888"
    mchid: str = "1900000001"

    def headers(self, body: bytes, *, timestamp: int, key=None, serial=None) -> dict[str, str]:
        nonce = secrets.token_hex(16)
        message = f"{timestamp}\n{nonce}\n".encode() + body + b"\n"
        return {
            "Wechatpay-Timestamp": str(timestamp),
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signing.sign(key or self.key, message),
            "Wechatpay-Serial": serial or self.serial,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }

    def transaction(self, payment, **change) -> dict:
        tx = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": payment.public_id.hex,
            "transaction_id": "42000012" + secrets.token_hex(10),
            "trade_type": "MWEB",
            "trade_state": "SUCCESS",
            "trade_state_desc": "支付成功",
            "bank_type": "OTHERS",
            "success_time": "2026-12-01T16:00:00+08:00",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {
                "total": payment.amount_minor,
                "payer_total": payment.amount_minor,
                "currency": "CNY",
                "payer_currency": "CNY",
            },
        }
        tx.update(change)
        return tx

    def notification(
        self, tx: dict, *, event_id: str | None = None, apiv3_key: str | None = None
    ) -> bytes:
        event = {
            "id": event_id or f"EV-{secrets.token_hex(10)}",
            "create_time": datetime.datetime.now(BEIJING).isoformat(timespec="seconds"),
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": wechatpay.encrypt_resource(apiv3_key or self.apiv3_key, tx),
        }
        return json.dumps(event, ensure_ascii=False).encode()

    def refund(self, payment, refund_no: str, amount_minor: int, **change) -> dict:
        """A refund as WeChat Pay describes it in a REFUND.* notification's resource."""
        refund = {
            "mchid": self.mchid,
            "out_trade_no": payment.public_id.hex,
            "transaction_id": "42000012" + secrets.token_hex(10),
            "out_refund_no": refund_no,
            "refund_id": "50000000" + secrets.token_hex(10),
            "refund_status": "SUCCESS",
            "success_time": "2026-12-01T18:00:00+08:00",
            "user_received_account": "招商银行信用卡0403",
            "amount": {
                "total": payment.amount_minor,
                "refund": amount_minor,
                "payer_total": payment.amount_minor,
                "payer_refund": amount_minor,
            },
        }
        refund.update(change)
        return refund

    def refund_notification(
        self, refund: dict, *, event_id: str | None = None, apiv3_key: str | None = None
    ) -> bytes:
        status = refund.get("refund_status", "SUCCESS")
        event = {
            "id": event_id or f"EV-{secrets.token_hex(10)}",
            "create_time": datetime.datetime.now(BEIJING).isoformat(timespec="seconds"),
            "resource_type": "encrypt-resource",
            "event_type": f"REFUND.{status}",
            "summary": "退款成功" if status == "SUCCESS" else "退款异常",
            "resource": wechatpay.encrypt_resource(
                apiv3_key or self.apiv3_key,
                refund,
                associated_data="refund",
                original_type="refund",
            ),
        }
        return json.dumps(event, ensure_ascii=False).encode()

    def refund_answer(self, payment, refund_no: str, amount_minor: int, status: str) -> dict:
        """The body of an answer to a refund or refund query (its status is `status`)."""
        return {
            "refund_id": "50000000382019052709732678859",
            "out_refund_no": refund_no,
            "transaction_id": "1217752501201407033233368018",
            "out_trade_no": payment.public_id.hex,
            "channel": "ORIGINAL",
            "user_received_account": "招商银行信用卡0403",
            "create_time": "2026-12-01T18:00:00+08:00",
            "status": status,
            "amount": {
                "total": payment.amount_minor,
                "refund": amount_minor,
                "payer_total": payment.amount_minor,
                "payer_refund": amount_minor,
                "currency": "CNY",
            },
        }

    def answer(self, content: dict, *, timestamp: int, status: int = 200) -> RemoteResponse:
        body = json.dumps(content).encode()
        headers = {k.lower(): v for k, v in self.headers(body, timestamp=timestamp).items()}
        return RemoteResponse(status, headers, body)


# --- configuring this site for them -----------------------------------------------------------
def configure_alipay(settings, tmp_path: Path, *, alipay_key, merchant_key) -> AlipayServer:
    """Set the four Alipay settings to locally made keys; Alipay's side of them."""
    server = AlipayServer(key=alipay_key, merchant_key=merchant_key)
    settings.ALIPAY_APP_ID = server.app_id
    settings.ALIPAY_SELLER_ID = server.seller_id
    settings.ALIPAY_PRIVATE_KEY_PATH = write_private_key(merchant_key, tmp_path / "app.pem")
    settings.ALIPAY_PUBLIC_KEY_PATH = write_public_key(alipay_key, tmp_path / "ali.pub", bare=True)
    settings.ALIPAY_GATEWAY = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
    return server


WECHATPAY_SERIAL = 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
WECHATPAY_APIV3_KEY = "a" * 16 + "B" * 16


def configure_wechatpay(settings, tmp_path: Path, *, platform_key, merchant_key) -> WechatPayServer:
    """Set the six WeChat Pay settings to locally made keys; WeChat Pay's side of them."""
    server = WechatPayServer(
        key=platform_key,
        merchant_key=merchant_key,
        serial=format(WECHATPAY_SERIAL, "X"),
        apiv3_key=WECHATPAY_APIV3_KEY,
    )
    settings.WECHATPAY_APPID = server.appid
    settings.WECHATPAY_MCHID = server.mchid
    settings.WECHATPAY_MERCHANT_SERIAL = "3775B6A45ACD588826D15E583A95F5DD"
    settings.WECHATPAY_PRIVATE_KEY_PATH = write_private_key(merchant_key, tmp_path / "key.pem")
    settings.WECHATPAY_APIV3_KEY = WECHATPAY_APIV3_KEY
    settings.WECHATPAY_PLATFORM_CERT_PATH = write_certificate(
        platform_key, tmp_path / "wechatpay.pem", WECHATPAY_SERIAL
    )
    return server
