#include "verify/crypto.h"

#include "verify/base64.h"
#include "verify/jwk.h"
#include "verify/pkeyutil.h"

#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <vector>

namespace Verify {

namespace {

using Detail::fetchedDigest;
using Detail::takeOpenSslError;

struct MdCtxDeleter { void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); } };
struct BioDeleter { void operator()(BIO *b) const { BIO_free(b); } };
struct PkeyCtxDeleter { void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); } };

constexpr int PssSaltLength = 64; // RFC 9421 §3.3.1

struct AlgorithmInfo
{
    SignatureAlgorithm algorithm;
    const char *name;
    const char *jwa;
    const char *digest; // nullptr for Ed25519
};

constexpr AlgorithmInfo Algorithms[] = {
    {SignatureAlgorithm::RsaV15Sha1, "rsa-v1_5-sha1", nullptr, "SHA1"},
    {SignatureAlgorithm::RsaV15Sha256, "rsa-v1_5-sha256", "RS256", "SHA256"},
    {SignatureAlgorithm::RsaV15Sha512, "rsa-v1_5-sha512", "RS512", "SHA512"},
    {SignatureAlgorithm::RsaPssSha512, "rsa-pss-sha512", "PS512", "SHA512"},
    {SignatureAlgorithm::EcdsaP256Sha256, "ecdsa-p256-sha256", "ES256", "SHA256"},
    {SignatureAlgorithm::EcdsaP256Sha256Der, "ecdsa-p256-sha256-der", nullptr, "SHA256"},
    {SignatureAlgorithm::EcdsaP384Sha384, "ecdsa-p384-sha384", "ES384", "SHA384"},
    {SignatureAlgorithm::EcdsaP384Sha384Der, "ecdsa-p384-sha384-der", nullptr, "SHA384"},
    {SignatureAlgorithm::Ed25519, "ed25519", "EdDSA", nullptr},
    {SignatureAlgorithm::HmacSha256, "hmac-sha256", "HS256", "SHA256"},
    {SignatureAlgorithm::HmacSha512, "hmac-sha512", "HS512", "SHA512"},
};

const AlgorithmInfo &infoOf(SignatureAlgorithm algorithm)
{
    for (const AlgorithmInfo &info : Algorithms) {
        if (info.algorithm == algorithm)
            return info;
    }
    return Algorithms[0];
}

bool isRsaV15(SignatureAlgorithm a)
{
    return a == SignatureAlgorithm::RsaV15Sha1 || a == SignatureAlgorithm::RsaV15Sha256 || a == SignatureAlgorithm::RsaV15Sha512;
}

bool isEcdsa(SignatureAlgorithm a)
{
    return a == SignatureAlgorithm::EcdsaP256Sha256 || a == SignatureAlgorithm::EcdsaP256Sha256Der
           || a == SignatureAlgorithm::EcdsaP384Sha384 || a == SignatureAlgorithm::EcdsaP384Sha384Der;
}

bool isRawEcdsa(SignatureAlgorithm a)
{
    return a == SignatureAlgorithm::EcdsaP256Sha256 || a == SignatureAlgorithm::EcdsaP384Sha384;
}

QString ecdsaCurve(SignatureAlgorithm a)
{
    return a == SignatureAlgorithm::EcdsaP256Sha256 || a == SignatureAlgorithm::EcdsaP256Sha256Der
               ? QStringLiteral("P-256") : QStringLiteral("P-384");
}

QString keyDescription(const Key &key)
{
    switch (key.type) {
    case KeyType::Rsa: return QStringLiteral("an RSA public key");
    case KeyType::RsaPss: return QStringLiteral("an RSA-PSS public key");
    case KeyType::Ec: return QStringLiteral("an EC %1 public key").arg(key.curve);
    case KeyType::Ed25519: return QStringLiteral("an Ed25519 public key");
    case KeyType::Oct: return QStringLiteral("a shared secret");
    }
    return QStringLiteral("a key");
}

SignatureCheck failure(const char *code, const QString &message)
{
    SignatureCheck check;
    check.code = QString::fromLatin1(code);
    check.message = message;
    return check;
}

