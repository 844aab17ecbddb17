#include "verify/jwk.h"

#include "verify/base64.h"
#include "verify/pkeyutil.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace Verify {

namespace {

using Detail::adoptPkey;
using Detail::takeOpenSslError;

struct ParamBuilderDeleter { void operator()(OSSL_PARAM_BLD *b) const { OSSL_PARAM_BLD_free(b); } };
struct ParamsDeleter { void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); } };
struct PkeyCtxDeleter { void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); } };
struct BioDeleter { void operator()(BIO *b) const { BIO_free(b); } };

/// Decoded base64url members of one JWK, with the member name in every error.
class MemberReader
{
public:
    explicit MemberReader(const QJsonObject &jwk) : m_jwk(jwk) {}

    bool has(const char *name) const { return m_jwk.contains(QLatin1String(name)); }

    std::expected<QByteArray, QString> bytes(const char *name) const
    {
        const QJsonValue value = m_jwk.value(QLatin1String(name));
        if (value.isUndefined())
            return std::unexpected(QStringLiteral("The JWK lacks the required member \"%1\".").arg(QLatin1String(name)));
        if (!value.isString())
            return std::unexpected(QStringLiteral("The JWK member \"%1\" is not a string.").arg(QLatin1String(name)));
        auto decoded = decodeBase64UrlStrict(value.toString().toLatin1());
        if (!decoded)
            return std::unexpected(QStringLiteral("The JWK member \"%1\" is not strict base64url: %2")
                                       .arg(QLatin1String(name), decoded.error().message));
        if (decoded->isEmpty())
            return std::unexpected(QStringLiteral("The JWK member \"%1\" is empty.").arg(QLatin1String(name)));
        return *decoded;
    }

    // A private member, read only when the caller keeps private keys and the JWK has it.
    std::expected<std::optional<QByteArray>, QString> privateMember(const char *name, bool keepPrivate) const
    {
        if (!keepPrivate || !has(name))
            return std::optional<QByteArray>();
        auto value = bytes(name);
        if (!value)
            return std::unexpected(value.error());
        return std::optional<QByteArray>(*value);
    }

private:
    QJsonObject m_jwk;
};

bool pushBignum(OSSL_PARAM_BLD *builder, const char *key, const QByteArray &bytes, QList<BIGNUM *> &owned)
{
    BIGNUM *number = BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr);
    if (!number)
        return false;
    owned.append(number);
    return OSSL_PARAM_BLD_push_BN(builder, key, number) == 1;
}

// EVP_PKEY_fromdata over parameters collected by fill(builder, bignums).
template<typename Fill>
std::expected<std::shared_ptr<EVP_PKEY>, QString> pkeyFromData(const char *type, bool keyPair, Fill fill)
{
    std::unique_ptr<OSSL_PARAM_BLD, ParamBuilderDeleter> builder(OSSL_PARAM_BLD_new());
    QList<BIGNUM *> bignums;
    const bool filled = fill(builder.get(), bignums);
    std::unique_ptr<OSSL_PARAM, ParamsDeleter> params(filled ? OSSL_PARAM_BLD_to_param(builder.get()) : nullptr);
    for (BIGNUM *number : bignums)
        BN_clear_free(number);
    if (!params)
        return std::unexpected(takeOpenSslError(QStringLiteral("Cannot build the key parameters.")));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *pkey = nullptr;
    if (!context || EVP_PKEY_fromdata_init(context.get()) != 1
        || EVP_PKEY_fromdata(context.get(), &pkey, keyPair ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("OpenSSL rejected the key.")));
    auto owned = adoptPkey(pkey);
    // RFC 7518 §6.2.1: the EC point must lie on the curve; for keys: the parts must agree.
    // (The RSA public check is not run: OpenSSL 3 applies SP 800-56B rules to it, which refuse
    // keys that are still usable for verification, such as small exponents.)
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!check)
        return std::unexpected(takeOpenSslError());
    if (qstrcmp(type, "EC") == 0 && EVP_PKEY_public_check(check.get()) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("The public key is not valid: the point is not on the curve.")));
    if (keyPair && EVP_PKEY_pairwise_check(check.get()) == 0)
        return std::unexpected(takeOpenSslError(QStringLiteral("The private key does not match the public key.")));
    return owned;
}

