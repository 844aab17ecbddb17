#include "verify/diagnosis.h"

#include <QRegularExpression>

namespace Verify {

namespace {

bool coversAny(const SignatureReport &report, std::initializer_list<const char *> names)
{
    for (const QString &covered : report.covered) {
        QString bare = covered;
        if (bare.startsWith(QLatin1Char('"')))
            bare = bare.mid(1, bare.indexOf(QLatin1Char('"'), 1) - 1);
        for (const char *name : names) {
            if (bare == QLatin1String(name))
                return true;
        }
    }
    return false;
}

QList<QByteArray> hostVariants(const VerifierInput &input)
{
    QList<QByteArray> variants;
    const QByteArray host = input.combinedValue("host");
    static const QRegularExpression withPort(QStringLiteral("^(.*):(\\d+)$"));
    const QRegularExpressionMatch match = withPort.match(QString::fromLatin1(host));
    if (match.hasMatch() && !host.endsWith(']')) {
        variants.append(match.captured(1).toLatin1());
    } else {
        for (const char *port : {":443", ":80", ":8443", ":8080", ":3000"})
            variants.append(host + port);
    }
    // what a proxy in front may have received
    for (const char *header : {"x-forwarded-host", "x-original-host"}) {
        const QByteArray value = input.combinedValue(header).split(',').value(0).trimmed();
        if (!value.isEmpty())
            variants.append(value);
    }
    // RFC 7239 Forwarded: host=
    static const QRegularExpression forwardedHost(QStringLiteral("(?:^|[;,\\s])host=\"?([^;,\"\\s]+)"), QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch forwarded = forwardedHost.match(QString::fromLatin1(input.combinedValue("forwarded")));
    if (forwarded.hasMatch())
        variants.append(forwarded.captured(1).toLatin1());
    QList<QByteArray> unique;
    for (const QByteArray &variant : std::as_const(variants)) {
        if (variant != host && !unique.contains(variant))
            unique.append(variant);
    }
    return unique;
}

QList<std::pair<QByteArray, QString>> targetVariants(const VerifierInput &input)
{
    QList<std::pair<QByteArray, QString>> variants;
    const QByteArray &target = input.target;
    const qsizetype question = target.indexOf('?');
    const QByteArray path = question < 0 ? target : target.left(question);
    const QByteArray query = question < 0 ? QByteArray() : target.mid(question);
    if (question >= 0)
        variants.append({path, QStringLiteral("without its query")});
    // a proxy stripped a prefix before forwarding: the signer's path had one more segment
    for (const char *header : {"x-forwarded-prefix", "x-script-name"}) {
        const QByteArray prefix = input.combinedValue(header).trimmed();
        if (!prefix.isEmpty() && prefix.startsWith('/'))
            variants.append({prefix + target, QStringLiteral("with the proxy prefix %1 added").arg(QString::fromLatin1(prefix))});
    }
    for (const char *header : {"x-original-uri", "x-forwarded-uri", "x-original-url", "x-rewrite-url"}) {
        const QByteArray original = input.combinedValue(header).trimmed();
        if (!original.isEmpty())
            variants.append({original, QStringLiteral("as the proxy header %1 gives it").arg(QString::fromLatin1(header))});
    }
    // a proxy added a prefix: drop the first one or two path segments
    qsizetype cut = 0;
    for (int segments = 1; segments <= 2; ++segments) {
        cut = path.indexOf('/', cut + 1);
        if (cut <= 0)
            break;
        const QByteArray stripped = path.mid(cut) + query;
        variants.append({stripped, QStringLiteral("with the path prefix %1 removed").arg(QString::fromLatin1(path.left(cut)))});
    }
    if (path.size() > 1 && path.endsWith('/'))
        variants.append({path.chopped(1) + query, QStringLiteral("without the trailing slash")});
    else
        variants.append({path + '/' + query, QStringLiteral("with a trailing slash")});
    return variants;
}

} // namespace

QString describeSkew(const QString &what, qint64 signedTime, qint64 now)
{
    const qint64 difference = signedTime - now;
    if (difference < 0)
        return QStringLiteral("%1 is %2 s behind the verifier's clock").arg(what).arg(-difference);
    return QStringLiteral("%1 is %2 s ahead of the verifier's clock").arg(what).arg(difference);
}

QList<Diagnosis> diagnoseSignature(const VerifierInput &input, const SignatureReport &report,
                                   const SignatureRetry &retry)
{
    QList<Diagnosis> diagnoses;
    if (!retry)
        return diagnoses;
    const bool rfc9421 = report.scheme == QLatin1String("rfc9421");

    if (coversAny(report, {"host", "@authority", "@target-uri"})) {
        const QByteArray actual = input.combinedValue("host");
        for (const QByteArray &host : hostVariants(input)) {
            VerifierInput variant = input;
            variant.host = host;
            if (const std::optional<QByteArray> text = retry(variant)) {
                diagnoses.append(Diagnosis{QStringLiteral("host-mismatch"),
                                           QStringLiteral("The signature verifies with Host \"%1\" instead of \"%2\" as received: the signer saw the host %3.")
                                               .arg(QString::fromLatin1(host), QString::fromLatin1(actual),
                                                    host.contains(':') && !actual.contains(':') ? QStringLiteral("with a port") : QStringLiteral("differently (port or proxy)")),
                                           QStringLiteral("host: ") + QString::fromLatin1(host), *text});
                break;
            }
        }
    }
    if (coversAny(report, {"(request-target)", "request-line", "@path", "@query", "@request-target", "@target-uri"})) {
        for (const auto &[target, description] : targetVariants(input)) {
            VerifierInput variant = input;
            variant.target = target;
            if (const std::optional<QByteArray> text = retry(variant)) {
                diagnoses.append(Diagnosis{QStringLiteral("request-target-mismatch"),
                                           QStringLiteral("The signature verifies over the request-target \"%1\" (%2) instead of \"%3\" as received.")
                                               .arg(QString::fromLatin1(target), description, QString::fromLatin1(input.target)),
                                           QStringLiteral("request-target: ") + QString::fromLatin1(target), *text});
                break;
            }
        }
    }
    if (rfc9421 && coversAny(report, {"@scheme", "@target-uri"})) {
        VerifierInput variant = input;
        variant.scheme = input.scheme == QLatin1String("https") ? QStringLiteral("http") : QStringLiteral("https");
        if (const std::optional<QByteArray> text = retry(variant)) {
            diagnoses.append(Diagnosis{QStringLiteral("scheme-mismatch"),
                                       QStringLiteral("The signature verifies with the scheme \"%1\": the signer saw the request over %1 (pass --scheme %1).").arg(variant.scheme),
                                       QStringLiteral("scheme: ") + variant.scheme, *text});
        }
    }
    if (!rfc9421) {
        bool differs = false;
        for (const CoveredComponent &component : report.components)
            differs = differs || component.nodeValue.has_value();
        if (differs) {
            VerifierInput variant = input;
            variant.nodeHeaderSemantics = !input.nodeHeaderSemantics;
            if (const std::optional<QByteArray> text = retry(variant)) {
                diagnoses.append(Diagnosis{QStringLiteral("duplicate-header-joined"),
                                           variant.nodeHeaderSemantics
                                               ? QStringLiteral("The signature verifies with repeated headers read as Node's http module does (first value only for host, content-type, ...), not joined with \", \" as the draft says.")
                                               : QStringLiteral("The signature verifies with repeated headers joined with \", \" as the draft says, not as Node's http module exposes them."),
                                           variant.nodeHeaderSemantics ? QStringLiteral("node") : QStringLiteral("draft"), *text});
            }
        }
    }
    return diagnoses;
}

} // namespace Verify
