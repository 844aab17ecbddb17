#include "verify/pkeyutil.h"

#include "verify/base64.h"
#include "verify/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace Verify::Detail {

std::shared_ptr<EVP_PKEY> adoptPkey(EVP_PKEY *pkey)
{
    if (!pkey)
        return {};
    return std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

QString takeOpenSslError(const QString &fallback)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return fallback.isEmpty() ? QStringLiteral("OpenSSL reported an unspecified error.") : fallback;
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    const QString detail = QString::fromLatin1(buffer);
    return fallback.isEmpty() ? detail : fallback + QStringLiteral(" (") + detail + QLatin1Char(')');
}

const EVP_MD *fetchedDigest(const char *name)
{
    // Never freed, so nothing races OpenSSL's own clean-up at exit.
    struct Fetched { const char *name; EVP_MD *md; };
    static const Fetched digests[] = {
        {"SHA1", EVP_MD_fetch(nullptr, "SHA1", nullptr)},
        {"SHA256", EVP_MD_fetch(nullptr, "SHA256", nullptr)},
        {"SHA384", EVP_MD_fetch(nullptr, "SHA384", nullptr)},
        {"SHA512", EVP_MD_fetch(nullptr, "SHA512", nullptr)},
    };
    for (const Fetched &digest : digests) {
        if (qstrcmp(name, digest.name) == 0)
            return digest.md;
    }
    return nullptr;
}

QString joseCurveName(const QByteArray &groupName)
{
    if (groupName == "prime256v1" || groupName == "P-256" || groupName == "secp256r1")
        return QStringLiteral("P-256");
    if (groupName == "secp384r1" || groupName == "P-384")
        return QStringLiteral("P-384");
    if (groupName == "secp521r1" || groupName == "P-521")
        return QStringLiteral("P-521");
    return {};
}

QByteArray opensslGroupName(const QString &joseCurve)
{
    if (joseCurve == QLatin1String("P-256"))
        return QByteArrayLiteral("prime256v1");
    if (joseCurve == QLatin1String("P-384"))
        return QByteArrayLiteral("secp384r1");
    if (joseCurve == QLatin1String("P-521"))
        return QByteArrayLiteral("secp521r1");
    return {};
}

int curveFieldBytes(const QString &joseCurve)
{
    if (joseCurve == QLatin1String("P-256"))
        return 32;
    if (joseCurve == QLatin1String("P-384"))
        return 48;
    if (joseCurve == QLatin1String("P-521"))
        return 66;
    return 0;
}

namespace {

QByteArray bignumParam(EVP_PKEY *pkey, const char *name, int padTo = 0)
{
    BIGNUM *number = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &number) != 1)
        return {};
    QByteArray bytes(qMax(BN_num_bytes(number), padTo), Qt::Uninitialized);
    BN_bn2binpad(number, reinterpret_cast<unsigned char *>(bytes.data()), int(bytes.size()));
    BN_free(number);
    return bytes;
}

QString stringOf(const QByteArray &bytes) { return QString::fromLatin1(encodeBase64Url(bytes)); }

} // namespace

std::expected<QJsonObject, QString> publicJwkMembers(EVP_PKEY *pkey)
{
    QJsonObject jwk;
    if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS")) {
        jwk.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        jwk.insert(QStringLiteral("n"), stringOf(bignumParam(pkey, OSSL_PKEY_PARAM_RSA_N)));
        jwk.insert(QStringLiteral("e"), stringOf(bignumParam(pkey, OSSL_PKEY_PARAM_RSA_E)));
        return jwk;
    }
    if (EVP_PKEY_is_a(pkey, "EC")) {
        char group[64] = {};
        if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1)
            return std::unexpected(QStringLiteral("The EC key names no curve."));
        const QString curve = joseCurveName(QByteArray(group));
        if (curve.isEmpty())
            return std::unexpected(QStringLiteral("The EC curve %1 is not supported (P-256, P-384, P-521 are).")
                                       .arg(QString::fromLatin1(group)));
        const int size = curveFieldBytes(curve);
        jwk.insert(QStringLiteral("kty"), QStringLiteral("EC"));
        jwk.insert(QStringLiteral("crv"), curve);
        jwk.insert(QStringLiteral("x"), stringOf(bignumParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size)));
        jwk.insert(QStringLiteral("y"), stringOf(bignumParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size)));
        return jwk;
    }
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        QByteArray raw(32, Qt::Uninitialized);
        size_t length = size_t(raw.size());
        if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char *>(raw.data()), &length) != 1)
            return std::unexpected(takeOpenSslError(QStringLiteral("Cannot read the Ed25519 public key.")));
        jwk.insert(QStringLiteral("kty"), QStringLiteral("OKP"));
        jwk.insert(QStringLiteral("crv"), QStringLiteral("Ed25519"));
        jwk.insert(QStringLiteral("x"), stringOf(raw.first(qsizetype(length))));
        return jwk;
    }
    return std::unexpected(QStringLiteral("The key type %1 is not supported (RSA, EC, Ed25519 are).")
                               .arg(QString::fromLatin1(EVP_PKEY_get0_type_name(pkey))));
}

std::expected<Key, QString> describePkey(std::shared_ptr<EVP_PKEY> pkey, const QString &kid,
                                         const QString &source, bool hasPrivate)
{
    auto members = publicJwkMembers(pkey.get());
    if (!members)
        return std::unexpected(members.error());
    Key key;
    const QString kty = members->value(QStringLiteral("kty")).toString();
    if (kty == QLatin1String("RSA"))
        key.type = EVP_PKEY_is_a(pkey.get(), "RSA-PSS") ? KeyType::RsaPss : KeyType::Rsa;
    else if (kty == QLatin1String("EC"))
        key.type = KeyType::Ec;
    else
        key.type = KeyType::Ed25519;
    key.curve = members->value(QStringLiteral("crv")).toString();
    key.bits = EVP_PKEY_get_bits(pkey.get());
    auto thumbprint = jwkThumbprint(*members);
    if (!thumbprint)
        return std::unexpected(thumbprint.error());
    key.thumbprint = *thumbprint;
    key.kid = kid.isEmpty() ? QString::fromLatin1(key.thumbprint) : kid;
    key.source = source;
    key.pkey = std::move(pkey);
    key.hasPrivate = hasPrivate;
    return key;
}

} // namespace Verify::Detail