std::expected<std::shared_ptr<EVP_PKEY>, QString> rsaFromJwk(const MemberReader &members, bool keepPrivate)
{
    auto n = members.bytes("n");
    if (!n)
        return std::unexpected(n.error());
    auto e = members.bytes("e");
    if (!e)
        return std::unexpected(e.error());
    const bool withPrivate = keepPrivate && members.has("d");
    QList<std::pair<const char *, QByteArray>> privateParts;
    if (withPrivate) {
        const std::pair<const char *, const char *> names[] = {
            {"d", OSSL_PKEY_PARAM_RSA_D},           {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
            {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},     {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
            {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},  {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
        for (const auto &[member, param] : names) {
            if (!members.has(member))
                continue;
            auto value = members.bytes(member);
            if (!value)
                return std::unexpected(value.error());
            privateParts.append({param, *value});
        }
    }
    return pkeyFromData("RSA", withPrivate, [&](OSSL_PARAM_BLD *builder, QList<BIGNUM *> &owned) {
        bool ok = pushBignum(builder, OSSL_PKEY_PARAM_RSA_N, *n, owned) && pushBignum(builder, OSSL_PKEY_PARAM_RSA_E, *e, owned);
        for (const auto &[param, value] : privateParts)
            ok = ok && pushBignum(builder, param, value, owned);
        return ok;
    });
}

std::expected<std::shared_ptr<EVP_PKEY>, QString> ecFromJwk(const QJsonObject &jwk, const MemberReader &members,
                                                            bool keepPrivate)
{
    const QString curve = jwk.value(QStringLiteral("crv")).toString();
    const QByteArray group = Detail::opensslGroupName(curve);
    if (group.isEmpty())
        return std::unexpected(QStringLiteral("The EC curve \"%1\" is not supported (P-256, P-384, P-521 are).").arg(curve));
    const int size = Detail::curveFieldBytes(curve);
    auto x = members.bytes("x");
    if (!x)
        return std::unexpected(x.error());
    auto y = members.bytes("y");
    if (!y)
        return std::unexpected(y.error());
    // RFC 7518 §6.2.1.2/3: x and y MUST be the full size of a coordinate for the curve.
    if (x->size() != size || y->size() != size)
        return std::unexpected(QStringLiteral("The %1 coordinates must be %2 bytes each; got %3 and %4.")
                                   .arg(curve).arg(size).arg(x->size()).arg(y->size()));
    const QByteArray point = '\x04' + *x + *y;
    auto privatePart = members.privateMember("d", keepPrivate);
    if (!privatePart)
        return std::unexpected(privatePart.error());
    const std::optional<QByteArray> &d = *privatePart;
    return pkeyFromData("EC", d.has_value(), [&](OSSL_PARAM_BLD *builder, QList<BIGNUM *> &owned) {
        bool ok = OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, group.constData(), 0) == 1
                  && OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.constData(), size_t(point.size())) == 1;
        if (d)
            ok = ok && pushBignum(builder, OSSL_PKEY_PARAM_PRIV_KEY, *d, owned);
        return ok;
    });
}

// RFC 8037 §2: OKP with crv Ed25519; x is the 32-byte public key, d the private seed.
std::expected<std::shared_ptr<EVP_PKEY>, QString> okpFromJwk(const QJsonObject &jwk, const MemberReader &members,
                                                             bool keepPrivate)
{
    const QString curve = jwk.value(QStringLiteral("crv")).toString();
    if (curve != QLatin1String("Ed25519"))
        return std::unexpected(QStringLiteral("The OKP curve \"%1\" is not supported (Ed25519 is).").arg(curve));
    auto x = members.bytes("x");
    if (!x)
        return std::unexpected(x.error());
    if (x->size() != 32)
        return std::unexpected(QStringLiteral("An Ed25519 public key is 32 bytes; \"x\" has %1.").arg(x->size()));
    auto privatePart = members.privateMember("d", keepPrivate);
    if (!privatePart)
        return std::unexpected(privatePart.error());
    const std::optional<QByteArray> &d = *privatePart;
    return pkeyFromData("ED25519", d.has_value(), [&](OSSL_PARAM_BLD *builder, QList<BIGNUM *> &) {
        bool ok = OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, x->constData(), size_t(x->size())) == 1;
        if (d)
            ok = ok && OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PRIV_KEY, d->constData(), size_t(d->size())) == 1;
        return ok;
    });
}

QByteArray compactJson(const QList<std::pair<QString, QString>> &sortedMembers)
{
    QByteArray out("{");
    for (qsizetype i = 0; i < sortedMembers.size(); ++i) {
        if (i > 0)
            out += ',';
        // Member values of required thumbprint members are base64url or names: no escaping needed,
        // but quote defensively through QJsonDocument for anything else.
        const QJsonArray wrapped{sortedMembers[i].second};
        const QByteArray value = QJsonDocument(wrapped).toJson(QJsonDocument::Compact).sliced(1).chopped(1);
        out += '"' + sortedMembers[i].first.toUtf8() + "\":" + value;
    }
    return out + '}';
}

} // namespace

