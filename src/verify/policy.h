#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <expected>

namespace Verify {

/// How the body digest is compared.
enum class DigestComparison {
    RawBody,      // the digest of the bytes as received (RFC 3230 / RFC 9530)
    JsonStringify // the provider's documented Node receiver: SHA-256 of JSON.stringify(req.body)
};

/// The acceptance rules a verdict is judged by, as data (loadable from JSON).
struct Policy
{
    QString name = QStringLiteral("strict");
    // Components that must be covered. Names are lowercase header names ("date") or derived
    // components: "(request-target)" for draft-cavage, "@method" etc. for RFC 9421; a name that
    // does not belong to the signature's scheme is ignored ("date" applies to both schemes).
    QStringList requiredComponents;
    int maxSkewSeconds = 300;
    QStringList allowedAlgorithms; // empty: every supported algorithm; else names as claimed
    bool digestRequired = true;    // a non-empty body must carry a digest header that matches
    bool digestMustBeSigned = true; // ... and is covered by the signature
    DigestComparison digestComparison = DigestComparison::RawBody;
    bool requireSignedTimestamp = false; // a covered Date, or `created`, must be present
    bool weakAlgorithmsFail = true;      // rsa-sha1 (draft-cavage) never verifies
    // draft-cavage: emulate joyent http-signature 1.4 (its parameter parser, algorithm list, the
    // values Node's http module exposes for repeated headers, `x-date` preferred over `date`).
    bool joyentCompatible = false;

    // "strict" (the default) and "http-signature" (the provider's documented Node receiver).
    static Policy strict();
    static Policy httpSignature();
    static QStringList builtinNames();
    static std::expected<Policy, QString> fromName(const QString &name);
    // {"name":..., "requiredComponents":[...], "maxSkewSeconds":300, "allowedAlgorithms":[...],
    //  "digestRequired":true, "digestMustBeSigned":true, "digestComparison":"raw"|"json-stringify",
    //  "requireSignedTimestamp":false, "weakAlgorithmsFail":true, "joyentCompatible":false}
    // Missing members keep the strict defaults; unknown members are an error.
    static std::expected<Policy, QString> fromJson(QByteArrayView json);
    QJsonObject toJson() const;
};

} // namespace Verify
