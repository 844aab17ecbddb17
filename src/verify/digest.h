#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Http {
struct CapturedRequest;
}

namespace Verify {

// Body digests: RFC 3230 `Digest` and RFC 9530 `Content-Digest` / `Repr-Digest`.

enum class DigestAlgorithm { Sha256, Sha512, Sha1, Md5 };

enum class DigestStatus { Valid, Mismatch, Absent, Malformed, Unsupported };

/// The outcome of checking one digest value (one algorithm in one header) against a body.
struct DigestCheck
{
    DigestStatus status = DigestStatus::Absent;
    QString header;           // "Digest", "Content-Digest" or "Repr-Digest" (empty when absent)
    QString algorithm;        // lowercase as RFC 9530 names it: "sha-256", "sha-512", "sha", "md5", ...
    QString expected;         // the value received, as text (the base64 between the colons for SF)
    QString actual;           // base64 of the digest computed over the raw body (empty if unsupported)
    QString code;             // problem code: "digest-mismatch", "digest-malformed", "digest-missing",
                              // "algorithm-unsupported"; empty when valid
    QString message;          // one human sentence
    QByteArray expectedBytes; // the decoded value received, when it could be decoded (leniently)
};

QString digestStatusName(DigestStatus status); // "valid", "mismatch", "absent", "malformed", "unsupported"

// Algorithm names: RFC 3230 tokens are case-insensitive ("SHA-256", "sha-256", "SHA", "MD5");
// RFC 9530 keys are lowercase ("sha-256", "sha-512"; others are unsupported here).
std::optional<DigestAlgorithm> digestAlgorithmFromName(QByteArrayView name);
QString digestAlgorithmName(DigestAlgorithm algorithm); // "sha-256", "sha-512", "sha", "md5"
bool isWeakDigestAlgorithm(DigestAlgorithm algorithm);  // SHA-1 and MD5: recognised, never valid
QByteArray computeDigest(DigestAlgorithm algorithm, QByteArrayView body); // raw digest bytes

// RFC 3230 §4.3.2 `Digest: SHA-256=base64, SHA-512=base64`: one check per listed algorithm.
// headerValues: every Digest field line in order (they are combined as a list).
QList<DigestCheck> checkRfc3230Digest(const QList<QByteArray> &headerValues, QByteArrayView body);
// RFC 9530 §2/§3: an SF Dictionary of Byte Sequences; headerName is "Content-Digest" or
// "Repr-Digest" (Repr-Digest is compared with the raw body too: valid without content coding).
QList<DigestCheck> checkStructuredDigest(const QString &headerName, const QList<QByteArray> &headerValues,
                                         QByteArrayView body);
// Every Digest, Content-Digest and Repr-Digest header of the request, checked over the raw body
// (bodyView()); a single Absent check (code "digest-missing") when there is none.
QList<DigestCheck> checkDigests(const Http::CapturedRequest &request);
QList<DigestCheck> checkDigests(const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView body);

// The check to report for a request: a mismatch first, then malformed, then the strongest valid,
// then unsupported, then absent. Returns an Absent check for an empty list.
DigestCheck summarizeDigestChecks(const QList<DigestCheck> &checks);

// Diagnosis for `body-reserialized`: when the expected digest does not match the raw body, tries
// re-serialized forms of it (JSON.stringify compact in source key order, sorted keys, 2- and
// 4-space indentation, CRLF<->LF, trailing newline added/removed, UTF-8 BOM added/removed) and
// returns a human name of the first form whose digest equals expectedDigest, e.g.
// "JSON.stringify of the parsed body (compact, original key order)".
std::optional<QString> findReserializedForm(QByteArrayView body, DigestAlgorithm algorithm,
                                            QByteArrayView expectedDigest);
std::optional<QString> findReserializedForm(QByteArrayView body, const QString &algorithm,
                                            QByteArrayView expectedDigest);

} // namespace Verify
