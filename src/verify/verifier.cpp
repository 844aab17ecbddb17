#include "verify/verifier.h"

#include "http/capturedrequest.h"
#include "http/utctext.h"
#include "verify/base64.h"
#include "verify/cavageparameters.h"
#include "verify/cavageverifier.h"
#include "verify/diagnosis.h"
#include "verify/digest.h"
#include "verify/jsonstringify.h"
#include "verify/messagesignatureverifier.h"

namespace Verify {

namespace {

/// Collects the verdict while the steps run.
struct Collector
{
    Verdict &verdict;
    bool failed = false;

    void step(const char *name, StepStatus status, const QString &message)
    {
        verdict.steps.append(VerificationStep{QString::fromLatin1(name), status, message});
    }
    void fail(const Problem &problem)
    {
        failed = true;
        verdict.addProblem(problem.code, problem.message);
    }
    void fail(const char *code, const QString &message) { fail(Problem{QString::fromLatin1(code), message}); }
    void hint(const char *code, const QString &message) { verdict.addProblem(QString::fromLatin1(code), message); }
};

// Two decimal digits at text[at], or -1.
int twoDigits(QByteArrayView text, qsizetype at)
{
    const char tens = text[at];
    const char ones = text[at + 1];
    if (tens < '0' || tens > '9' || ones < '0' || ones > '9')
        return -1;
    return (tens - '0') * 10 + (ones - '0');
}

// The canonical IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") read directly, as Unix seconds;
// nullopt for any other form, which Qt's parser then reads.
std::optional<qint64> parseImfFixdate(QByteArrayView text)
{
    static constexpr const char *Days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *Months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (text.size() != 29 || text.sliced(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' '
        || text[19] != ':' || text[22] != ':' || text.sliced(25) != " GMT")
        return std::nullopt;
    int month = 0;
    while (month < 12 && text.sliced(8, 3) != QByteArrayView(Months[month]))
        ++month;
    const int day = twoDigits(text, 5);
    const int century = twoDigits(text, 12);
    const int yearInCentury = twoDigits(text, 14);
    const int hour = twoDigits(text, 17);
    const int minute = twoDigits(text, 20);
    const int second = twoDigits(text, 23);
    if (month == 12 || day < 0 || century < 0 || yearInCentury < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59)
        return std::nullopt;
    const QDate date(century * 100 + yearInCentury, month + 1, day);
    if (!date.isValid() || text.first(3) != QByteArrayView(Days[date.dayOfWeek() - 1]))
        return std::nullopt; // an inconsistent day name: as Qt's parser judges it
    return (date.toJulianDay() - QDate(1970, 1, 1).toJulianDay()) * 86400 + hour * 3600 + minute * 60 + second;
}

// RFC 9110 §5.6.7 IMF-fixdate, as Unix seconds; Qt's RFC 2822 parser for the other forms (it
// wants a numeric zone, so GMT/UTC/UT become +0000 first).
std::optional<qint64> parseHttpDate(const QByteArray &value)
{
    if (const std::optional<qint64> seconds = parseImfFixdate(QByteArrayView(value).trimmed()))
        return seconds;
    QString text = QString::fromLatin1(value).trimmed();
    for (const QLatin1String zone : {QLatin1String(" GMT"), QLatin1String(" UTC"), QLatin1String(" UT")}) {
        if (text.endsWith(zone, Qt::CaseInsensitive)) {
            text.chop(zone.size());
            text += QStringLiteral(" +0000");
            break;
        }
    }
    const QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
    return date.isValid() ? std::optional<qint64>(date.toSecsSinceEpoch()) : std::nullopt;
}

bool covers(const SignatureReport &report, QByteArrayView lowercaseName)
{
    for (const QString &covered : report.covered) {
        QString bare = covered;
        if (bare.startsWith(QLatin1Char('"'))) {
            // RFC 9421: only the plain field, not a `;key=` or `;tr` selection of it
            if (bare.contains(QLatin1Char(';')) && !bare.endsWith(QLatin1String(";sf")))
                continue;
            bare = bare.mid(1, bare.indexOf(QLatin1Char('"'), 1) - 1);
        }
        if (bare.compare(QLatin1String(lowercaseName), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QList<SignatureOutcome> findAndVerifySignatures(const VerifierInput &input, const KeySet &keys, const Policy &policy)
{
    const Http::CapturedRequest &request = *input.request;
    QList<SignatureOutcome> outcomes;
    const Http::HeaderField *authorization = request.header("authorization");
    const Http::HeaderField *signature = request.header("signature");
    if (policy.joyentCompatible) {
        // joyent parseRequest: headers.authorization || headers.signature, nothing else
        if (authorization)
            outcomes.append(verifyCavageSignature(input, QStringLiteral("Authorization"), authorization->value, keys, policy));
        else if (signature)
            outcomes.append(verifyCavageSignature(input, QStringLiteral("Signature"), input.nodeValue("signature"), keys, policy));
        return outcomes;
    }
    if (authorization && isSignatureAuthorization(authorization->value))
        outcomes.append(verifyCavageSignature(input, QStringLiteral("Authorization"), authorization->value, keys, policy));
    if (request.header("signature-input")) {
        outcomes.append(verifyMessageSignatures(input, parseMessageSignatures(request), keys, policy));
    } else if (signature) {
        outcomes.append(verifyCavageSignature(input, QStringLiteral("Signature"), input.combinedValue("signature"), keys, policy));
    }
    return outcomes;
}

void checkClock(Collector &collector, const SignatureOutcome &best, const VerifierInput &input, const Policy &policy,
                const QDateTime &now)
{
    const qint64 nowSeconds = now.toSecsSinceEpoch();
    const qint64 maxSkew = policy.maxSkewSeconds;
    const SignatureReport &report = best.report;
    QStringList checked;
    bool ok = true;
    if (report.created) {
        const qint64 skew = *report.created - nowSeconds;
        // joyent only rejects a created time in the future; strict treats both directions alike
        if (skew > maxSkew || (!policy.joyentCompatible && -skew > maxSkew)) {
            collector.fail("clock-skew", describeSkew(QStringLiteral("created"), *report.created, nowSeconds)
                                             + QStringLiteral(", more than the allowed %1 s.").arg(maxSkew));
            ok = false;
        }
        checked.append(QStringLiteral("created"));
    }
    if (report.expires) {
        const qint64 expiredSince = nowSeconds - *report.expires;
        if (expiredSince > (policy.joyentCompatible ? maxSkew : 0)) {
            collector.fail("signature-expired", QStringLiteral("The signature expired %1 s before the verifier's clock (expires=%2).")
                                                    .arg(expiredSince)
                                                    .arg(*report.expires));
            ok = false;
        }
        checked.append(QStringLiteral("expires"));
    }
    const QByteArray dateName = policy.joyentCompatible && input.hasField("x-date") ? QByteArrayLiteral("x-date")
                                                                                     : QByteArrayLiteral("date");
    const bool dateCovered = covers(report, dateName);
    if (input.hasField(dateName) && (dateCovered || policy.joyentCompatible)) {
        const QByteArray value = input.value(dateName);
        const std::optional<qint64> date = parseHttpDate(value);
        const QString label = dateName == "date" ? QStringLiteral("Date") : QStringLiteral("X-Date");
        if (!date) {
            // joyent: new Date(garbage) is NaN and NaN > skew is false, so it passes
            if (!policy.joyentCompatible) {
                collector.fail("date-malformed", QStringLiteral("The %1 header \"%2\" is not an HTTP date (RFC 9110 §5.6.7).")
                                                     .arg(label, QString::fromLatin1(value)));
                ok = false;
            }
        } else {
            const qint64 dateSeconds = *date;
            if (qAbs(dateSeconds - nowSeconds) > maxSkew) {
                collector.fail("clock-skew", describeSkew(label, dateSeconds, nowSeconds)
                                                 + QStringLiteral(", more than the allowed %1 s.").arg(maxSkew));
                ok = false;
            }
        }
        checked.append(label + (dateCovered ? QString() : QStringLiteral(" (not signed)")));
    }
    if (checked.isEmpty()) {
        if (policy.requireSignedTimestamp) {
            collector.fail("timestamp-not-signed", QStringLiteral("The signature covers no Date and has no created time, so a replay cannot be detected."));
            collector.step("clock", StepStatus::Failed, QStringLiteral("No signed timestamp to check."));
        } else {
            collector.step("clock", StepStatus::Skipped, QStringLiteral("The signature covers no timestamp (Date or created)."));
        }
        return;
    }
    collector.step("clock", ok ? StepStatus::Passed : StepStatus::Failed,
                   (ok ? u"Checked " : u"") + checked.join(QStringLiteral(", ")) + (ok ? u" against " : u" checked against ")
                       + Http::utcText(now, Http::UtcPrecision::Seconds) + u" (max skew " + QString::number(maxSkew)
                       + (ok ? u" s)." : u" s): out of range."));
}

QByteArray stringifyBodyForReceiver(const VerifierInput &input, QString *error)
{
    // express + body-parser.json(): req.body is the parsed JSON for application/json, else {}
    const QByteArray contentType = input.nodeValue("content-type").split(';').value(0).trimmed().toLower();
    const QByteArrayView body = input.request->bodyView();
    if (contentType != "application/json" || body.isEmpty())
        return QByteArrayLiteral("{}");
    const auto stringified = jsonStringify(body);
    if (!stringified) {
        *error = stringified.error();
        return {};
    }
    return *stringified;
}

void checkBody(Collector &collector, const SignatureOutcome *best, const VerifierInput &input, const Policy &policy)
{
    const Http::CapturedRequest &request = *input.request;
    const QList<DigestCheck> checks = checkDigests(request);
    const DigestCheck &digest = collector.verdict.digest = summarizeDigestChecks(checks);
    const QByteArrayView body = request.bodyView();
    const bool signedRequest = best != nullptr;

    if (policy.digestComparison == DigestComparison::JsonStringify) {
        // the provider's documented receiver: `SHA-256=${sha256(JSON.stringify(req.body))}` !== req.headers.digest
        QString error;
        const QByteArray stringified = stringifyBodyForReceiver(input, &error);
        if (!error.isEmpty()) {
            collector.fail("body-not-json", QStringLiteral("body-parser rejects the body as JSON (%1), so the receiver answers 400.").arg(error));
            collector.step("body", StepStatus::Failed, QStringLiteral("The body is not valid JSON."));
            return;
        }
        const QByteArray expected = "SHA-256=" + encodeBase64(computeDigest(DigestAlgorithm::Sha256, stringified));
        const QByteArray received = input.nodeValue("digest");
        if (received.isEmpty()) {
            collector.fail("digest-missing", QStringLiteral("The request has no Digest header; the documented receiver requires Digest: %1.").arg(QString::fromLatin1(expected)));
        } else if (received != expected) {
            collector.fail("digest-mismatch", QStringLiteral("The documented receiver expects Digest: %1 (SHA-256 of JSON.stringify(req.body)) but got %2.")
                                                  .arg(QString::fromLatin1(expected), QString::fromLatin1(received)));
            if (digest.status == DigestStatus::Valid) {
                collector.fail("digest-json-stringify-mismatch",
                               QStringLiteral("The Digest matches the raw body, but JSON.stringify of the parsed body is different bytes, so this receiver rejects a genuine request."));
            }
        } else if (digest.status == DigestStatus::Mismatch && stringified != body) {
            collector.hint("body-reserialized", QStringLiteral("The Digest matches JSON.stringify of the parsed body, not the bytes received; this receiver accepts it because it re-serializes too."));
        }
        if (!received.isEmpty() && best && !covers(best->report, "digest")) {
            collector.hint("digest-not-signed", QStringLiteral("The signature does not cover Digest: this receiver accepts any body whose Digest was recomputed by whoever changed it."));
        }
        collector.step("body", collector.failed ? StepStatus::Failed : StepStatus::Passed,
                       QStringLiteral("Digest compared with SHA-256 of JSON.stringify(req.body) (%1 bytes).").arg(stringified.size()));
        return;
    }

    const QString header = digest.header;
    switch (digest.status) {
    case DigestStatus::Mismatch: {
        collector.fail("digest-mismatch", digest.message.isEmpty() ? QStringLiteral("The %1 header does not match the body.").arg(header) : digest.message);
        if (const std::optional<QString> form = findReserializedForm(body, digest.algorithm, digest.expectedBytes)) {
            const QString message = QStringLiteral("The %1 value matches %2, not the bytes received: the sender hashed a re-serialized body.").arg(header, *form);
            collector.hint("body-reserialized", message);
            collector.verdict.diagnoses.append(Diagnosis{QStringLiteral("body-reserialized"), message, *form, {}});
        }
        collector.step("body", StepStatus::Failed, QStringLiteral("%1 %2 does not match the %3 body bytes.").arg(header, digest.algorithm).arg(body.size()));
        return;
    }
    case DigestStatus::Malformed:
        collector.fail("digest-malformed", digest.message.isEmpty() ? QStringLiteral("The %1 header cannot be parsed.").arg(header) : digest.message);
        collector.step("body", StepStatus::Failed, QStringLiteral("The %1 header is malformed.").arg(header));
        return;
    case DigestStatus::Unsupported:
        if (!body.isEmpty() && policy.digestRequired) {
            collector.fail("algorithm-unsupported", digest.message.isEmpty() ? QStringLiteral("The digest algorithm %1 is not supported.").arg(digest.algorithm) : digest.message);
            collector.step("body", StepStatus::Failed, QStringLiteral("No supported digest protects the body."));
        } else {
            collector.step("body", StepStatus::Skipped, QStringLiteral("The digest algorithm %1 is not supported.").arg(digest.algorithm));
        }
        return;
    case DigestStatus::Absent:
        if (!body.isEmpty() && policy.digestRequired) {
            collector.fail("digest-missing", QStringLiteral("The %1-byte body has no Digest or Content-Digest header, so nothing protects it.").arg(body.size()));
            collector.step("body", StepStatus::Failed, QStringLiteral("The body is not protected by a digest."));
        } else {
            collector.step("body", StepStatus::Skipped, body.isEmpty() ? QStringLiteral("The request has no body.") : QStringLiteral("No digest header."));
        }
        return;
    case DigestStatus::Valid:
        break;
    }
    bool covered = false;
    for (const DigestCheck &check : checks) {
        if (check.status == DigestStatus::Valid && best && covers(best->report, check.header.toLower().toLatin1()))
            covered = true;
    }
    if (!covered && signedRequest) {
        const QString message = QStringLiteral("The %1 header matches the body but the signature does not cover it, so the body is not protected.").arg(header);
        if (!body.isEmpty() && policy.digestMustBeSigned)
            collector.fail("digest-not-signed", message);
        else
            collector.hint("digest-not-signed", message);
    }
    collector.step("body", covered || body.isEmpty() || !policy.digestMustBeSigned ? StepStatus::Passed : StepStatus::Failed,
                   header + u' ' + digest.algorithm + u" matches the " + QString::number(body.size()) + u" body bytes"
                       + (covered ? u" and is signed." : u" but is not signed."));
}

void checkRequiredComponents(Collector &collector, const SignatureOutcome &best, const VerifierInput &input, const Policy &policy)
{
    const bool rfc9421 = best.report.scheme == QLatin1String("rfc9421");
    for (QString name : policy.requiredComponents) {
        if ((rfc9421 && name.startsWith(QLatin1Char('('))) || (!rfc9421 && name.startsWith(QLatin1Char('@'))))
            continue;
        if (policy.joyentCompatible && name == QLatin1String("date") && input.hasField("x-date"))
            name = QStringLiteral("x-date");
        if (!covers(best.report, name.toLatin1()))
            collector.fail("component-not-signed", QStringLiteral("The signature does not cover \"%1\", which the policy %2 requires.").arg(name, policy.name));
    }
}

} // namespace

Verifier::Verifier(KeySet keys, Policy policy, VerifyOptions options)
    : m_keys(std::move(keys)), m_policy(std::move(policy)), m_options(std::move(options))
{
}

Verdict Verifier::verify(const Http::CapturedRequest &request, const QDateTime &now) const
{
    Verdict verdict;
    verdict.policy = m_policy.name;
    Collector collector{verdict};
    const QString scheme = !m_options.scheme.isEmpty() ? m_options.scheme
                           : request.isTls()            ? QStringLiteral("https")
                                                        : QStringLiteral("http");
    VerifierInput input = VerifierInput::fromRequest(request, scheme);
    input.nodeHeaderSemantics = m_policy.joyentCompatible;

    const QList<SignatureOutcome> outcomes = findAndVerifySignatures(input, m_keys, m_policy);
    const SignatureOutcome *best = nullptr;
    for (const SignatureOutcome &outcome : outcomes) {
        verdict.signatures.append(outcome.report);
        if (!best || (outcome.report.status == SignatureStatus::Verified && best->report.status != SignatureStatus::Verified))
            best = &outcome;
    }
    if (!best) {
        collector.step("parse", StepStatus::Failed, QStringLiteral("The request carries no signature (no Authorization: Signature, Signature or Signature-Input header)."));
        checkBody(collector, nullptr, input, m_policy);
        verdict.verdict = VerdictStatus::Unsigned;
        return verdict;
    }
    verdict.signature = best->report;
    const SignatureReport &report = best->report;
    // The messages of every verification are concatenated, not QString::arg'ed: a few
    // microseconds less per capture, and a keyId or label holding "%1" stays as it is.
    const QString what = report.scheme == QLatin1String("rfc9421") ? QString(u"RFC 9421 signature \"" + report.label + u'"')
                                                                   : QString(u"draft-cavage signature in " + report.header);
    const bool malformed = report.status == SignatureStatus::Malformed && report.signingString.isEmpty();
    collector.step("parse", malformed ? StepStatus::Failed : StepStatus::Passed,
                   malformed ? QString(u"The " + what + u" cannot be read.")
                             : QString(u"Found the " + what + u" (" + QString::number(outcomes.size()) + u" in the request), keyId \""
                                       + report.keyId + u"\", covering " + report.covered.join(QLatin1Char(' ')) + u'.'));
    if (!report.signingString.isEmpty()) {
        collector.step(report.scheme == QLatin1String("rfc9421") ? "signature-base" : "signing-string", StepStatus::Passed,
                       u"Built " + QString::number(report.signingString.size()) + u" bytes from "
                           + QString::number(report.components.size()) + u" components.");
    }
    if (report.key) {
        collector.step("key", StepStatus::Passed,
                       u"Key \"" + report.key->kid + u"\" (" + report.key->type + u", " + QString::number(report.key->bits)
                           + u" bits, thumbprint " + report.key->thumbprint + u") from " + report.key->source + u'.');
    } else if (report.status == SignatureStatus::KeyUnknown) {
        collector.step("key", StepStatus::Failed, report.problems.value(0).message);
    }
    for (const Problem &problem : best->failures)
        collector.fail(problem);
    for (const Problem &problem : best->hints)
        collector.hint(problem.code.toLatin1().constData(), problem.message);
    if (!malformed && report.status != SignatureStatus::KeyUnknown) {
        collector.step("verify", report.status == SignatureStatus::Verified ? StepStatus::Passed : StepStatus::Failed,
                       report.status == SignatureStatus::Verified
                           ? QString(u"The signature verifies (" + report.verifiedAlgorithm + u").")
                           : report.problems.value(0).message);
    }
    for (const SignatureOutcome &outcome : outcomes) {
        if (outcome.report.status != SignatureStatus::Verified)
            verdict.diagnoses.append(diagnoseSignature(input, outcome.report, outcome.retry));
    }
    checkClock(collector, *best, input, m_policy, now);
    checkBody(collector, best, input, m_policy);
    checkRequiredComponents(collector, *best, input, m_policy);

    verdict.verdict = report.status == SignatureStatus::Verified && !collector.failed ? VerdictStatus::Verified
                                                                                      : VerdictStatus::Failed;
    return verdict;
}

} // namespace Verify