// raw r||s (RFC 9421 §3.3.4, RFC 7518 §3.4) <-> ASN.1 DER ECDSA-Sig-Value
std::optional<QByteArray> rawToDer(QByteArrayView raw)
{
    const qsizetype half = raw.size() / 2;
    BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.data()), int(half), nullptr);
    BIGNUM *s = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.data()) + half, int(half), nullptr);
    ECDSA_SIG *signature = ECDSA_SIG_new();
    if (!r || !s || !signature || ECDSA_SIG_set0(signature, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(signature);
        return std::nullopt;
    }
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(signature, &der);
    ECDSA_SIG_free(signature);
    if (length <= 0)
        return std::nullopt;
    QByteArray result(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return result;
}

std::optional<QByteArray> derToRaw(QByteArrayView der, int fieldBytes)
{
    const unsigned char *cursor = reinterpret_cast<const unsigned char *>(der.data());
    ECDSA_SIG *signature = d2i_ECDSA_SIG(nullptr, &cursor, long(der.size()));
    if (!signature)
        return std::nullopt;
    if (cursor != reinterpret_cast<const unsigned char *>(der.data()) + der.size()) {
        ECDSA_SIG_free(signature);
        return std::nullopt; // trailing bytes: not canonical DER
    }
    QByteArray raw(fieldBytes * 2, '\0');
    const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(signature), reinterpret_cast<unsigned char *>(raw.data()), fieldBytes) == fieldBytes
                    && BN_bn2binpad(ECDSA_SIG_get0_s(signature), reinterpret_cast<unsigned char *>(raw.data()) + fieldBytes, fieldBytes) == fieldBytes;
    ECDSA_SIG_free(signature);
    return ok ? std::optional<QByteArray>(raw) : std::nullopt;
}

enum class PssSalt { Rfc9421, Auto };

bool setPadding(EVP_PKEY_CTX *pkeyContext, SignatureAlgorithm algorithm, PssSalt salt)
{
    if (algorithm == SignatureAlgorithm::RsaPssSha512) {
        return EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_PSS_PADDING) == 1
               && EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkeyContext, "SHA512", nullptr) == 1
               && EVP_PKEY_CTX_set_rsa_pss_saltlen(pkeyContext, salt == PssSalt::Auto ? RSA_PSS_SALTLEN_AUTO : PssSaltLength) == 1;
    }
    if (isRsaV15(algorithm))
        return EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_PADDING) == 1;
    return true;
}

/// Verification contexts set up once (EVP_PKEY_verify_init, padding, digest) per thread, key and
/// parameters, reused for every signature as `openssl speed` does: setting one up per call cost
/// about a third of an RSA-2048 verification. Per thread because a context is not shareable;
/// each holds a reference to its key, so no other key can take a cached key's address.
class VerifyContextCache final
{
public:
    EVP_PKEY_CTX *context(EVP_PKEY *pkey, const EVP_MD *md, SignatureAlgorithm algorithm, PssSalt salt)
    {
        for (const Entry &entry : m_entries) {
            if (entry.pkey == pkey && entry.md == md && entry.algorithm == algorithm && entry.salt == salt)
                return entry.context.get();
        }
        std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> context(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
        if (!context || EVP_PKEY_verify_init(context.get()) != 1 || !setPadding(context.get(), algorithm, salt)
            || EVP_PKEY_CTX_set_signature_md(context.get(), md) != 1) {
            ERR_clear_error();
            return nullptr;
        }
        if (m_entries.size() >= MaxEntries) // keys replaced by a refetch age out
            m_entries.erase(m_entries.begin());
        m_entries.push_back(Entry{pkey, md, algorithm, salt, std::move(context)});
        return m_entries.back().context.get();
    }

private:
    static constexpr size_t MaxEntries = 16;
    struct Entry
    {
        EVP_PKEY *pkey;
        const EVP_MD *md;
        SignatureAlgorithm algorithm;
        PssSalt salt;
        std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> context;
    };
    std::vector<Entry> m_entries;
};

// One verification; the pkey is shared, its verify context is cached per thread. Ed25519 signs
// the message itself (RFC 8032), so it has no digest and takes the one-shot EVP_DigestVerify.
bool evpVerify(EVP_PKEY *pkey, const char *digest, SignatureAlgorithm algorithm, QByteArrayView data,
               QByteArrayView signature, PssSalt salt = PssSalt::Rfc9421)
{
    const auto *signatureBytes = reinterpret_cast<const unsigned char *>(signature.data());
    const auto *dataBytes = reinterpret_cast<const unsigned char *>(data.data());
    thread_local VerifyContextCache contexts;
    const EVP_MD *md = digest ? fetchedDigest(digest) : nullptr;
    if (EVP_PKEY_CTX *context = md ? contexts.context(pkey, md, algorithm, salt) : nullptr) {
        unsigned char hash[EVP_MAX_MD_SIZE];
        unsigned int hashLength = 0;
        const bool ok = EVP_Digest(dataBytes, size_t(data.size()), hash, &hashLength, md, nullptr) == 1
                        && EVP_PKEY_verify(context, signatureBytes, size_t(signature.size()), hash, hashLength) == 1;
        ERR_clear_error();
        return ok;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> context(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pkeyContext = nullptr;
    if (!context || EVP_DigestVerifyInit_ex(context.get(), &pkeyContext, digest, nullptr, nullptr, pkey, nullptr) != 1
        || !setPadding(pkeyContext, algorithm, salt)) {
        ERR_clear_error();
        return false;
    }
    const int result = EVP_DigestVerify(context.get(), signatureBytes, size_t(signature.size()), dataBytes, size_t(data.size()));
    ERR_clear_error();
    return result == 1;
}

std::expected<QByteArray, QString> hmac(SignatureAlgorithm algorithm, const QByteArray &secret, QByteArrayView data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, infoOf(algorithm).digest, nullptr, secret.constData(), size_t(secret.size()),
                   reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()), out, sizeof out, &length))
        return std::unexpected(takeOpenSslError(QStringLiteral("HMAC computation failed.")));
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(length));
}

