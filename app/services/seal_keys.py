"""The certificate and key that seal agreements: the operator's PKCS#12 file, and a test authority for development.

A real seal is an enterprise certificate (virksomhetssertifikat) or a qualified seal certificate, in a PKCS#12 file
in the instance folder with its password in the environment (README, "Sealed agreements"). For development and
tests, `flask agreements make-test-seal` makes a certificate authority of its own and a sealing certificate from it.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import current_app
from pyhanko.sign.signers import SimpleSigner

TEST_AUTHORITY = "Kunnskapskommunen test-CA (ikke for bruk i drift)"
TEST_SEAL = "Kunnskapskommunen – Helse Omsorg Vest (testsegl)"


@dataclass(frozen=True)
class SealKey:
    signer: SimpleSigner
    chain: tuple[asn1_x509.Certificate, ...]  # the issuing certificates the file carries

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.signer.signing_cert)


class SealKeyError(Exception):
    """The configured file cannot be read (a wrong password, a damaged file)."""


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


def path() -> Path | None:
    """Where the sealing key is kept (SEAL_P12_PATH, relative to the instance folder), None if sealing is off."""
    setting = current_app.config.get("SEAL_P12_PATH")
    return Path(current_app.instance_path) / setting if setting else None


def configured() -> bool:
    found = path()
    return found is not None and found.is_file()


def load() -> SealKey | None:
    """The configured sealing key, or None when there is no file (agreements are then not sealed)."""
    if not configured():
        return None
    found = path()
    password = current_app.config.get("SEAL_P12_PASSWORD")
    try:
        signer = SimpleSigner.load_pkcs12_data(found.read_bytes(), (),
                                               passphrase=password.encode() if password else None)
    except ValueError as error:
        raise SealKeyError(f"{found}: the PKCS#12 file cannot be read (wrong SEAL_P12_PASSWORD?)") from error
    chain = tuple(cert for cert in signer.cert_registry if cert != signer.signing_cert)
    return SealKey(signer, chain)


def test_pkcs12(password: str | None, *, authority: str = TEST_AUTHORITY, holder: str = TEST_SEAL,
                days: int = 3650) -> bytes:
    """A PKCS#12 file with a new sealing certificate and key, issued by a new certificate authority it also holds."""
    now = datetime.now(timezone.utc)
    authority_key, key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    authority_name = _name(authority)
    ca = _certificate(authority_name, authority_name, authority_key.public_key(), authority_key, now, days,
                      x509.BasicConstraints(ca=True, path_length=0),
                      _usage(key_cert_sign=True, crl_sign=True))
    seal = _certificate(_name(holder), authority_name, key.public_key(), authority_key, now, days,
                        x509.BasicConstraints(ca=False, path_length=None),
                        _usage(digital_signature=True, content_commitment=True))
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else \
        serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b"seal", key, seal, [ca], encryption)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kunnskapskommunen – Helse Omsorg Vest"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(**allowed: bool) -> x509.KeyUsage:
    flags = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{flag: allowed.get(flag, False) for flag in flags})


def _certificate(subject, issuer, public_key, signing_key, now, days, constraints, usage) -> x509.Certificate:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(constraints, critical=True).add_extension(usage, critical=True)
            .sign(signing_key, hashes.SHA256()))
