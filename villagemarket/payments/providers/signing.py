"""SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256): what Alipay calls RSA2 and WeChat Pay calls
WECHATPAY2-SHA256-RSA2048, done by the `cryptography` library. Keys are read from PEM files whose
paths come from the environment; nothing here knows either provider's protocol.
"""

from __future__ import annotations

import base64
import binascii
import functools
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class KeyFileError(ValueError):
    """A configured key file is missing or is not the kind of key expected."""


def _pem(text: str, kind: str) -> bytes:
    """Accept a PEM file or the bare base64 body that both providers' consoles hand out."""
    stripped = text.strip()
    if stripped.startswith("-----BEGIN"):
        return stripped.encode()
    body = "\n".join(stripped[i : i + 64] for i in range(0, len(stripped), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n".encode()


@functools.lru_cache(maxsize=16)
def load_private_key(path: str) -> rsa.RSAPrivateKey:
    """The merchant's RSA private key (PKCS#8 or PKCS#1 PEM, or the bare base64 of PKCS#8)."""
    try:
        text = Path(path).read_text()
        key = serialization.load_pem_private_key(_pem(text, "PRIVATE KEY"), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(f"cannot read an RSA private key from {path}: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyFileError(f"{path} is not an RSA private key")
    return key


@functools.lru_cache(maxsize=16)
def load_public_key(path: str) -> tuple[rsa.RSAPublicKey, str]:
    """A provider's RSA public key and its serial number: from an X.509 certificate (serial in
    upper-case hex, as WeChat Pay writes it) or from a bare public key (serial "")."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise KeyFileError(f"cannot read {path}: {exc}") from None
    try:
        if "BEGIN CERTIFICATE" in text:
            cert = x509.load_pem_x509_certificate(text.strip().encode())
            key, serial = cert.public_key(), serial_hex(cert.serial_number)
        else:
            key, serial = serialization.load_pem_public_key(_pem(text, "PUBLIC KEY")), ""
    except ValueError as exc:
        raise KeyFileError(f"cannot read a public key from {path}: {exc}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyFileError(f"{path} does not hold an RSA public key")
    return key, serial


def serial_hex(number: int) -> str:
    """A certificate serial as WeChat Pay and openssl write it: upper-case hex, whole bytes."""
    text = format(number, "X")
    return "0" + text if len(text) % 2 else text


def sign(private_key: rsa.RSAPrivateKey, message: bytes) -> str:
    """Base64 of the SHA256withRSA signature of `message`."""
    signature = private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def verify(public_key: rsa.RSAPublicKey, message: bytes, signature_b64: str) -> bool:
    """True when `signature_b64` is a valid SHA256withRSA signature of `message`."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