std::expected<QByteArray, QString> jwkThumbprint(const QJsonObject &jwk)
{
    const QString kty = jwk.value(QStringLiteral("kty")).toString();
    QStringList required;
    // RFC 7638 §3.2: the required members of each key type, in lexicographic order.
    if (kty == QLatin1String("RSA"))
        required = {QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n")};
    else if (kty == QLatin1String("EC"))
        required = {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"), QStringLiteral("y")};
    else if (kty == QLatin1String("OKP"))
        required = {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x")}; // RFC 8037 §2
    else if (kty == QLatin1String("oct"))
        required = {QStringLiteral("k"), QStringLiteral("kty")};
    else
        return std::unexpected(QStringLiteral("The JWK key type \"%1\" is not supported.").arg(kty));
    QList<std::pair<QString, QString>> members;
    for (const QString &name : required) {
        const QJsonValue value = jwk.value(name);
        if (!value.isString())
            return std::unexpected(QStringLiteral("The JWK lacks the string member \"%1\" needed for its thumbprint.").arg(name));
        members.append({name, value.toString()});
    }
    return encodeBase64Url(QCryptographicHash::hash(compactJson(members), QCryptographicHash::Sha256));
}

std::expected<KeyPtr, QString> keyFromJwk(const QJsonObject &jwk, const QString &source, bool keepPrivate)
{
    const QString kty = jwk.value(QStringLiteral("kty")).toString();
    const QString kid = jwk.value(QStringLiteral("kid")).toString();
    // RFC 7517 §4.2: "use" states the intended use; a key marked for encryption is still loaded
    // (its public part is what a verifier needs) but the note says so.
    const QString useNote = jwk.value(QStringLiteral("use")).toString() == QLatin1String("enc")
                                ? QStringLiteral("The JWK is marked \"use\": \"enc\" (encryption), not \"sig\".")
                                : QString();
    const MemberReader members(jwk);
    const bool isPrivate = members.has("d") || (kty == QLatin1String("oct"));
    if (kty == QLatin1String("oct")) {
        auto secret = members.bytes("k");
        if (!secret)
            return std::unexpected(secret.error());
        auto key = std::make_shared<Key>();
        key->type = KeyType::Oct;
        key->secret = *secret;
        key->bits = int(secret->size() * 8);
        key->thumbprint = jwkThumbprint(jwk).value_or(QByteArray());
        key->kid = kid.isEmpty() ? QString::fromLatin1(key->thumbprint) : kid;
        key->jwkAlg = jwk.value(QStringLiteral("alg")).toString();
        key->source = source;
        return key;
    }
    std::expected<std::shared_ptr<EVP_PKEY>, QString> pkey;
    if (kty == QLatin1String("RSA"))
        pkey = rsaFromJwk(members, keepPrivate);
    else if (kty == QLatin1String("EC"))
        pkey = ecFromJwk(jwk, members, keepPrivate);
    else if (kty == QLatin1String("OKP"))
        pkey = okpFromJwk(jwk, members, keepPrivate);
    else if (kty.isEmpty())
        return std::unexpected(QStringLiteral("The JWK has no \"kty\" member."));
    else
        return std::unexpected(QStringLiteral("The JWK key type \"%1\" is not supported (RSA, EC, OKP, oct are).").arg(kty));
    if (!pkey)
        return std::unexpected(pkey.error());
    auto described = Detail::describePkey(*pkey, kid, source, keepPrivate && isPrivate);
    if (!described)
        return std::unexpected(described.error());
    described->jwkAlg = jwk.value(QStringLiteral("alg")).toString();
    described->note = useNote;
    if (isPrivate && !keepPrivate)
        described->note = (useNote.isEmpty() ? QString() : useNote + u' ')
                          + QStringLiteral("The JWK holds a private key; only its public part is used.");
    return std::make_shared<const Key>(std::move(*described));
}

std::expected<KeyPtr, QString> keyFromJwkJson(QByteArrayView json, const QString &source, bool keepPrivate)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (!document.isObject())
        return std::unexpected(QStringLiteral("The JWK is not a JSON object: %1 at offset %2.")
                                   .arg(error.errorString()).arg(error.offset));
    return keyFromJwk(document.object(), source, keepPrivate);
}

std::expected<JwksLoadResult, QString> keySetFromJwks(QByteArrayView json, const QString &source)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::unexpected(QStringLiteral("The JWKS is not valid JSON: %1 at offset %2.")
                                   .arg(error.errorString()).arg(error.offset));
    const QJsonValue keys = document.object().value(QStringLiteral("keys"));
    if (!document.isObject() || !keys.isArray())
        return std::unexpected(QStringLiteral("The JWKS has no \"keys\" array (RFC 7517 §5)."));
    JwksLoadResult result;
    const QJsonArray array = keys.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject jwk = array.at(i).toObject();
        const QString kid = jwk.value(QStringLiteral("kid")).toString();
        const QString label = kid.isEmpty() ? QStringLiteral("Key %1").arg(i) : QStringLiteral("Key %1 (kid \"%2\")").arg(i).arg(kid);
        if (!array.at(i).isObject()) {
            result.errors.append(QStringLiteral("Key %1 is not a JSON object.").arg(i));
            continue;
        }
        auto key = keyFromJwk(jwk, source);
        if (!key) {
            result.errors.append(label + QStringLiteral(": ") + key.error());
            continue;
        }
        if (result.keys.find((*key)->kid)) {
            result.errors.append(label + QStringLiteral(": another key already uses this kid; the first one is kept."));
            continue;
        }
        result.keys.add(*key);
    }
    return result;
}