SignatureCheck verifyEcdsa(const Key &key, SignatureAlgorithm algorithm, QByteArrayView data, QByteArrayView signature,
                           SignatureCheck check)
{
    const int fieldBytes = key.curve == QLatin1String("P-256") ? 32 : 48;
    const char *digest = infoOf(algorithm).digest;
    std::optional<QByteArray> der;
    std::optional<QByteArray> alternativeDer; // the signature read in the other encoding
    if (isRawEcdsa(algorithm)) {
        if (signature.size() == fieldBytes * 2)
            der = rawToDer(signature);
        alternativeDer = signature.toByteArray();
    } else {
        der = signature.toByteArray();
        if (signature.size() == fieldBytes * 2)
            alternativeDer = rawToDer(signature);
    }
    if (der && evpVerify(key.pkey.get(), digest, algorithm, data, *der)) {
        check.ok = true;
        return check;
    }
    if (alternativeDer && evpVerify(key.pkey.get(), digest, algorithm, data, *alternativeDer)) {
        check.otherEcdsaEncodingWouldVerify = true;
        check.notes.append(isRawEcdsa(algorithm)
                               ? QStringLiteral("The signature is ASN.1 DER encoded; it verifies as DER, but %1 requires raw r||s (RFC 9421 §3.3.4).")
                                     .arg(signatureAlgorithmName(algorithm))
                               : QStringLiteral("The signature is raw r||s; it verifies in that encoding, but DER was expected."));
    }
    if (!der) {
        check.code = QStringLiteral("signature-malformed");
        check.message = isRawEcdsa(algorithm)
                            ? QStringLiteral("An %1 signature is %2 bytes (raw r||s); this one is %3.")
                                  .arg(signatureAlgorithmName(algorithm)).arg(fieldBytes * 2).arg(signature.size())
                            : QStringLiteral("The ECDSA signature is not ASN.1 DER.");
        return check;
    }
    check.code = QStringLiteral("signature-mismatch");
    check.message = QStringLiteral("The %1 signature does not verify with this key.").arg(signatureAlgorithmName(algorithm));
    return check;
}

} // namespace

QString signatureAlgorithmName(SignatureAlgorithm algorithm)
{
    return QString::fromLatin1(infoOf(algorithm).name);
}

std::optional<SignatureAlgorithm> signatureAlgorithmFromName(QStringView name)
{
    for (const AlgorithmInfo &info : Algorithms) {
        if (name == QLatin1String(info.name))
            return info.algorithm;
    }
    return std::nullopt;
}

std::optional<SignatureAlgorithm> signatureAlgorithmFromJwa(QStringView jwa)
{
    for (const AlgorithmInfo &info : Algorithms) {
        if (info.jwa && jwa == QLatin1String(info.jwa))
            return info.algorithm;
    }
    return std::nullopt;
}

