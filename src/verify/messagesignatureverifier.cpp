#include "verify/messagesignatureverifier.h"

#include "verify/messagesignaturebase.h"

namespace Verify {

namespace {

SignatureOutcome verifyOne(const VerifierInput &input, const MessageSignature &signature, const KeySet &keys,
                           const Policy &policy)
{
    SignatureOutcome outcome;
    SignatureReport &report = outcome.report;
    report.scheme = QStringLiteral("rfc9421");
    report.header = QStringLiteral("Signature-Input");
    report.label = QString::fromLatin1(signature.label);
    report.keyId = QString::fromUtf8(signature.keyid.value_or(QByteArray()));
    report.algorithm = QString::fromUtf8(signature.alg.value_or(QByteArray()));
    report.created = signature.created;
    report.expires = signature.expires;
    for (const SfItem &item : signature.input.items) {
        const auto identifier = serializeSfItem(item);
        report.covered.append(identifier ? QString::fromLatin1(*identifier) : QString::fromLatin1(item.bare.text));
    }
    const auto fail = [&](SignatureStatus status, const QString &code, const QString &message) {
        report.status = status;
        const Problem problem{code, report.label.isEmpty() ? message : QStringLiteral("%1: %2").arg(report.label, message)};
        report.problems.append(problem);
        outcome.failures.append(problem);
        return outcome;
    };
    if (!signature.error.isEmpty())
        return fail(SignatureStatus::Malformed, QStringLiteral("signature-malformed"), signature.error);

    if (signature.created) {
        outcome.signedTime = signature.created;
        outcome.signedTimeSource = QStringLiteral("created");
    }

    const auto base = buildSignatureBase(input, signature);
    if (!base) {
        const QString &code = base.error().code;
        const SignatureStatus status = code == QLatin1String("signature-malformed") ? SignatureStatus::Malformed
                                       : code == QLatin1String("component-unsupported") ? SignatureStatus::Unsupported
                                                                                         : SignatureStatus::Invalid;
        return fail(status, code, base.error().message);
    }
    report.signingString = base->text;
    report.components = base->components;

    KeyPtr key;
    if (signature.keyid) {
        key = keys.find(report.keyId);
    } else if (keys.keys().size() == 1) {
        key = keys.keys().first(); // §3.2 step 6: the verifier may know the key by other means
    }
    if (!key) {
        const QStringList kids = keys.kids();
        return fail(SignatureStatus::KeyUnknown, QStringLiteral("key-unknown"),
                    !signature.keyid ? QStringLiteral("The signature has no keyid and the key set does not have exactly one key.")
                    : kids.isEmpty() ? QStringLiteral("keyid \"%1\" is not in the key set, which is empty (pass --jwks or --secret).").arg(report.keyId)
                                     : QStringLiteral("keyid \"%1\" is not in the key set; it has: %2.").arg(report.keyId, kids.join(QStringLiteral(", "))));
    }
    report.key = makeKeyReport(*key);

    QList<SignatureAlgorithm> candidates;
    if (signature.alg) {
        // §3.2 step 6.2: alg names an HTTP Signature Algorithms registry entry (§6.2.2)
        const std::optional<SignatureAlgorithm> named = signatureAlgorithmFromName(report.algorithm);
        static const QStringList registry = {QStringLiteral("rsa-pss-sha512"), QStringLiteral("rsa-v1_5-sha256"),
                                             QStringLiteral("hmac-sha256"), QStringLiteral("ecdsa-p256-sha256"),
                                             QStringLiteral("ecdsa-p384-sha384"), QStringLiteral("ed25519")};
        if (!named || !registry.contains(report.algorithm)) {
            return fail(SignatureStatus::Unsupported, QStringLiteral("algorithm-unsupported"),
                        QStringLiteral("The algorithm \"%1\" is not in the RFC 9421 registry.").arg(report.algorithm));
        }
        const SignatureCheck fit = checkKeyAlgorithm(*key, *named);
        if (!fit.ok) {
            return fail(SignatureStatus::Invalid, QStringLiteral("algorithm-mismatch"),
                        QStringLiteral("The signature claims %1 but key \"%2\" is a %3 key: %4")
                            .arg(report.algorithm, key->kid, keyTypeName(key->type), fit.message));
        }
        candidates = {*named};
    } else {
        candidates = algorithmsForKey(*key, false);
    }
    if (!policy.allowedAlgorithms.isEmpty()) {
        QList<SignatureAlgorithm> allowed;
        for (const SignatureAlgorithm algorithm : std::as_const(candidates)) {
            if (policy.allowedAlgorithms.contains(signatureAlgorithmName(algorithm)))
                allowed.append(algorithm);
        }
        if (allowed.isEmpty()) {
            return fail(SignatureStatus::Unsupported, QStringLiteral("algorithm-unsupported"),
                        QStringLiteral("The policy does not allow the algorithm %1.").arg(signatureAlgorithmName(candidates.first())));
        }
        candidates = allowed;
    }

    const CandidateCheck checked = verifyWithCandidates(*key, candidates, report.signingString, signature.signature);
    if (checked.algorithm)
        report.verifiedAlgorithm = signatureAlgorithmName(*checked.algorithm);
    if (report.algorithm.isEmpty())
        report.algorithm = report.verifiedAlgorithm;
    report.key->notes.append(checked.check.notes);
    outcome.hints.append(encodingHints(checked.check));
    if (!checked.check.ok) {
        const QString code = checked.check.code.isEmpty() ? QStringLiteral("signature-mismatch") : checked.check.code;
        fail(statusForCheck(checked.check), code,
             code == QLatin1String("signature-mismatch")
                 ? QStringLiteral("The signature does not match the signature base with key \"%1\" (%2).").arg(key->kid, report.verifiedAlgorithm)
                 : checked.check.message);
        if (code == QLatin1String("signature-mismatch")) {
            const MessageSignature copy = signature;
            const QByteArray bytes = signature.signature;
            outcome.retry = [copy, key, candidates, bytes](const VerifierInput &variant) -> std::optional<QByteArray> {
                const auto text = buildSignatureBase(variant, copy);
                if (text && verifyWithCandidates(*key, candidates, text->text, bytes).check.ok)
                    return text->text;
                return std::nullopt;
            };
        }
        return outcome;
    }
    report.status = SignatureStatus::Verified;
    return outcome;
}

} // namespace

QList<SignatureOutcome> verifyMessageSignatures(const VerifierInput &input, const MessageSignatureSet &set,
                                                const KeySet &keys, const Policy &policy)
{
    QList<SignatureOutcome> outcomes;
    if (!set.error.isEmpty()) {
        SignatureOutcome outcome;
        outcome.report.scheme = QStringLiteral("rfc9421");
        outcome.report.header = QStringLiteral("Signature-Input");
        outcome.report.status = SignatureStatus::Malformed;
        const Problem problem{QStringLiteral("signature-malformed"), set.error};
        outcome.report.problems.append(problem);
        outcome.failures.append(problem);
        outcomes.append(outcome);
        return outcomes;
    }
    for (const MessageSignature &signature : set.signatures)
        outcomes.append(verifyOne(input, signature, keys, policy));
    return outcomes;
}

} // namespace Verify
