#include "verify/verdict.h"

#include "verify/jsonwriter.h"

#include <QJsonDocument>

namespace Verify {

bool Verdict::hasProblem(const QString &code) const
{
    for (const Problem &problem : problems) {
        if (problem.code == code)
            return true;
    }
    return false;
}

void Verdict::addProblem(const QString &code, const QString &message)
{
    const Problem problem{code, message};
    if (!problems.contains(problem))
        problems.append(problem);
}

QString verdictStatusName(VerdictStatus status)
{
    switch (status) {
    case VerdictStatus::Verified:
        return QStringLiteral("verified");
    case VerdictStatus::Failed:
        return QStringLiteral("failed");
    case VerdictStatus::Unsigned:
        break;
    }
    return QStringLiteral("unsigned");
}

QString signatureStatusName(SignatureStatus status)
{
    switch (status) {
    case SignatureStatus::Verified:
        return QStringLiteral("verified");
    case SignatureStatus::Invalid:
        return QStringLiteral("invalid");
    case SignatureStatus::Malformed:
        return QStringLiteral("malformed");
    case SignatureStatus::KeyUnknown:
        return QStringLiteral("key-unknown");
    case SignatureStatus::Unsupported:
        return QStringLiteral("unsupported");
    case SignatureStatus::Absent:
        break;
    }
    return QStringLiteral("absent");
}

QString stepStatusName(StepStatus status)
{
    switch (status) {
    case StepStatus::Passed:
        return QStringLiteral("passed");
    case StepStatus::Failed:
        return QStringLiteral("failed");
    case StepStatus::Warning:
        return QStringLiteral("warning");
    case StepStatus::Skipped:
        break;
    }
    return QStringLiteral("skipped");
}

namespace {

// Object keys below are written in the order QJsonObject keeps them (sorted), so the text is
// byte for byte what QJsonDocument::toJson(Compact) wrote when the verdict was a QJsonObject.

void writeProblems(JsonWriter &json, const QList<Problem> &problems)
{
    json.beginArray();
    for (const Problem &problem : problems)
        json.beginObject().key("code").value(problem.code).key("message").value(problem.message).endObject();
    json.endArray();
}

void writeKey(JsonWriter &json, const KeyReport &key)
{
    json.beginObject().key("bits").value(qint64(key.bits));
    if (!key.curve.isEmpty())
        json.key("curve").value(key.curve);
    json.key("kid").value(key.kid);
    if (!key.notes.isEmpty()) {
        json.key("notes").beginArray();
        for (const QString &note : key.notes)
            json.value(note);
        json.endArray();
    }
    json.key("source").value(key.source).key("thumbprint").value(key.thumbprint).key("type").value(key.type).endObject();
}

void writeComponent(JsonWriter &json, const CoveredComponent &component)
{
    json.beginObject();
    if (!component.fromRequestLine && !component.lines.isEmpty()) {
        json.key("lines").beginArray();
        for (const SourceLine &line : component.lines)
            json.beginObject().key("length").value(qint64(line.length)).key("offset").value(qint64(line.offset)).endObject();
        json.endArray();
    }
    json.key("name").value(component.name);
    if (component.nodeValue)
        json.key("nodeValue").utf8(*component.nodeValue);
    if (component.fromRequestLine)
        json.key("source").value(QStringView(u"request-line"));
    json.key("value").utf8(component.value).endObject();
}

void writeStringList(JsonWriter &json, const QStringList &list)
{
    json.beginArray();
    for (const QString &text : list)
        json.value(text);
    json.endArray();
}

} // namespace

QByteArray signatureReportJson(const SignatureReport &report)
{
    QByteArray out;
    JsonWriter json(out);
    json.beginObject();
    if (report.status == SignatureStatus::Absent) {
        json.key("status").value(signatureStatusName(report.status)).endObject();
        return out;
    }
    out.reserve(512 + report.signingString.size() * 2);
    json.key("algorithm").value(report.algorithm);
    json.key("components").beginArray();
    for (const CoveredComponent &component : report.components)
        writeComponent(json, component);
    json.endArray();
    json.key("covered");
    writeStringList(json, report.covered);
    if (report.created)
        json.key("created").value(*report.created);
    if (report.expires)
        json.key("expires").value(*report.expires);
    json.key("header").value(report.header);
    if (report.key) {
        json.key("key");
        writeKey(json, *report.key);
    }
    json.key("keyId").value(report.keyId);
    if (!report.label.isEmpty())
        json.key("label").value(report.label);
    if (!report.problems.isEmpty()) {
        json.key("problems");
        writeProblems(json, report.problems);
    }
    json.key("scheme").value(report.scheme);
    json.key("signingString").utf8(report.signingString);
    json.key("status").value(signatureStatusName(report.status));
    if (!report.verifiedAlgorithm.isEmpty())
        json.key("verifiedAlgorithm").value(report.verifiedAlgorithm);
    json.endObject();
    return out;
}

QByteArray verdictJson(const Verdict &verdict)
{
    // The best signature is normally one of `signatures`: its text is written once and reused.
    QList<QByteArray> signatures;
    signatures.reserve(verdict.signatures.size());
    QByteArray signature;
    for (const SignatureReport &report : verdict.signatures) {
        signatures.append(signatureReportJson(report));
        if (signature.isNull() && report == verdict.signature)
            signature = signatures.constLast();
    }
    if (signature.isNull())
        signature = signatureReportJson(verdict.signature);

    QByteArray out;
    out.reserve(256 + signature.size() * (signatures.size() + 1));
    JsonWriter json(out);
    json.beginObject().key("diagnoses").beginArray();
    for (const Diagnosis &diagnosis : verdict.diagnoses) {
        json.beginObject().key("code").value(diagnosis.code).key("form").value(diagnosis.form).key("message").value(diagnosis.message);
        if (!diagnosis.signingString.isEmpty())
            json.key("signingString").utf8(diagnosis.signingString);
        json.endObject();
    }
    json.endArray();

    const DigestCheck &digest = verdict.digest;
    json.key("digest").beginObject();
    if (digest.status != DigestStatus::Absent) {
        json.key("actual").value(digest.actual).key("algorithm").value(digest.algorithm);
        json.key("expected").value(digest.expected).key("header").value(digest.header);
    }
    json.key("status").value(digestStatusName(digest.status)).endObject();

    if (!verdict.file.isEmpty())
        json.key("file").value(verdict.file);
    json.key("policy").value(verdict.policy);
    json.key("problems");
    writeProblems(json, verdict.problems);
    json.key("signature").raw(signature);
    json.key("signatures").beginArray();
    for (const QByteArray &text : std::as_const(signatures))
        json.raw(text);
    json.endArray();
    json.key("steps").beginArray();
    for (const VerificationStep &step : verdict.steps)
        json.beginObject().key("message").value(step.message).key("name").value(step.name).key("status").value(stepStatusName(step.status)).endObject();
    json.endArray();
    json.key("verdict").value(verdictStatusName(verdict.verdict)).endObject();
    return out;
}

QJsonObject signatureReportToJson(const SignatureReport &report)
{
    return QJsonDocument::fromJson(signatureReportJson(report)).object();
}

QJsonObject verdictToJson(const Verdict &verdict)
{
    return QJsonDocument::fromJson(verdictJson(verdict)).object();
}

QString verdictToText(const Verdict &verdict)
{
    QString text;
    const QString name = verdict.file.isEmpty() ? QStringLiteral("request") : verdict.file;
    text += name + QStringLiteral(": ") + verdictStatusName(verdict.verdict).toUpper()
            + QStringLiteral(" (policy ") + verdict.policy + QStringLiteral(")\n");
    const SignatureReport &signature = verdict.signature;
    if (signature.status != SignatureStatus::Absent) {
        text += QStringLiteral("  signature: ") + signature.scheme
                + (signature.label.isEmpty() ? QString() : QStringLiteral(" ") + signature.label)
                + QStringLiteral(", keyId \"") + signature.keyId + QStringLiteral("\", ") + signature.algorithm
                + QStringLiteral(", covers ") + signature.covered.join(QLatin1Char(' '))
                + QStringLiteral(": ") + signatureStatusName(signature.status) + QLatin1Char('\n');
    }
    if (verdict.signatures.size() > 1)
        text += QStringLiteral("  (%1 signatures in the request)\n").arg(verdict.signatures.size());
    for (const VerificationStep &step : verdict.steps) {
        text += QStringLiteral("  [%1] %2: %3\n")
                    .arg(stepStatusName(step.status), -7)
                    .arg(step.name, step.message);
    }
    if (!signature.signingString.isEmpty()) {
        text += QStringLiteral("  signed bytes:\n");
        const QList<QByteArray> lines = signature.signingString.split('\n');
        for (const QByteArray &line : lines)
            text += QStringLiteral("    | ") + QString::fromUtf8(line) + QLatin1Char('\n');
    }
    for (const Problem &problem : verdict.problems)
        text += QStringLiteral("  problem %1: %2\n").arg(problem.code, problem.message);
    for (const Diagnosis &diagnosis : verdict.diagnoses)
        text += QStringLiteral("  diagnosis %1: %2\n").arg(diagnosis.code, diagnosis.message);
    return text;
}

} // namespace Verify
