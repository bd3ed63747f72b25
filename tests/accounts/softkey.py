"""A security key in software for the server-side tests: it answers allauth's WebAuthn options
the way a browser and a key would (packed "none" attestation, ES256), so registration and sign-in
run through allauth's real verification without a browser."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticationResponse,
    AuthenticatorAssertionResponse,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

FLAGS = AuthenticatorData.FLAG


def _public_key(options: Any) -> Any:
    return options.get("publicKey", options)


@dataclass
class SoftKey:
    origin: str = "http://localhost"
    rp_id: str = "localhost"
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    counter: int = 0

    def register(self, creation_options: Any) -> str:
        """The credential (JSON) for allauth's add form, from the page's creation options."""
        challenge = _public_key(creation_options)["challenge"]
        client_data = CollectedClientData.create("webauthn.create", challenge, self.origin)
        credential = AttestedCredentialData.create(
            b"\0" * 16,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        auth_data = AuthenticatorData.create(
            hashlib.sha256(self.rp_id.encode()).digest(),
            FLAGS.UP | FLAGS.UV | FLAGS.AT,
            self.counter,
            credential,
        )
        response = RegistrationResponse(
            raw_id=self.credential_id,
            response=AuthenticatorAttestationResponse(
                client_data=client_data,
                attestation_object=AttestationObject.create("none", auth_data, {}),
            ),
        )
        return json.dumps(dict(response))

    def sign_in(self, request_options: Any) -> str:
        """The assertion (JSON) for allauth's authenticate form, from the page's request options."""
        self.counter += 1
        challenge = _public_key(request_options)["challenge"]
        client_data = CollectedClientData.create("webauthn.get", challenge, self.origin)
        auth_data = AuthenticatorData.create(
            hashlib.sha256(self.rp_id.encode()).digest(), FLAGS.UP | FLAGS.UV, self.counter
        )
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        response = AuthenticationResponse(
            raw_id=self.credential_id,
            response=AuthenticatorAssertionResponse(
                client_data=client_data, authenticator_data=auth_data, signature=signature
            ),
        )
        return json.dumps(dict(response))
