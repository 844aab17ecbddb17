#include "verify/verdict.h"

#include <QJsonArray>

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

QJsonArray problemsToJson(const QList<Problem> &problems)
{
    QJsonArray array;
    for (const Problem &problem : problems)
        array.append(QJsonObject{{QStringLiteral("code"), problem.code}, {QStringLiteral("message"), problem.message}});
    return array;
}

QJsonObject keyToJson(const KeyReport &key)
{
    QJsonObject object{{QStringLiteral("kid"), key.kid},
                       {QStringLiteral("type"), key.type},
                       {QStringLiteral("bits"), key.bits},
                       {QStringLiteral("thumbprint"), key.thumbprint},
                       {QStringLiteral("source"), key.source}};
    if (!key.curve.isEmpty())
        object.insert(QStringLiteral("curve"), key.curve);
    if (!key.notes.isEmpty())
        object.insert(QStringLiteral("notes"), QJsonArray::fromStringList(key.notes));
    return object;
}

QJsonObject componentToJson(const CoveredComponent &component)
{
    QJsonObject object{{QStringLiteral("name"), component.name},
                       {QStringLiteral("value"), QString::fromUtf8(component.value)}};
    QJsonArray lines;
    for (const SourceLine &line : component.lines)
        lines.append(QJsonObject{{QStringLiteral("offset"), line.offset}, {QStringLiteral("length"), line.length}});
    if (component.fromRequestLine)
        object.insert(QStringLiteral("source"), QStringLiteral("request-line"));
    else if (!component.lines.isEmpty())
        object.insert(QStringLiteral("lines"), lines);
    if (component.nodeValue)
        object.insert(QStringLiteral("nodeValue"), QString::fromUtf8(*component.nodeValue));
    return object;
}

} // namespace

QJsonObject signatureReportToJson(const SignatureReport &report)
{
    QJsonObject object{{QStringLiteral("status"), signatureStatusName(report.status)}};
    if (report.status == SignatureStatus::Absent)
        return object;
    object.insert(QStringLiteral("scheme"), report.scheme);
    object.insert(QStringLiteral("header"), report.header);
    if (!report.label.isEmpty())
        object.insert(QStringLiteral("label"), report.label);
    object.insert(QStringLiteral("keyId"), report.keyId);
    object.insert(QStringLiteral("algorithm"), report.algorithm);
    if (!report.verifiedAlgorithm.isEmpty())
        object.insert(QStringLiteral("verifiedAlgorithm"), report.verifiedAlgorithm);
    object.insert(QStringLiteral("covered"), QJsonArray::fromStringList(report.covered));
    object.insert(QStringLiteral("signingString"), QString::fromUtf8(report.signingString));
    QJsonArray components;
    for (const CoveredComponent &component : report.components)
        components.append(componentToJson(component));
    object.insert(QStringLiteral("components"), components);
    if (report.key)
        object.insert(QStringLiteral("key"), keyToJson(*report.key));
    if (report.created)
        object.insert(QStringLiteral("created"), *report.created);
    if (report.expires)
        object.insert(QStringLiteral("expires"), *report.expires);
    if (!report.problems.isEmpty())
        object.insert(QStringLiteral("problems"), problemsToJson(report.problems));
    return object;
}

QJsonObject verdictToJson(const Verdict &verdict)
{
    QJsonObject object;
    if (!verdict.file.isEmpty())
        object.insert(QStringLiteral("file"), verdict.file);
    object.insert(QStringLiteral("verdict"), verdictStatusName(verdict.verdict));
    object.insert(QStringLiteral("policy"), verdict.policy);

    QJsonObject digest{{QStringLiteral("status"), digestStatusName(verdict.digest.status)}};
    if (verdict.digest.status != DigestStatus::Absent) {
        digest.insert(QStringLiteral("header"), verdict.digest.header);
        digest.insert(QStringLiteral("algorithm"), verdict.digest.algorithm);
        digest.insert(QStringLiteral("expected"), verdict.digest.expected);
        digest.insert(QStringLiteral("actual"), verdict.digest.actual);
    }
    object.insert(QStringLiteral("digest"), digest);
    object.insert(QStringLiteral("signature"), signatureReportToJson(verdict.signature));

    QJsonArray signatures;
    for (const SignatureReport &report : verdict.signatures)
        signatures.append(signatureReportToJson(report));
    object.insert(QStringLiteral("signatures"), signatures);

    QJsonArray steps;
    for (const VerificationStep &step : verdict.steps) {
        steps.append(QJsonObject{{QStringLiteral("name"), step.name},
                                 {QStringLiteral("status"), stepStatusName(step.status)},
                                 {QStringLiteral("message"), step.message}});
    }
    object.insert(QStringLiteral("steps"), steps);
    object.insert(QStringLiteral("problems"), problemsToJson(verdict.problems));

    QJsonArray diagnoses;
    for (const Diagnosis &diagnosis : verdict.diagnoses) {
        QJsonObject entry{{QStringLiteral("code"), diagnosis.code},
                          {QStringLiteral("message"), diagnosis.message},
                          {QStringLiteral("form"), diagnosis.form}};
        if (!diagnosis.signingString.isEmpty())
            entry.insert(QStringLiteral("signingString"), QString::fromUtf8(diagnosis.signingString));
        diagnoses.append(entry);
    }
    object.insert(QStringLiteral("diagnoses"), diagnoses);
    return object;
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
