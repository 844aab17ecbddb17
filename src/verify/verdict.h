#pragma once

#include "verify/digest.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Verify {

// The explained outcome of verifying one request: what `hookscope verify --json` prints and what
// `hookscope listen --json` embeds under "verification" (docs/contract: cli.md, "hookscope verify").

enum class VerdictStatus { Verified, Failed, Unsigned };
enum class SignatureStatus { Verified, Invalid, Absent, Malformed, KeyUnknown, Unsupported };
enum class StepStatus { Passed, Failed, Skipped, Warning };

/// A problem a user can act on: a stable code (never renamed) and one sentence.
struct Problem
{
    QString code;
    QString message;

    friend bool operator==(const Problem &, const Problem &) = default;
};

/// One step of the explanation (parse, key, signing-string, verify, clock, body).
struct VerificationStep
{
    QString name;
    StepStatus status = StepStatus::Skipped;
    QString message;
};

/// A raw header line a covered component was read from (offsets into CapturedRequest::raw).
struct SourceLine
{
    qsizetype offset = 0;
    qsizetype length = 0;

    friend bool operator==(const SourceLine &, const SourceLine &) = default;
};

/// One covered component: its name as signed, the value that went into the signing string, and
/// the raw lines it came from.
struct CoveredComponent
{
    QString name;            // "(request-target)", "host", "\"@authority\"", "\"content-digest\";sf"
    QByteArray value;        // the value used in the signing string / signature base
    QList<SourceLine> lines; // empty for derived components taken from the request line
    bool fromRequestLine = false;
    // Set when Node's http module would have exposed a different value for a repeated header
    // (it keeps only the first of host, content-type, user-agent, ...).
    std::optional<QByteArray> nodeValue;

    friend bool operator==(const CoveredComponent &, const CoveredComponent &) = default;
};

/// The key a signature was checked with.
struct KeyReport
{
    QString kid;
    QString type;       // "RSA", "RSA-PSS", "EC", "OKP", "oct"
    QString curve;
    int bits = 0;
    QString thumbprint; // RFC 7638, base64url
    QString source;
    QStringList notes;

    friend bool operator==(const KeyReport &, const KeyReport &) = default;
};

/// One signature (draft-cavage, or one RFC 9421 label) and how its check went.
struct SignatureReport
{
    SignatureStatus status = SignatureStatus::Absent;
    QString scheme;            // "cavage" or "rfc9421"
    QString header;            // "Authorization", "Signature" or "Signature-Input"
    QString label;             // RFC 9421 label, e.g. "sig1"
    QString keyId;
    QString algorithm;         // as claimed (or derived: "hs2019 (rsa-pss-sha512)")
    QString verifiedAlgorithm; // the concrete algorithm the check used (crypto.h names)
    QStringList covered;       // component names as the signature lists them
    QByteArray signingString;  // exactly the bytes the signature was checked over
    QList<CoveredComponent> components;
    std::optional<KeyReport> key;
    std::optional<qint64> created;
    std::optional<qint64> expires;
    QList<Problem> problems;   // problems of this signature only

    friend bool operator==(const SignatureReport &, const SignatureReport &) = default;
};

/// A diagnosis of a failure: a variant of the request that does verify, named.
struct Diagnosis
{
    QString code;             // a problem code, e.g. "host-port-mismatch", "body-reserialized"
    QString message;          // one sentence naming the reproducing form
    QString form;             // the variant, e.g. "host: example.com:8443"
    QByteArray signingString; // the signing string that verified (when a signature variant)
};

/// Everything `verify` concluded about one request.
struct Verdict
{
    QString file;
    QString policy;
    VerdictStatus verdict = VerdictStatus::Unsigned;
    DigestCheck digest;
    SignatureReport signature;        // the first verified signature, else the first one
    QList<SignatureReport> signatures; // all signatures found, in order
    QList<VerificationStep> steps;
    QList<Problem> problems;
    QList<Diagnosis> diagnoses;

    bool hasProblem(const QString &code) const;
    void addProblem(const QString &code, const QString &message); // no duplicates of code+message
};

QString verdictStatusName(VerdictStatus status);     // "verified", "failed", "unsigned"
QString signatureStatusName(SignatureStatus status); // "verified", "invalid", "absent", ...
QString stepStatusName(StepStatus status);           // "passed", "failed", "skipped", "warning"

// The contract's JSON object ("file" only when non-empty), plus "policy", "steps", "signatures",
// "diagnoses" and "signature.key"/"signature.components".
QJsonObject verdictToJson(const Verdict &verdict);
QJsonObject signatureReportToJson(const SignatureReport &report);
// The same as compact JSON text, written directly (what `listen` stores and prints with each
// capture): equal to QJsonDocument(verdictToJson(verdict)).toJson(QJsonDocument::Compact).
QByteArray verdictJson(const Verdict &verdict);
QByteArray signatureReportJson(const SignatureReport &report);
// A short human explanation: verdict line, steps, problems, diagnoses.
QString verdictToText(const Verdict &verdict);

} // namespace Verify
