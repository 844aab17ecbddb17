#pragma once

#include "verify/key.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <expected>
#include <optional>

namespace Verify {

// Signature primitives over a Key (OpenSSL 3 EVP). Algorithm names follow the RFC 9421 §6.2
// registry where one exists.

enum class SignatureAlgorithm {
    RsaV15Sha1,         // "rsa-v1_5-sha1" (draft-cavage rsa-sha1; weak)
    RsaV15Sha256,       // "rsa-v1_5-sha256" (RFC 9421 §3.3.2)
    RsaV15Sha512,       // "rsa-v1_5-sha512"
    RsaPssSha512,       // "rsa-pss-sha512" (RFC 9421 §3.3.1: MGF1-SHA-512, salt length 64)
    EcdsaP256Sha256,    // "ecdsa-p256-sha256", raw r||s, 64 bytes (RFC 9421 §3.3.4)
    EcdsaP256Sha256Der, // "ecdsa-p256-sha256-der", ASN.1 DER (draft-cavage ecdsa-sha256)
    EcdsaP384Sha384,    // "ecdsa-p384-sha384", raw r||s, 96 bytes (RFC 9421 §3.3.5)
    EcdsaP384Sha384Der, // "ecdsa-p384-sha384-der"
    Ed25519,            // "ed25519" (RFC 9421 §3.3.6, RFC 8032)
    HmacSha256,         // "hmac-sha256" (RFC 9421 §3.3.3)
    HmacSha512,         // "hmac-sha512"
};

QString signatureAlgorithmName(SignatureAlgorithm algorithm);
std::optional<SignatureAlgorithm> signatureAlgorithmFromName(QStringView name); // the names above
// JOSE names (RFC 7518 §3.1, RFC 8037 §3.1): RS256, RS512, PS512, ES256, ES384, EdDSA, HS256,
// HS512 (ES* map to the raw r||s encoding, as JWS uses).
std::optional<SignatureAlgorithm> signatureAlgorithmFromJwa(QStringView jwa);
bool isSymmetricAlgorithm(SignatureAlgorithm algorithm);

/// The outcome of a key check or a signature verification.
struct SignatureCheck
{
    bool ok = false;
    // "" when ok; "algorithm-mismatch" (key does not fit the algorithm), "algorithm-unsupported",
    // "signature-malformed" (wrong length / encoding), "signature-mismatch"
    QString code;
    QString message; // one sentence; empty when ok
    // Additional diagnosis, also when ok: "weak key" (RSA < 2048 bits), "the other ECDSA encoding
    // (DER vs raw r||s) would have verified", "a PSS salt length other than 64 would have verified".
    QStringList notes;
    bool weakKey = false;
    bool pssAutoSaltWouldVerify = false;     // RsaPssSha512 only
    bool otherEcdsaEncodingWouldVerify = false;
};

// Does the key fit the algorithm? HMAC with a public key (algorithm confusion) never fits, nor an
// asymmetric algorithm with a secret, RSA with EC, ecdsa-p256 with a P-384 key, and so on.
// RSA keys under 2048 bits fit with weakKey set and a note (the draft-cavage test key is 1024).
SignatureCheck checkKeyAlgorithm(const Key &key, SignatureAlgorithm algorithm);

// Verifies signature over data. Runs checkKeyAlgorithm first; HMAC compares with CRYPTO_memcmp.
SignatureCheck verifySignature(const Key &key, SignatureAlgorithm algorithm, QByteArrayView data,
                               QByteArrayView signature);

// Signs data with a private key (Key::hasPrivate) or an HMAC secret. ECDSA output follows the
// chosen encoding; RSA-PSS uses salt length 64.
std::expected<QByteArray, QString> signData(const Key &key, SignatureAlgorithm algorithm, QByteArrayView data);

// Private keys: PEM "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" (PKCS#1), "EC PRIVATE KEY" (SEC1),
// unencrypted. The Key also carries the public part (verifySignature works with it).
std::expected<KeyPtr, QString> keyFromPrivatePem(QByteArrayView pem, const QString &kid = {},
                                                 const QString &source = {});
// PKCS#8 PEM of a private key.
std::expected<QByteArray, QString> privateKeyToPem(const Key &key);
// A new key pair: Rsa (bits, default 2048), Ec (curve "P-256" / "P-384" / "P-521"), Ed25519, or
// Oct (a random secret of bits/8 bytes).
std::expected<KeyPtr, QString> generateKey(KeyType type, int bits = 2048, const QString &curve = {},
                                           const QString &kid = {});

// An HMAC secret key (KeyType::Oct) from bytes.
KeyPtr makeSecretKey(const QString &kid, const QByteArray &secret, const QString &source = QStringLiteral("inline"));

} // namespace Verify