bool isSymmetricAlgorithm(SignatureAlgorithm algorithm)
{
    return algorithm == SignatureAlgorithm::HmacSha256 || algorithm == SignatureAlgorithm::HmacSha512;
}

SignatureCheck checkKeyAlgorithm(const Key &key, SignatureAlgorithm algorithm)
{
    const QString name = signatureAlgorithmName(algorithm);
    const auto mismatch = [&](const QString &why) {
        return failure("algorithm-mismatch", QStringLiteral("The algorithm %1 cannot be used with %2%3.")
                                                 .arg(name, keyDescription(key), why));
    };
    if (isSymmetricAlgorithm(algorithm)) {
        // Algorithm confusion: never use public key material as an HMAC secret.
        if (!key.isSymmetric())
            return mismatch(QStringLiteral(": HMAC needs a shared secret, and a public key is never used as one"));
        if (key.secret.isEmpty())
            return mismatch(QStringLiteral(": the secret is empty"));
        return {true, {}, {}, {}, false, false, false};
    }
    if (key.isSymmetric() || !key.pkey)
        return mismatch(QStringLiteral(": it needs a public key"));
    SignatureCheck check;
    if (isRsaV15(algorithm) || algorithm == SignatureAlgorithm::RsaPssSha512) {
        if (key.type != KeyType::Rsa && !(key.type == KeyType::RsaPss && algorithm == SignatureAlgorithm::RsaPssSha512))
            return mismatch(key.type == KeyType::RsaPss ? QStringLiteral(": the key is restricted to RSA-PSS") : QString());
        if (key.bits < 2048) {
            check.weakKey = true;
            check.notes.append(QStringLiteral("The RSA key has only %1 bits; 2048 or more is recommended.").arg(key.bits));
        }
    } else if (isEcdsa(algorithm)) {
        if (key.type != KeyType::Ec || key.curve != ecdsaCurve(algorithm))
            return mismatch(QStringLiteral(": it needs an EC %1 key").arg(ecdsaCurve(algorithm)));
    } else if (algorithm == SignatureAlgorithm::Ed25519 && key.type != KeyType::Ed25519) {
        return mismatch(QString());
    }
    if (algorithm == SignatureAlgorithm::RsaV15Sha1)
        check.notes.append(QStringLiteral("SHA-1 signatures are weak."));
    check.ok = true;
    return check;
}

SignatureCheck verifySignature(const Key &key, SignatureAlgorithm algorithm, QByteArrayView data, QByteArrayView signature)
{
    SignatureCheck check = checkKeyAlgorithm(key, algorithm);
    if (!check.ok)
        return check;
    check.ok = false;
    if (isSymmetricAlgorithm(algorithm)) {
        auto expected = hmac(algorithm, key.secret, data);
        if (!expected)
            return failure("algorithm-unsupported", expected.error());
        if (signature.size() != expected->size()) {
            check.code = QStringLiteral("signature-malformed");
            check.message = QStringLiteral("An %1 signature is %2 bytes; this one is %3.")
                                .arg(signatureAlgorithmName(algorithm)).arg(expected->size()).arg(signature.size());
            return check;
        }
        check.ok = CRYPTO_memcmp(expected->constData(), signature.data(), size_t(signature.size())) == 0;
    } else if (isEcdsa(algorithm)) {
        return verifyEcdsa(key, algorithm, data, signature, check);
    } else {
        check.ok = evpVerify(key.pkey.get(), infoOf(algorithm).digest, algorithm, data, signature);
        if (!check.ok && algorithm == SignatureAlgorithm::RsaPssSha512
            && evpVerify(key.pkey.get(), infoOf(algorithm).digest, algorithm, data, signature, PssSalt::Auto)) {
            check.pssAutoSaltWouldVerify = true;
            check.notes.append(QStringLiteral("The signature verifies with a PSS salt length other than 64 bytes; "
                                              "RFC 9421 §3.3.1 requires 64, so the signer is misconfigured."));
        }
    }
    if (!check.ok) {
        check.code = QStringLiteral("signature-mismatch");
        check.message = QStringLiteral("The %1 signature does not verify with this key.").arg(signatureAlgorithmName(algorithm));
    }
    return check;
}

