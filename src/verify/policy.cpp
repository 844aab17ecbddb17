#include "verify/policy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Verify {

Policy Policy::strict()
{
    return Policy{};
}

// joyent http-signature parseRequest defaults (lib/parser.js): `date` (or `x-date`) must be
// signed, 300 s clock skew; plus the provider's documented digest check against
// JSON.stringify(req.body), which is not required to be signed.
Policy Policy::httpSignature()
{
    Policy policy;
    policy.name = QStringLiteral("http-signature");
    policy.requiredComponents = {QStringLiteral("date")};
    policy.maxSkewSeconds = 300;
    policy.digestRequired = true;
    policy.digestMustBeSigned = false;
    policy.digestComparison = DigestComparison::JsonStringify;
    policy.weakAlgorithmsFail = false;
    policy.joyentCompatible = true;
    return policy;
}

QStringList Policy::builtinNames()
{
    return {QStringLiteral("strict"), QStringLiteral("http-signature")};
}

std::expected<Policy, QString> Policy::fromName(const QString &name)
{
    if (name == QLatin1String("strict"))
        return strict();
    if (name == QLatin1String("http-signature"))
        return httpSignature();
    return std::unexpected(QStringLiteral("unknown policy \"%1\" (known: %2)")
                               .arg(name, builtinNames().join(QStringLiteral(", "))));
}

std::expected<Policy, QString> Policy::fromJson(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::unexpected(QStringLiteral("the policy is not a JSON object"));
    const QJsonObject object = document.object();
    Policy policy;
    const auto stringList = [](const QJsonValue &value, QStringList &out) {
        if (!value.isArray())
            return false;
        out.clear();
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                return false;
            out.append(item.toString());
        }
        return true;
    };
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        bool ok = true;
        if (key == QLatin1String("name")) {
            ok = value.isString();
            policy.name = value.toString();
        } else if (key == QLatin1String("requiredComponents")) {
            ok = stringList(value, policy.requiredComponents);
        } else if (key == QLatin1String("allowedAlgorithms")) {
            ok = stringList(value, policy.allowedAlgorithms);
        } else if (key == QLatin1String("maxSkewSeconds")) {
            ok = value.isDouble() && value.toDouble() >= 0;
            policy.maxSkewSeconds = value.toInt();
        } else if (key == QLatin1String("digestComparison")) {
            ok = value.toString() == QLatin1String("raw") || value.toString() == QLatin1String("json-stringify");
            policy.digestComparison = value.toString() == QLatin1String("raw") ? DigestComparison::RawBody
                                                                               : DigestComparison::JsonStringify;
        } else {
            bool *flag = nullptr;
            if (key == QLatin1String("digestRequired"))
                flag = &policy.digestRequired;
            else if (key == QLatin1String("digestMustBeSigned"))
                flag = &policy.digestMustBeSigned;
            else if (key == QLatin1String("requireSignedTimestamp"))
                flag = &policy.requireSignedTimestamp;
            else if (key == QLatin1String("weakAlgorithmsFail"))
                flag = &policy.weakAlgorithmsFail;
            else if (key == QLatin1String("joyentCompatible"))
                flag = &policy.joyentCompatible;
            if (!flag)
                return std::unexpected(QStringLiteral("unknown policy member \"%1\"").arg(key));
            ok = value.isBool();
            *flag = value.toBool();
        }
        if (!ok)
            return std::unexpected(QStringLiteral("policy member \"%1\" has the wrong type").arg(key));
    }
    return policy;
}

QJsonObject Policy::toJson() const
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("requiredComponents"), QJsonArray::fromStringList(requiredComponents)},
        {QStringLiteral("maxSkewSeconds"), maxSkewSeconds},
        {QStringLiteral("allowedAlgorithms"), QJsonArray::fromStringList(allowedAlgorithms)},
        {QStringLiteral("digestRequired"), digestRequired},
        {QStringLiteral("digestMustBeSigned"), digestMustBeSigned},
        {QStringLiteral("digestComparison"),
         digestComparison == DigestComparison::RawBody ? QStringLiteral("raw") : QStringLiteral("json-stringify")},
        {QStringLiteral("requireSignedTimestamp"), requireSignedTimestamp},
        {QStringLiteral("weakAlgorithmsFail"), weakAlgorithmsFail},
        {QStringLiteral("joyentCompatible"), joyentCompatible},
    };
}

} // namespace Verify
