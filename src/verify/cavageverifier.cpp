#include "verify/cavageverifier.h"

#include "verify/base64.h"
#include "verify/cavagesigningstring.h"

namespace Verify {

QList<SignatureAlgorithm> cavageAlgorithms(const QByteArray &name, const Key *key)
{
    const QByteArray lower = name.toLower();
    if (lower == "rsa-sha1")
        return {SignatureAlgorithm::RsaV15Sha1};
    if (lower == "rsa-sha256")
        return {SignatureAlgorithm::RsaV15Sha256};
    if (lower == "rsa-sha512")
        return {SignatureAlgorithm::RsaV15Sha512};
    if (lower == "ecdsa-sha256")
        return {SignatureAlgorithm::EcdsaP256Sha256Der};
    if (lower == "ecdsa-sha384")
        return {SignatureAlgorithm::EcdsaP384Sha384Der};
    if (lower == "ed25519" || lower == "ed25519-sha512")
        return {SignatureAlgorithm::Ed25519};
    if (lower == "hmac-sha256")
        return {SignatureAlgorithm::HmacSha256};
    if (lower == "hmac-sha512")
        return {SignatureAlgorithm::HmacSha512};
    if ((lower == "hs2019" || lower.isEmpty()) && key) {
        // draft-12 §2.1.3: hs2019 takes the algorithm from the key's metadata
        QList<SignatureAlgorithm> candidates = algorithmsForKey(*key, true);
        if (key->type == KeyType::Oct)
            std::reverse(candidates.begin(), candidates.end()); // draft-12 recommends HMAC SHA-512
        return candidates;
    }
    return {};
}

SignatureOutcome verifyCavageSignature(const VerifierInput &input, const QString &headerName,
                                       const QByteArray &value, const KeySet &keys, const Policy &policy)
{
    SignatureOutcome outcome;
    SignatureReport &report = outcome.report;
    report.scheme = QStringLiteral("cavage");
    report.header = headerName;
    const bool isAuthorization = headerName == QLatin1String("Authorization");
    const auto fail = [&](SignatureStatus status, const QString &code, const QString &message) {
        report.status = status;
        report.problems.append(Problem{code, message});
        outcome.failures.append(Problem{code, message});
        return outcome;
    };

    // joyent: `x-date` replaces `date` as the default header when the request has one
    const QByteArray defaultHeader = policy.joyentCompatible && input.hasField("x-date") ? QByteArrayLiteral("x-date")
                                                                                          : QByteArrayLiteral("date");
    const auto params = isAuthorization ? parseCavageAuthorization(value, defaultHeader)
                                        : parseCavageParameters(value, defaultHeader);
    if (!params) {
        return fail(SignatureStatus::Malformed, QStringLiteral("signature-malformed"),
                    QStringLiteral("The %1 header cannot be parsed: %2.").arg(headerName, params.error()));
    }
    report.keyId = QString::fromUtf8(params->keyId);
    report.algorithm = QString::fromUtf8(params->algorithm);
    report.created = params->created;
    report.expires = params->expires;
    for (const QByteArray &name : params->headers)
        report.covered.append(QString::fromLatin1(name));

    if (policy.joyentCompatible) {
        const QString joyent = joyentParseError(value, isAuthorization);
        if (!joyent.isEmpty()) {
            return fail(SignatureStatus::Malformed, QStringLiteral("signature-malformed"),
                        QStringLiteral("http-signature's parseRequest rejects the %1 header: %2.").arg(headerName, joyent));
        }
    }

    const auto signingString = buildCavageSigningString(input, *params);
    if (!signingString) {
        return fail(signingString.error().code == QLatin1String("signature-malformed") ? SignatureStatus::Malformed
                                                                                        : SignatureStatus::Invalid,
                    signingString.error().code, signingString.error().message);
    }
    report.signingString = signingString->text;
    report.components = signingString->components;

    // signed time: created, else the Date (or x-date) header when covered
    if (params->created) {
        outcome.signedTime = params->created;
        outcome.signedTimeSource = QStringLiteral("created");
    }

    const KeyPtr key = keys.find(report.keyId);
    if (!key) {
        const QStringList kids = keys.kids();
        return fail(SignatureStatus::KeyUnknown, QStringLiteral("key-unknown"),
                    kids.isEmpty() ? QStringLiteral("keyId \"%1\" is not in the key set, which is empty (pass --jwks or --secret).").arg(report.keyId)
                                   : QStringLiteral("keyId \"%1\" is not in the key set; it has: %2.").arg(report.keyId, kids.join(QStringLiteral(", "))));
    }
    report.key = makeKeyReport(*key);

    const QList<SignatureAlgorithm> candidates = cavageAlgorithms(params->algorithm, key.get());
    if (candidates.isEmpty()) {
        return fail(SignatureStatus::Unsupported, QStringLiteral("algorithm-unsupported"),
                    QStringLiteral("The algorithm \"%1\" is not supported.").arg(report.algorithm));
    }
    if (!policy.allowedAlgorithms.isEmpty() && !policy.allowedAlgorithms.contains(report.algorithm.toLower())) {
        return fail(SignatureStatus::Unsupported, QStringLiteral("algorithm-unsupported"),
                    QStringLiteral("The policy does not allow the algorithm \"%1\".").arg(report.algorithm));
    }
    if (candidates.size() == 1) {
        // algorithm confusion (hmac claimed with a public key, rsa with an EC key): never accepted
        const SignatureCheck fit = checkKeyAlgorithm(*key, candidates.first());
        if (!fit.ok) {
            return fail(SignatureStatus::Invalid, QStringLiteral("algorithm-mismatch"),
                        QStringLiteral("The signature claims %1 but key \"%2\" is a %3 key: %4")
                            .arg(report.algorithm, key->kid, keyTypeName(key->type), fit.message));
        }
    }

    // Node's Buffer.from(s, 'base64') is lenient; accept what it accepts, but say so
    QByteArray signatureBytes;
    if (auto strict = decodeBase64Strict(params->signature)) {
        signatureBytes = *strict;
    } else if (auto lenient = decodeBase64Lenient(params->signature)) {
        signatureBytes = *lenient;
        report.key->notes.append(QStringLiteral("the signature is not canonical base64 (%1); decoded leniently as Node does").arg(strict.error().message));
    } else {
        return fail(SignatureStatus::Malformed, QStringLiteral("signature-malformed"),
                    QStringLiteral("The signature parameter is not base64: %1").arg(lenient.error().message));
    }

    const CandidateCheck checked = verifyWithCandidates(*key, candidates, report.signingString, signatureBytes);
    if (checked.algorithm)
        report.verifiedAlgorithm = signatureAlgorithmName(*checked.algorithm);
    if (params->algorithm.isEmpty() || params->algorithm.toLower() == "hs2019")
        report.algorithm = (params->algorithm.isEmpty() ? QStringLiteral("(none)") : report.algorithm) + QStringLiteral(" (") + report.verifiedAlgorithm + QLatin1Char(')');
    report.key->notes.append(checked.check.notes);
    outcome.hints.append(encodingHints(checked.check));
    if (!checked.check.ok) {
        fail(statusForCheck(checked.check), checked.check.code.isEmpty() ? QStringLiteral("signature-mismatch") : checked.check.code,
             checked.check.code == QLatin1String("signature-mismatch") || checked.check.code.isEmpty()
                 ? QStringLiteral("The signature does not match the signing string with key \"%1\" (%2).").arg(key->kid, report.verifiedAlgorithm)
                 : checked.check.message);
        if (checked.check.code == QLatin1String("signature-mismatch")) {
            const CavageParameters copy = *params;
            const KeyPtr keyCopy = key;
            outcome.retry = [copy, keyCopy, candidates, signatureBytes](const VerifierInput &variant) -> std::optional<QByteArray> {
                const auto text = buildCavageSigningString(variant, copy);
                if (!text)
                    return std::nullopt;
                if (verifyWithCandidates(*keyCopy, candidates, text->text, signatureBytes).check.ok)
                    return text->text;
                return std::nullopt;
            };
        }
        return outcome;
    }
    report.status = SignatureStatus::Verified;
    if (checked.algorithm == SignatureAlgorithm::RsaV15Sha1) {
        const Problem weak{QStringLiteral("algorithm-weak"),
                           QStringLiteral("The signature uses rsa-sha1, which relies on SHA-1 and is deprecated (draft-cavage-12 §2.1.3).")};
        report.problems.append(weak);
        (policy.weakAlgorithmsFail ? outcome.failures : outcome.hints).append(weak);
    }
    return outcome;
}

} // namespace Verify