std::expected<QByteArray, QString> signData(const Key &key, SignatureAlgorithm algorithm, QByteArrayView data)
{
    const SignatureCheck fits = checkKeyAlgorithm(key, algorithm);
    if (!fits.ok)
        return std::unexpected(fits.message);
    if (isSymmetricAlgorithm(algorithm))
        return hmac(algorithm, key.secret, data);
    if (!key.hasPrivate)
        return std::unexpected(QStringLiteral("Signing needs a private key; this key is public only."));
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> context(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pkeyContext = nullptr;
    if (!context || EVP_DigestSignInit_ex(context.get(), &pkeyContext, infoOf(algorithm).digest, nullptr, nullptr,
                                          key.pkey.get(), nullptr) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("Cannot start signing.")));
    if (algorithm == SignatureAlgorithm::RsaPssSha512
        && (EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkeyContext, "SHA512", nullptr) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pkeyContext, PssSaltLength) != 1))
        return std::unexpected(takeOpenSslError(QStringLiteral("Cannot set up RSA-PSS.")));
    size_t length = 0;
    const auto *input = reinterpret_cast<const unsigned char *>(data.data());
    if (EVP_DigestSign(context.get(), nullptr, &length, input, size_t(data.size())) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("Signing failed.")));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, input, size_t(data.size())) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("Signing failed.")));
    signature.resize(qsizetype(length));
    if (isRawEcdsa(algorithm)) {
        auto raw = derToRaw(signature, key.curve == QLatin1String("P-256") ? 32 : 48);
        if (!raw)
            return std::unexpected(QStringLiteral("Cannot convert the ECDSA signature to raw r||s."));
        return *raw;
    }
    return signature;
}

std::expected<KeyPtr, QString> keyFromPrivatePem(QByteArrayView pem, const QString &kid, const QString &source)
{
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!pkey)
        return std::unexpected(takeOpenSslError(QStringLiteral("No unencrypted private key could be read from the PEM text.")));
    auto described = Detail::describePkey(Detail::adoptPkey(pkey), kid, source, true);
    if (!described)
        return std::unexpected(described.error());
    return std::make_shared<const Key>(std::move(*described));
}

std::expected<QByteArray, QString> privateKeyToPem(const Key &key)
{
    if (!key.hasPrivate || !key.pkey)
        return std::unexpected(QStringLiteral("The key holds no private key."));
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), key.pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("Cannot write the private key.")));
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

std::expected<KeyPtr, QString> generateKey(KeyType type, int bits, const QString &curve, const QString &kid)
{
    EVP_PKEY *pkey = nullptr;
    switch (type) {
    case KeyType::Rsa:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits));
        break;
    case KeyType::Ec: {
        const QByteArray group = Detail::opensslGroupName(curve.isEmpty() ? QStringLiteral("P-256") : curve);
        if (group.isEmpty())
            return std::unexpected(QStringLiteral("The curve \"%1\" is not supported.").arg(curve));
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group.constData());
        break;
    }
    case KeyType::Ed25519:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
        break;
    case KeyType::Oct: {
        QByteArray secret(qMax(bits / 8, 32), Qt::Uninitialized);
        if (RAND_bytes(reinterpret_cast<unsigned char *>(secret.data()), int(secret.size())) != 1)
            return std::unexpected(takeOpenSslError(QStringLiteral("No random bytes available.")));
        return makeSecretKey(kid, secret, QStringLiteral("generated"));
    }
    case KeyType::RsaPss:
        return std::unexpected(QStringLiteral("Generate an RSA key instead; it can sign RSA-PSS."));
    }
    if (!pkey)
        return std::unexpected(takeOpenSslError(QStringLiteral("Key generation failed.")));
    auto described = Detail::describePkey(Detail::adoptPkey(pkey), kid, QStringLiteral("generated"), true);
    if (!described)
        return std::unexpected(described.error());
    return std::make_shared<const Key>(std::move(*described));
}

KeyPtr makeSecretKey(const QString &kid, const QByteArray &secret, const QString &source)
{
    auto key = std::make_shared<Key>();
    key->kid = kid;
    key->type = KeyType::Oct;
    key->secret = secret;
    key->bits = int(secret.size() * 8);
    key->source = source;
    key->thumbprint = jwkThumbprint(QJsonObject{{QStringLiteral("k"), QString::fromLatin1(encodeBase64Url(secret))},
                                                {QStringLiteral("kty"), QStringLiteral("oct")}})
                          .value_or(QByteArray());
    return key;
}

} // namespace Verify
