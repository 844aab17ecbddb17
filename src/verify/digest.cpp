#include "verify/digest.h"

#include "http/capturedrequest.h"
#include "verify/base64.h"
#include "verify/pkeyutil.h"
#include "verify/structuredfields.h"

#include <QCryptographicHash>

#include <openssl/evp.h>

namespace Verify {

namespace {

struct AlgorithmName
{
    DigestAlgorithm algorithm;
    const char *name;
};

// RFC 3230 tokens (case-insensitive) and RFC 9530 §5 keys.
constexpr AlgorithmName Names[] = {
    {DigestAlgorithm::Sha256, "sha-256"},
    {DigestAlgorithm::Sha512, "sha-512"},
    {DigestAlgorithm::Sha1, "sha"},
    {DigestAlgorithm::Md5, "md5"},
};

int digestLength(DigestAlgorithm algorithm)
{
    switch (algorithm) {
    case DigestAlgorithm::Sha256: return 32;
    case DigestAlgorithm::Sha512: return 64;
    case DigestAlgorithm::Sha1: return 20;
    case DigestAlgorithm::Md5: return 16;
    }
    return 0;
}

QString upperName(const QString &algorithm) { return algorithm.toUpper(); }

// Fills status, code, message and actual for a decoded value of a known algorithm.
void compare(DigestCheck &check, DigestAlgorithm algorithm, QByteArrayView body)
{
    const QByteArray actual = computeDigest(algorithm, body);
    check.actual = QString::fromLatin1(actual.toBase64());
    const bool matches = check.expectedBytes == actual;
    if (isWeakDigestAlgorithm(algorithm)) {
        check.status = DigestStatus::Unsupported;
        check.code = QStringLiteral("algorithm-unsupported");
        check.message = QStringLiteral("%1 is a weak digest algorithm and is not accepted (the value %2 the body).")
                            .arg(upperName(check.algorithm), matches ? QStringLiteral("matches") : QStringLiteral("does not match"));
        return;
    }
    if (check.expectedBytes.size() != digestLength(algorithm)) {
        check.status = DigestStatus::Malformed;
        check.code = QStringLiteral("digest-malformed");
        check.message = QStringLiteral("A %1 digest is %2 bytes, but the %3 value decodes to %4 bytes.")
                            .arg(upperName(check.algorithm)).arg(digestLength(algorithm)).arg(check.header).arg(check.expectedBytes.size());
        return;
    }
    if (matches) {
        check.status = DigestStatus::Valid;
        check.message = QStringLiteral("The %1 %2 digest matches the body.").arg(check.header, upperName(check.algorithm));
        return;
    }
    check.status = DigestStatus::Mismatch;
    check.code = QStringLiteral("digest-mismatch");
    check.message = QStringLiteral("The %1 %2 digest does not match the body as received (%3 bytes).")
                        .arg(check.header, upperName(check.algorithm)).arg(body.size());
}

DigestCheck unsupported(const QString &header, const QString &algorithm, const QString &expected)
{
    DigestCheck check;
    check.header = header;
    check.algorithm = algorithm;
    check.expected = expected;
    check.status = DigestStatus::Unsupported;
    check.code = QStringLiteral("algorithm-unsupported");
    check.message = QStringLiteral("The %1 algorithm \"%2\" is not supported (sha-256 and sha-512 are).").arg(header, algorithm);
    return check;
}

QByteArray joinFieldLines(const QList<QByteArray> &values, QByteArrayView separator)
{
    QByteArray joined;
    for (const QByteArray &value : values) {
        if (!joined.isEmpty())
            joined += separator;
        joined += value;
    }
    return joined;
}

// The dictionary key whose value starts before offset, for messages about an SF parse error.
QString keyBefore(QByteArrayView field, qsizetype offset)
{
    const QByteArrayView head = field.first(qBound(qsizetype(0), offset, field.size()));
    const qsizetype start = head.lastIndexOf(',') + 1;
    const qsizetype equals = head.indexOf('=', start);
    if (equals < 0)
        return {};
    return QString::fromLatin1(head.sliced(start, equals - start).trimmed().toByteArray());
}

} // namespace

QString digestStatusName(DigestStatus status)
{
    switch (status) {
    case DigestStatus::Valid: return QStringLiteral("valid");
    case DigestStatus::Mismatch: return QStringLiteral("mismatch");
    case DigestStatus::Absent: return QStringLiteral("absent");
    case DigestStatus::Malformed: return QStringLiteral("malformed");
    case DigestStatus::Unsupported: return QStringLiteral("unsupported");
    }
    return {};
}

std::optional<DigestAlgorithm> digestAlgorithmFromName(QByteArrayView name)
{
    for (const AlgorithmName &entry : Names) {
        if (name.compare(QByteArrayView(entry.name), Qt::CaseInsensitive) == 0)
            return entry.algorithm;
    }
    return std::nullopt;
}

QString digestAlgorithmName(DigestAlgorithm algorithm)
{
    for (const AlgorithmName &entry : Names) {
        if (entry.algorithm == algorithm)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

bool isWeakDigestAlgorithm(DigestAlgorithm algorithm)
{
    return algorithm == DigestAlgorithm::Sha1 || algorithm == DigestAlgorithm::Md5;
}

QByteArray computeDigest(DigestAlgorithm algorithm, QByteArrayView body)
{
    // SHA-2 through OpenSSL (several times faster than QCryptographicHash in Qt 6.4, which has
    // no accelerated implementation), with the fallback for a digest OpenSSL does not provide.
    const EVP_MD *md = algorithm == DigestAlgorithm::Sha256   ? Detail::fetchedDigest("SHA256")
                       : algorithm == DigestAlgorithm::Sha512 ? Detail::fetchedDigest("SHA512")
                                                              : nullptr;
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (md && EVP_Digest(body.data(), size_t(body.size()), hash, &length, md, nullptr) == 1)
        return QByteArray(reinterpret_cast<const char *>(hash), qsizetype(length));
    switch (algorithm) {
    case DigestAlgorithm::Sha256: return QCryptographicHash::hash(body, QCryptographicHash::Sha256);
    case DigestAlgorithm::Sha512: return QCryptographicHash::hash(body, QCryptographicHash::Sha512);
    case DigestAlgorithm::Sha1: return QCryptographicHash::hash(body, QCryptographicHash::Sha1);
    case DigestAlgorithm::Md5: return QCryptographicHash::hash(body, QCryptographicHash::Md5);
    }
    return {};
}

// RFC 3230 §4.3.2: Digest = "Digest" ":" #(instance-digest); instance-digest = digest-algorithm
// "=" <encoded digest output>; algorithm tokens are case-insensitive (§4.1.1).
QList<DigestCheck> checkRfc3230Digest(const QList<QByteArray> &headerValues, QByteArrayView body)
{
    QList<DigestCheck> checks;
    const QString header = QStringLiteral("Digest");
    for (const QByteArray &rawEntry : joinFieldLines(headerValues, ",").split(',')) {
        const QByteArray entry = rawEntry.trimmed();
        if (entry.isEmpty())
            continue; // RFC 9110 §5.6.1: empty list elements are ignored
        DigestCheck check;
        check.header = header;
        const qsizetype equals = entry.indexOf('=');
        if (equals <= 0) {
            check.status = DigestStatus::Malformed;
            check.code = QStringLiteral("digest-malformed");
            check.algorithm = QString::fromLatin1(entry.left(qMax(equals, 0)).toLower());
            check.expected = QString::fromLatin1(entry);
            check.message = QStringLiteral("The Digest entry \"%1\" is not of the form algorithm=value.").arg(check.expected);
            checks.append(check);
            continue;
        }
        check.algorithm = QString::fromLatin1(entry.first(equals).trimmed().toLower());
        const QByteArray value = entry.sliced(equals + 1).trimmed();
        check.expected = QString::fromLatin1(value);
        const auto algorithm = digestAlgorithmFromName(check.algorithm.toLatin1());
        if (!algorithm) {
            checks.append(unsupported(header, check.algorithm, check.expected));
            continue;
        }
        auto decoded = decodeBase64Strict(value);
        if (!decoded) {
            check.status = DigestStatus::Malformed;
            check.code = QStringLiteral("digest-malformed");
            check.actual = QString::fromLatin1(computeDigest(*algorithm, body).toBase64());
            check.message = QStringLiteral("The Digest %1 value is not valid base64: %2")
                                .arg(upperName(check.algorithm), decoded.error().message);
            if (auto lenient = decodeBase64Lenient(value)) {
                check.expectedBytes = *lenient;
                check.message += *lenient == computeDigest(*algorithm, body)
                                     ? QStringLiteral(" Read leniently, it would match the body.")
                                     : QStringLiteral(" Even read leniently, it would not match the body.");
            }
            checks.append(check);
            continue;
        }
        check.expectedBytes = *decoded;
        compare(check, *algorithm, body);
        checks.append(check);
    }
    return checks;
}

// RFC 9530 §2 (Content-Digest) and §3 (Repr-Digest): Dictionary of Byte Sequences keyed by the
// lowercase algorithm (§5); only sha-256 and sha-512 are "standard", the rest deprecated.
QList<DigestCheck> checkStructuredDigest(const QString &headerName, const QList<QByteArray> &headerValues,
                                         QByteArrayView body)
{
    QList<DigestCheck> checks;
    const QByteArray field = joinFieldLines(headerValues, ", ");
    auto dictionary = parseSfDictionary(field);
    if (!dictionary) {
        DigestCheck check;
        check.header = headerName;
        check.status = DigestStatus::Malformed;
        check.code = QStringLiteral("digest-malformed");
        check.algorithm = keyBefore(field, dictionary.error().offset);
        check.expected = QString::fromLatin1(field);
        check.message = QStringLiteral("%1 is not a valid Structured Field Dictionary: %2 (offset %3).")
                            .arg(headerName, dictionary.error().message).arg(dictionary.error().offset);
        const auto algorithm = digestAlgorithmFromName(check.algorithm.toLatin1());
        if (dictionary.error().lenientBytes && algorithm) {
            check.expectedBytes = *dictionary.error().lenientBytes;
            const QByteArray actual = computeDigest(*algorithm, body);
            check.actual = QString::fromLatin1(actual.toBase64());
            check.message += actual == check.expectedBytes ? QStringLiteral(" Read leniently, the %1 value would match the body.").arg(check.algorithm)
                                                           : QStringLiteral(" Even read leniently, the %1 value would not match the body.").arg(check.algorithm);
        }
        checks.append(check);
        return checks;
    }
    for (const auto &[key, member] : dictionary->entries) {
        DigestCheck check;
        check.header = headerName;
        check.algorithm = QString::fromLatin1(key);
        if (member.isInnerList || member.item.bare.type != SfType::ByteSequence) {
            check.status = DigestStatus::Malformed;
            check.code = QStringLiteral("digest-malformed");
            check.expected = QString::fromLatin1(serializeSfMember(member).value_or(QByteArray()));
            check.message = QStringLiteral("The %1 %2 value must be a byte sequence (:base64:).").arg(headerName, check.algorithm);
            checks.append(check);
            continue;
        }
        check.expectedBytes = member.item.bare.text;
        check.expected = QString::fromLatin1(check.expectedBytes.toBase64());
        const auto algorithm = digestAlgorithmFromName(key);
        if (!algorithm || (key != "sha-256" && key != "sha-512" && key != "sha" && key != "md5")) {
            checks.append(unsupported(headerName, check.algorithm, check.expected));
            continue;
        }
        compare(check, *algorithm, body);
        checks.append(check);
    }
    if (checks.isEmpty()) {
        DigestCheck check;
        check.header = headerName;
        check.status = DigestStatus::Malformed;
        check.code = QStringLiteral("digest-malformed");
        check.message = QStringLiteral("%1 is empty.").arg(headerName);
        checks.append(check);
    }
    return checks;
}

QList<DigestCheck> checkDigests(const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView body)
{
    QList<QByteArray> digest, content, repr;
    for (const auto &[name, value] : headers) {
        if (name.compare("Digest", Qt::CaseInsensitive) == 0)
            digest.append(value);
        else if (name.compare("Content-Digest", Qt::CaseInsensitive) == 0)
            content.append(value);
        else if (name.compare("Repr-Digest", Qt::CaseInsensitive) == 0)
            repr.append(value);
    }
    QList<DigestCheck> checks;
    if (!content.isEmpty())
        checks += checkStructuredDigest(QStringLiteral("Content-Digest"), content, body);
    if (!repr.isEmpty())
        checks += checkStructuredDigest(QStringLiteral("Repr-Digest"), repr, body);
    if (!digest.isEmpty())
        checks += checkRfc3230Digest(digest, body);
    if (checks.isEmpty()) {
        DigestCheck absent;
        absent.code = QStringLiteral("digest-missing");
        absent.message = QStringLiteral("The request has no Digest, Content-Digest or Repr-Digest header.");
        checks.append(absent);
    }
    return checks;
}

QList<DigestCheck> checkDigests(const Http::CapturedRequest &request)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    for (const Http::HeaderField &field : request.headers)
        headers.append({field.name, field.value});
    return checkDigests(headers, request.bodyView());
}

DigestCheck summarizeDigestChecks(const QList<DigestCheck> &checks)
{
    const auto first = [&](DigestStatus status) -> const DigestCheck * {
        for (const DigestCheck &check : checks) {
            if (check.status == status)
                return &check;
        }
        return nullptr;
    };
    if (const DigestCheck *check = first(DigestStatus::Mismatch))
        return *check;
    if (const DigestCheck *check = first(DigestStatus::Malformed))
        return *check;
    const DigestCheck *best = nullptr;
    for (const DigestCheck &check : checks) {
        if (check.status == DigestStatus::Valid && (!best || check.algorithm == QLatin1String("sha-512")))
            best = &check;
    }
    if (best)
        return *best;
    if (const DigestCheck *check = first(DigestStatus::Unsupported))
        return *check;
    DigestCheck absent;
    absent.code = QStringLiteral("digest-missing");
    absent.message = QStringLiteral("The request has no digest header.");
    return absent;
}

} // namespace Verify
