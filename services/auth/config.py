"""Settings of the auth service (MYPAGE_* environment, embedded defaults) and its secrets.

Secrets (environment, prefix MYPAGE_AUTH_SECRET_):
- `HMAC_KEY`          the server secret keys, OTPs and tokens are hashed with (S1);
- `SIGNING_KEY`       the Ed25519 private key (PEM) access tokens are signed with, or
  `SIGNING_KEY_FILE`  a file holding it;
- `PREVIOUS_PUBLIC_KEYS` optional: the public key(s) (PEM blocks, one after another) of signing
                      keys just retired. They stay in the JWKS so tokens signed before a key
                      rotation verify until they expire (5 minutes); remove them after that;
- `CLIENTS`           system clients, `id:role:secret` separated by commas
                      (e.g. `counter:staff@11040:…,employer:employer:…`); a staff client names the
                      office (安定所 code) it acts for after `@` (C3) — required in production.
In development each has a default (a fixed HMAC key, a key generated into var/, the dev clients
`counter`/`counter-dev-secret` and `employer`/`employer-dev-secret`); production — any MYPAGE_ENV
but dev, development or test (C4, kit.settings) — refuses every one of them at start.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kit.settings import ConfigurationError, Settings
from kit.tokens import EMPLOYER, EVERY_ESTABLISHMENT, STAFF

SERVICE = "auth"
DEV_HMAC_KEY = "mypage-dev-only-hmac-key-never-in-production"
DEV_SIGNING_KEY_FILE = "auth-dev-signing-key.pem"
DEV_CLIENTS = {"counter": (STAFF, "counter-dev-secret"), "employer": (EMPLOYER, "employer-dev-secret")}
DEV_OFFICE = "11040"  # C3: the development counter acts for 越谷公共職業安定所 (the demo seeker's office)
OFFICE_CODE = re.compile(r"^[0-9]{5}$")
CLIENT_ROLES = (STAFF, EMPLOYER)
REGISTERED_CLIENT_PREFIX = "ec-"  # C1: the ids of employer clients staff register; no configured id has it

log = logging.getLogger("mypage.auth")


def load_settings(environ=None, **overrides) -> Settings:
    return Settings.from_env(SERVICE, environ, **overrides)


@dataclass(frozen=True)
class SystemClient:
    """A staff or employer system allowed the client-credentials grant."""

    client_id: str
    role: str
    secret_digest: bytes  # SHA-256 of the secret; compared in constant time
    # C2: what an employer client's tokens carry in `establishments` — a configured one acts for every
    # establishment, so it exists only in development; in production staff register them (C1, clients.py)
    establishments: str | None = None
    office: str | None = None  # C3: the office a staff client acts for (its tokens' `office`)

    def accepts(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_digest, hashlib.sha256(secret.encode()).digest())


@dataclass(frozen=True)
class AuthSecrets:
    """The auth service's secrets, checked against the environment it runs in."""

    hmac_key: bytes
    signing_key: Ed25519PrivateKey
    kid: str
    clients: dict[str, SystemClient]
    previous_public_keys: tuple[Ed25519PublicKey, ...] = ()

    def public_jwks(self) -> dict:
        """GET /api/v1/auth/jwks: the public key(s) every verifier trusts — the signing key's first,
        then those of keys retired by a rotation (overlap until their tokens expire)."""
        keys = [self.signing_key.public_key(), *self.previous_public_keys]
        return {"keys": [{**jwt.algorithms.OKPAlgorithm.to_jwk(key, as_dict=True), "kid": key_id(key), "alg": "EdDSA",
                          "use": "sig"} for key in keys]}


def load_secrets(settings: Settings) -> AuthSecrets:
    """Read the secrets from settings; C4: refuse development defaults in production."""
    hmac_key = secret(settings, "hmac_key")
    if not hmac_key:
        if settings.production:
            raise settings.refusal("MYPAGE_AUTH_SECRET_HMAC_KEY is required")
        hmac_key = DEV_HMAC_KEY
    if settings.production and (hmac_key == DEV_HMAC_KEY or len(hmac_key) < 32):
        raise settings.refusal("MYPAGE_AUTH_SECRET_HMAC_KEY must be a random value of 32+ characters, "
                               "not the development key")
    signing_key = _signing_key(settings)
    previous = tuple(key for key in _public_keys(secret(settings, "previous_public_keys"))
                     if key_id(key) != key_id(signing_key))
    return AuthSecrets(hmac_key.encode(), signing_key, key_id(signing_key), _clients(settings), previous)