std::expected<QJsonObject, QString> keyToPublicJwk(const Key &key, bool includeSecret)
{
    QJsonObject jwk;
    if (key.isSymmetric()) {
        if (!includeSecret)
            return std::unexpected(QStringLiteral("An HMAC secret has no public part to publish."));
        jwk.insert(QStringLiteral("kty"), QStringLiteral("oct"));
        jwk.insert(QStringLiteral("k"), QString::fromLatin1(encodeBase64Url(key.secret)));
    } else {
        if (!key.pkey)
            return std::unexpected(QStringLiteral("The key has no public key."));
        auto members = Detail::publicJwkMembers(key.pkey.get());
        if (!members)
            return members;
        jwk = *members;
    }
    if (!key.kid.isEmpty())
        jwk.insert(QStringLiteral("kid"), key.kid);
    if (!key.jwkAlg.isEmpty())
        jwk.insert(QStringLiteral("alg"), key.jwkAlg);
    return jwk;
}

std::expected<QByteArray, QString> keySetToJwks(const KeySet &keys)
{
    QJsonArray array;
    for (const KeyPtr &key : keys.keys()) {
        auto jwk = keyToPublicJwk(*key);
        if (!jwk)
            return std::unexpected(jwk.error());
        array.append(*jwk);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), array}}).toJson(QJsonDocument::Compact);
}

std::expected<KeyPtr, QString> keyFromPublicPem(QByteArrayView pem, const QString &kid, const QString &source)
{
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    EVP_PKEY *pkey = nullptr;
    QString note;
    if (pem.contains(QByteArrayView("-----BEGIN CERTIFICATE-----"))) {
        X509 *certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        if (certificate) {
            pkey = X509_get_pubkey(certificate);
            X509_free(certificate);
        }
        note = QStringLiteral("The key is the public key of a certificate; the certificate itself is not checked.");
    } else {
        // The generic decoder reads SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" and, taking only
        // their public part, private key PEMs.
        OSSL_DECODER_CTX *decoder = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nullptr, nullptr,
                                                                  EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
        if (decoder) {
            OSSL_DECODER_from_bio(decoder, bio.get());
            OSSL_DECODER_CTX_free(decoder);
        }
        if (pem.contains(QByteArrayView("PRIVATE KEY-----")))
            note = QStringLiteral("The PEM holds a private key; only its public part is used.");
    }
    if (!pkey)
        return std::unexpected(takeOpenSslError(QStringLiteral("No public key could be read from the PEM text.")));
    ERR_clear_error();
    auto described = Detail::describePkey(adoptPkey(pkey), kid, source, false);
    if (!described)
        return std::unexpected(described.error());
    described->note = note;
    return std::make_shared<const Key>(std::move(*described));
}

std::expected<QByteArray, QString> publicKeyToPem(const Key &key)
{
    if (!key.pkey)
        return std::unexpected(QStringLiteral("An HMAC secret has no public key to write as PEM."));
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PUBKEY(bio.get(), key.pkey.get()) != 1)
        return std::unexpected(takeOpenSslError(QStringLiteral("Cannot write the public key as PEM.")));
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

} // namespace Verify
