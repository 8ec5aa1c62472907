"""Account use cases with no HTTP: create, list, revoke, new token, password, and sign-in.

A token is 256 random bits (`secrets.token_urlsafe`), kept only as its SHA-256 digest: it has
the entropy a slow hash would add. A password is kept as a salted scrypt hash. Every check
compares digests in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING

from advisor.domain import Account, FieldProblem, InvalidInput

if TYPE_CHECKING:  # the store is given: any object with its methods serves
    from advisor.storage.accounts import AccountStore

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
PASSWORD_MIN, PASSWORD_MAX = 12, 1024
TOKEN_BYTES = 32
# scrypt's cost: 16 MiB and some 50 ms a check, as OWASP's password storage guidance suggests.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _SCRYPT_LEN = 2**14, 8, 1, 32


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash`, the salt 16 random bytes."""
    salt = secrets.token_bytes(16) if salt is None else salt
    derived = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_SCRYPT_LEN
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(derived)}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, expected = stored.split("$")
        if kind != "scrypt":
            return False
        derived = hashlib.scrypt(
            password.encode("utf-8", "surrogatepass"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(base64.b64decode(expected)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(expected))


# Checked when the name is unknown, so that a wrong name takes as long as a wrong password.
_DECOY = hash_password("not a password of any account", salt=b"\0" * 16)


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise InvalidInput(
            [
                FieldProblem(
                    "NAME",
                    "must be 1 to 64 letters, digits and . _ @ - (starting with a letter or digit), "
                    f"not {name[:80]!r}",
                )
            ]
        )
    return name


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(
            [FieldProblem("password", f"must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long")]
        )
    return password


class Accounts:
    """Accounts over a store; tokens are shown once, when made, and kept only as digests."""

    def __init__(self, store: AccountStore):
        self.store = store

    def add(self, name: str) -> tuple[Account, str]:
        token = new_token()
        return self.store.add(check_name(name), token_digest(token)), token

    def list(self) -> list[Account]:
        return self.store.list()

    def revoke(self, name: str) -> Account:
        return self.store.revoke(name)

    def new_token(self, name: str) -> tuple[Account, str]:
        token = new_token()
        return self.store.set_token(name, token_digest(token)), token

    def set_password(self, name: str, password: str) -> Account:
        return self.store.set_password(name, hash_password(check_password(password)))

    def by_token(self, token: str) -> Account | None:
        """The active account whose API token this is."""
        if not token or len(token) > 512:
            return None
        digest = token_digest(token)
        found = self.store.by_token_hash(digest)
        if found is None or found.token_hash is None or not found.account.active:
            return None
        return found.account if hmac.compare_digest(found.token_hash, digest) else None

    def sign_in(self, name: str, secret: str) -> Account | None:
        """The active account `name` if `secret` is its API token or its password."""
        from advisor.domain import AccountNotFound

        if not secret or len(secret) > PASSWORD_MAX or not NAME.match(name):
            password_matches(secret[:PASSWORD_MAX], _DECOY)
            return None
        try:
            found = self.store.credentials(name)
        except AccountNotFound:
            password_matches(secret, _DECOY)
            return None
        if not found.account.active:
            password_matches(secret, _DECOY)  # as long as any other refusal
            return None
        digest = token_digest(secret)
        by_token = found.token_hash is not None and hmac.compare_digest(found.token_hash, digest)
        # The password is checked (or a decoy) either way, so that the time taken tells nothing.
        by_password = password_matches(secret, found.password_hash or _DECOY)
        by_password = by_password and found.password_hash is not None
        return found.account if by_token or by_password else None

    def sign_out(self, account_id: int) -> None:
        """Ends every web session of the account: sign-out holds even for a copy of the cookie."""
        self.store.sign_out(account_id)

    def current(self, account_id: int, epoch: int) -> Account | None:
        """The account a web session names, if it is still active and signed in since its
        last new token, password or revocation."""
        account = self.store.get(account_id)
        if account is None or not account.active or account.epoch != epoch:
            return None
        return account
