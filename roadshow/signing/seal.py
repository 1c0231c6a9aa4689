"""The platform seal: a key and a self-signed certificate, PAdES signing and validation (pure).

The key and certificate are made at first use and kept in the instance folder
(``signing/seal-key.pem``, ``signing/seal-cert.pem``). The certificate is the trust root for
validation: a sealed PDF is genuine when pyHanko finds its signature intact, made by this
certificate and covering the whole file.
"""

from __future__ import annotations

import asyncio
import base64
import io
import os
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

SEAL_FIELD = "RoadshowPlatformSeal"
KEY_FILE = "seal-key.pem"
CERT_FILE = "seal-cert.pem"
_lock = threading.Lock()
T = TypeVar("T")


def call_outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a pyHanko function (which runs ``asyncio.run`` inside) from any thread.

    When the calling thread already runs an event loop (a test session that drives a browser
    with Playwright's sync API does), the call moves to a short-lived worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


@dataclass(frozen=True)
class SealIdentity:
    key_path: Path
    cert_path: Path

    @property
    def cert_pem(self) -> bytes:
        return self.cert_path.read_bytes()


def ensure_identity(folder: Path, common_name: str = "Roadshow platform seal") -> SealIdentity:
    """The platform's seal key and certificate in ``folder``, created on first use."""
    folder.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    with _lock:
        if key_path.exists() and cert_path.exists():
            return SealIdentity(key_path, cert_path)
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        # ECDSA P-256: pyHanko reloads the key for every signature, and an EC key loads in
        # microseconds where an RSA key's consistency check takes a tenth of a second
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Roadshow"),
        ])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=True,
                    crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp_key = key_path.with_suffix(".tmp")
        tmp_key.write_bytes(key_pem)
        os.chmod(tmp_key, 0o600)
        tmp_key.replace(key_path)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return SealIdentity(key_path, cert_path)


@lru_cache(maxsize=4)
def _signer(key_path: str, cert_path: str, _mtime: float):  # type: ignore[no-untyped-def]
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(key_path, cert_path)


@lru_cache(maxsize=4)
def _trust_root(cert_path: str, _mtime: float):  # type: ignore[no-untyped-def]
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(cert_path)


@lru_cache(maxsize=4)
def _private_key(key_path: str, _mtime: float):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization

    with open(key_path, "rb") as handle:
        return serialization.load_pem_private_key(handle.read(), password=None)


@lru_cache(maxsize=4)
def _public_key(cert_path: str, _mtime: float):  # type: ignore[no-untyped-def]
    from cryptography import x509

    with open(cert_path, "rb") as handle:
        return x509.load_pem_x509_certificate(handle.read()).public_key()


def sign_message(identity: SealIdentity, message: bytes) -> str:
    """The platform's ECDSA-SHA256 signature of ``message``, base64 (DER)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = _private_key(str(identity.key_path), identity.key_path.stat().st_mtime)
    return base64.b64encode(key.sign(message, ec.ECDSA(hashes.SHA256()))).decode("ascii")


def message_signed(identity: SealIdentity, message: bytes, signature: str) -> bool:
    """Whether ``signature`` is the platform's signature of ``message``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    if not signature:
        return False
    key = _public_key(str(identity.cert_path), identity.cert_path.stat().st_mtime)
    try:
        key.verify(base64.b64decode(signature, validate=True), message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def attachment(data: bytes, name: str) -> bytes | None:
    """The file attached to the PDF ``data`` under ``name``, or None."""
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = PdfReader(io.BytesIO(data), strict=False).attachments.get(name)
    except Exception:  # noqa: BLE001 - any unreadable file simply has no such attachment
        return None
    return found[0] if found else None


def seal_pdf(data: bytes, identity: SealIdentity, *, reason: str, location: str,
             contact: str) -> bytes:
    """``data`` signed by the platform (PAdES baseline B), as a new PDF."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(str(identity.key_path), str(identity.cert_path),
                     identity.cert_path.stat().st_mtime)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        contact_info=contact,
        name="Roadshow",
    )
    out = call_outside_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    """What validation found; ``genuine`` only when everything holds."""

    has_seal: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signed_at: datetime | None = None
    signer: str = ""
    problem: str = ""

    @property
    def genuine(self) -> bool:
        return self.has_seal and self.intact and self.valid and self.trusted and self.whole_file


def _filled_seal_fields(reader: Any) -> int:
    """How many filled signature fields named like the platform seal the PDF holds, read
    without parsing their signature blobs (which may be damaged)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return sum(1 for _ in enumerate_sig_fields(reader, filled_status=True, with_name=SEAL_FIELD))


def _altered(problem: str) -> SealCheck:
    return SealCheck(has_seal=True, problem=f"the seal is damaged or was changed: {problem}")


def _padding_is_clean(embedded: Any) -> bool:
    """The space reserved for the signature holds the signature and zeros after it, as sealed.

    The reserved space is the one part of the file the signature cannot cover, and parsers
    ignore what follows the signature's DER encoding; a file changed there is not the one the
    platform issued.
    """
    from asn1crypto import parser

    raw = bytes(embedded.pkcs7_content)
    _class, _method, _tag, header, contents, trailer = parser.parse(raw)
    used = len(header) + len(contents) + len(trailer)
    return not raw[used:].strip(b"\x00")


def check_pdf(data: bytes, identity: SealIdentity) -> SealCheck:
    """Validate the platform seal in ``data`` against the platform certificate.

    Never raises for what a file holds: a PDF that cannot be read has no seal, and a seal field
    whose signature cannot be parsed or checked (a changed blob, its padding, its content type)
    is reported as present and not intact, so the page says "altered".
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    root = _trust_root(str(identity.cert_path), identity.cert_path.stat().st_mtime)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = _filled_seal_fields(reader)
    except Exception as error:  # noqa: BLE001 - arbitrary uploaded bytes may break the parser anyhow
        return SealCheck(has_seal=False, problem=f"not a readable PDF: {error}")
    if not fields:
        return SealCheck(has_seal=False, problem="no platform seal in this PDF")
    try:
        seals = [s for s in reader.embedded_signatures if s.field_name == SEAL_FIELD]
    except Exception as error:  # noqa: BLE001 - a changed signature blob fails in any way
        return _altered(repr(error))
    if not seals:
        return _altered("the seal's signature cannot be read")
    embedded = seals[-1]
    if not _padding_is_clean(embedded):
        return _altered("bytes after the signature in its reserved space were changed")
    try:
        status = call_outside_event_loop(
            validate_pdf_signature, embedded,
            signer_validation_context=ValidationContext(trust_roots=[root]),
        )
    except Exception as error:  # noqa: BLE001 - e.g. AttributeError on an unknown content type
        return _altered(repr(error))
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SealCheck(
        has_seal=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=whole,
        signed_at=status.signer_reported_dt,
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        problem="" if (status.bottom_line and whole) else (
            "the file was changed after sealing" if not status.intact or not whole
            else "the seal was not made by this platform"
        ),
    )