def secret(settings: Settings, name: str) -> str:
    """MYPAGE_AUTH_SECRET_<NAME> (kit.settings keeps it as `secret_<name>`)."""
    return settings.secrets.get(f"secret_{name}") or settings.secrets.get(name) or ""


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The `kid` of a signing key: 16 hex digits of SHA-256 over the raw public key, so a new key gets a new id."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


_PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def _public_keys(text: str) -> list[Ed25519PublicKey]:
    """MYPAGE_AUTH_SECRET_PREVIOUS_PUBLIC_KEYS: PEM public keys, one after another (Ed25519 only)."""
    blocks = _PEM_BLOCK.findall(text)
    if text.strip() and not blocks:
        raise ConfigurationError("MYPAGE_AUTH_SECRET_PREVIOUS_PUBLIC_KEYS: no PEM public key found")
    keys = []
    for block in blocks:
        try:
            key = serialization.load_pem_public_key(block.encode())
        except ValueError as error:
            raise ConfigurationError("MYPAGE_AUTH_SECRET_PREVIOUS_PUBLIC_KEYS: not a PEM public key") from error
        if not isinstance(key, Ed25519PublicKey):
            raise ConfigurationError("MYPAGE_AUTH_SECRET_PREVIOUS_PUBLIC_KEYS: Ed25519 keys only (EdDSA)")
        keys.append(key)
    return keys


def _signing_key(settings: Settings) -> Ed25519PrivateKey:
    pem = secret(settings, "signing_key")
    path = secret(settings, "signing_key_file")
    if pem:
        return _load_pem(pem.encode(), "MYPAGE_AUTH_SECRET_SIGNING_KEY")
    if path:
        if settings.production and Path(path).name == DEV_SIGNING_KEY_FILE:
            raise settings.refusal("the development signing key cannot be used")
        return _load_pem(Path(path).read_bytes(), path)
    if settings.production:
        raise settings.refusal("MYPAGE_AUTH_SECRET_SIGNING_KEY(_FILE) is required")
    return _dev_signing_key(Path(settings.var_dir) / DEV_SIGNING_KEY_FILE)


def _load_pem(data: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as error:
        raise ConfigurationError(f"{where}: not a PEM private key") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{where}: an Ed25519 key is required (EdDSA)")
    return key


def _dev_signing_key(path: Path) -> Ed25519PrivateKey:
    """Development only: the key in var/, generated on first start (exclusive create, mode 0600)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process of this run made it first
        else:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
            log.info("auth: generated a development signing key in %s", path)
    return _load_pem(path.read_bytes(), str(path))


def _clients(settings: Settings) -> dict[str, SystemClient]:
    configured = secret(settings, "clients")
    if not configured:
        if settings.production:
            return {}  # no system clients unless configured; the dev clients never exist in production
        return {cid: _client(cid, role, value, DEV_OFFICE if role == STAFF else None)
                for cid, (role, value) in DEV_CLIENTS.items()}
    clients = {}
    for entry in configured.split(","):
        client_id, _, rest = entry.strip().partition(":")
        role_and_office, _, value = rest.partition(":")
        role, _, office = role_and_office.partition("@")
        if not client_id or client_id.startswith(REGISTERED_CLIENT_PREFIX) or role not in CLIENT_ROLES or not value or \
                (office and (role != STAFF or not OFFICE_CODE.match(office))):
            raise ConfigurationError("MYPAGE_AUTH_SECRET_CLIENTS: entries are id:staff@OFFICE|employer:secret "
                                     "(OFFICE: the 5-digit office code; ids starting with "
                                     f"{REGISTERED_CLIENT_PREFIX} are for the employer clients staff register)")
        if settings.production and (value in {s for _, s in DEV_CLIENTS.values()} or len(value) < 16):
            raise settings.refusal(f"MYPAGE_AUTH_SECRET_CLIENTS: client {client_id} has a development or short "
                                   "secret")
        if settings.production and role == EMPLOYER:
            raise settings.refusal(f"MYPAGE_AUTH_SECRET_CLIENTS: client {client_id} would act for every "
                                   "establishment; register employer clients with their establishments "
                                   "(POST /api/v1/staff/employer-clients, C1)")
        if settings.production and role == STAFF and not office:
            raise settings.refusal(f"MYPAGE_AUTH_SECRET_CLIENTS: staff client {client_id} names no office "
                                   "(id:staff@OFFICE:secret, C3)")
        clients[client_id] = _client(client_id, role, value, office or None)
    return clients


def _client(client_id: str, role: str, value: str, office: str | None) -> SystemClient:
    return SystemClient(client_id, role, hashlib.sha256(value.encode()).digest(),
                        EVERY_ESTABLISHMENT if role == EMPLOYER else None, office)
