#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

using EVP_PKEY = struct evp_pkey_st;

namespace Verify {

enum class KeyType { Rsa, RsaPss, Ec, Ed25519, Oct };

/// One verification key, parsed once (JWK, PEM or an HMAC secret) and shared read-only.
struct Key
{
    QString kid;
    KeyType type = KeyType::Rsa;
    QString curve;          // "P-256", "P-384", "P-521", "Ed25519" or empty
    QString jwkAlg;         // the JWK "alg" member, if any (e.g. "RS256")
    int bits = 0;           // modulus / curve / secret size in bits
    QByteArray thumbprint;  // RFC 7638 SHA-256 thumbprint, base64url without padding
    QString source;         // where it came from: a file path, a URL or "inline"
    std::shared_ptr<EVP_PKEY> pkey; // public key (nullptr for Oct)
    QByteArray secret;      // Oct only
    bool hasPrivate = false; // pkey holds a private key too (can sign, see crypto.h)
    QString note;           // e.g. "private JWK: only the public part is used"
    bool matchesAnyKid = false; // a PEM key without a kid: KeySet::find returns it for any keyId

    bool isSymmetric() const { return type == KeyType::Oct; }
};

using KeyPtr = std::shared_ptr<const Key>;

/// What a key set was made from, kept with every verdict so it can be reproduced.
struct KeySetSnapshotInfo
{
    QString source;      // file path or URL
    QDateTime fetchedAt;
    QByteArray etag;
    QByteArray document; // the JWKS / PEM bytes as loaded
};

/// The keys a verification may use, looked up by kid.
class KeySet final
{
public:
    void add(KeyPtr key) { m_keys.append(std::move(key)); }
    // The key with this kid; failing that, a key loaded without a kid (matchesAnyKid, e.g. a
    // lone PEM public key), as the first such key.
    KeyPtr find(const QString &kid) const
    {
        for (const KeyPtr &key : m_keys) {
            if (key->kid == kid)
                return key;
        }
        for (const KeyPtr &key : m_keys) {
            if (key->matchesAnyKid)
                return key;
        }
        return {};
    }
    KeyPtr findByThumbprint(const QByteArray &thumbprint) const
    {
        for (const KeyPtr &key : m_keys) {
            if (key->thumbprint == thumbprint)
                return key;
        }
        return {};
    }
    void merge(const KeySet &other)
    {
        m_keys.append(other.m_keys);
        sources.append(other.sources);
    }
    QStringList kids() const
    {
        QStringList result;
        for (const KeyPtr &key : m_keys)
            result.append(key->kid);
        return result;
    }
    const QList<KeyPtr> &keys() const { return m_keys; }
    bool isEmpty() const { return m_keys.isEmpty(); }

    QList<KeySetSnapshotInfo> sources;

private:
    QList<KeyPtr> m_keys;
};

} // namespace Verify
