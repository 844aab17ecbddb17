#pragma once

#include "verify/verifiercontext.h"

namespace Verify {

// Checks one draft-cavage signature (Authorization: Signature ... or a Signature header):
// parameters, key lookup by keyId, algorithm (hs2019 / absent: from the key), signing string,
// signature. headerName is "Authorization" or "Signature"; value the field value.
SignatureOutcome verifyCavageSignature(const VerifierInput &input, const QString &headerName,
                                       const QByteArray &value, const KeySet &keys, const Policy &policy);

// The concrete algorithms a draft-cavage `algorithm` names for a key (§2.1.3 and the draft-10
// registry: rsa-sha1, rsa-sha256, rsa-sha512, ecdsa-sha256 (DER), hmac-sha256/512, ed25519,
// hs2019). Empty when the name is not supported.
QList<SignatureAlgorithm> cavageAlgorithms(const QByteArray &name, const Key *key);

} // namespace Verify
