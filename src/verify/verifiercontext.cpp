#include "verify/verifiercontext.h"

namespace Verify {

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Rsa:
        return QStringLiteral("RSA");
    case KeyType::RsaPss:
        return QStringLiteral("RSA-PSS");
    case KeyType::Ec:
        return QStringLiteral("EC");
    case KeyType::Ed25519:
        return QStringLiteral("OKP");
    case KeyType::Oct:
        break;
    }
    return QStringLiteral("oct");
}

KeyReport makeKeyReport(const Key &key)
{
    KeyReport report;
    report.kid = key.kid;
    report.type = keyTypeName(key.type);
    report.curve = key.curve;
    report.bits = key.bits;
    report.thumbprint = QString::fromLatin1(key.thumbprint);
    report.source = key.source;
    if (!key.note.isEmpty())
        report.notes.append(key.note);
    return report;
}

QList<SignatureAlgorithm> algorithmsForKey(const Key &key, bool derEcdsa)
{
    if (!key.jwkAlg.isEmpty()) {
        if (std::optional<SignatureAlgorithm> algorithm = signatureAlgorithmFromJwa(key.jwkAlg)) {
            if (derEcdsa && *algorithm == SignatureAlgorithm::EcdsaP256Sha256)
                return {SignatureAlgorithm::EcdsaP256Sha256Der};
            if (derEcdsa && *algorithm == SignatureAlgorithm::EcdsaP384Sha384)
                return {SignatureAlgorithm::EcdsaP384Sha384Der};
            return {*algorithm};
        }
    }
    switch (key.type) {
    case KeyType::Rsa:
        return {SignatureAlgorithm::RsaPssSha512, SignatureAlgorithm::RsaV15Sha256};
    case KeyType::RsaPss:
        return {SignatureAlgorithm::RsaPssSha512};
    case KeyType::Ec:
        if (key.curve == QLatin1String("P-384"))
            return {derEcdsa ? SignatureAlgorithm::EcdsaP384Sha384Der : SignatureAlgorithm::EcdsaP384Sha384};
        return {derEcdsa ? SignatureAlgorithm::EcdsaP256Sha256Der : SignatureAlgorithm::EcdsaP256Sha256};
    case KeyType::Ed25519:
        return {SignatureAlgorithm::Ed25519};
    case KeyType::Oct:
        break;
    }
    return {SignatureAlgorithm::HmacSha256, SignatureAlgorithm::HmacSha512};
}

QList<Problem> encodingHints(const SignatureCheck &check)
{
    QList<Problem> hints;
    if (!check.ok && check.pssAutoSaltWouldVerify) {
        hints.append(Problem{QStringLiteral("pss-salt-length"),
                             QStringLiteral("The RSA-PSS signature verifies only with a salt length other than 64 bytes, which RFC 9421 §3.3.1 requires; the signer used its library's default.")});
    }
    if (!check.ok && check.otherEcdsaEncodingWouldVerify) {
        hints.append(Problem{QStringLiteral("ecdsa-encoding"),
                             QStringLiteral("The ECDSA signature verifies in the other encoding (DER instead of raw r||s, or the reverse).")});
    }
    return hints;
}

CandidateCheck verifyWithCandidates(const Key &key, const QList<SignatureAlgorithm> &candidates,
                                    QByteArrayView data, QByteArrayView signature)
{
    CandidateCheck result;
    result.check.code = QStringLiteral("algorithm-unsupported");
    result.check.message = QStringLiteral("No algorithm fits the key.");
    // keep the most telling failure: a mismatch beats a wrong signature length, which beats a
    // key/algorithm misfit
    const auto rank = [](const SignatureCheck &check) {
        if (check.ok)
            return 4;
        if (check.code == QLatin1String("signature-mismatch"))
            return 3;
        if (check.code == QLatin1String("signature-malformed"))
            return 2;
        return check.code == QLatin1String("algorithm-mismatch") ? 1 : 0;
    };
    for (const SignatureAlgorithm algorithm : candidates) {
        const SignatureCheck check = verifySignature(key, algorithm, data, signature);
        if (!result.algorithm || rank(check) > rank(result.check)) {
            result.check = check;
            result.algorithm = algorithm;
        }
        if (check.ok)
            break;
    }
    return result;
}

SignatureStatus statusForCheck(const SignatureCheck &check)
{
    if (check.ok)
        return SignatureStatus::Verified;
    if (check.code == QLatin1String("signature-malformed"))
        return SignatureStatus::Malformed;
    if (check.code == QLatin1String("algorithm-unsupported"))
        return SignatureStatus::Unsupported;
    return SignatureStatus::Invalid;
}

} // namespace Verify
