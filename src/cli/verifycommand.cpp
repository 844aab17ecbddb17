#include "cli/verifycommand.h"

#include "cli/keyarguments.h"

#include "http/requestparser.h"
#include "verify/keysource.h"
#include "verify/verifier.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cstdio>

namespace Cli {

namespace {

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Verifies the signatures and body digests of raw HTTP requests (draft-cavage HTTP Signatures\n"
        "and RFC 9421 HTTP Message Signatures; Digest and Content-Digest) and explains the verdict.\n"
        "FILE is one raw HTTP/1.1 request as on the wire ('-' reads standard input); a head with bare\n"
        "LF line endings is accepted. Exit status: 0 every FILE verified, 1 any did not, 2 usage error\n"
        "or unreadable input.\n\n"
        "Policies: strict (default): verified only when a signature verifies with a key found for\n"
        "its keyId, the clock checks pass and a non-empty body carries a digest that matches the raw\n"
        "bytes and is covered by the signature; rsa-sha1 fails. http-signature: what the provider's\n"
        "documented Node.js receiver (joyent http-signature) accepts: Authorization before Signature,\n"
        "`date` must be signed, 300 s skew, Digest compared with SHA-256 of JSON.stringify(req.body).\n"
        "A JSON file with policy members may be given instead of a name."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Raw request files ('-' for standard input)."), QStringLiteral("FILE..."));
    parser.addOptions({
        {QStringLiteral("jwks"), QStringLiteral("Keys: a JWKS file, an http(s) URL serving a JWKS, or a file with one JWK or PEM public key (repeatable)."), QStringLiteral("SOURCE")},
        {QStringLiteral("secret"), QStringLiteral("An HMAC secret for a key id; 'base64:' before SECRET for binary secrets (repeatable)."), QStringLiteral("KEYID=SECRET")},
        {QStringLiteral("now"), QStringLiteral("The clock for Date, created and expires: RFC 3339 or Unix seconds (default: now)."), QStringLiteral("TIME")},
        {QStringLiteral("max-skew"), QStringLiteral("Allowed clock skew in seconds (default 300)."), QStringLiteral("SECONDS")},
        {QStringLiteral("policy"), QStringLiteral("strict (default), http-signature, or a policy JSON file."), QStringLiteral("NAME"), QStringLiteral("strict")},
        {QStringLiteral("scheme"), QStringLiteral("How the requests arrived, for RFC 9421 @scheme and @target-uri: http (default) or https."), QStringLiteral("SCHEME")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON verdict object per FILE per line.")},
    });
}

void printError(const QString &message)
{
    std::fprintf(stderr, "hookscope verify: %s\n", qPrintable(message));
}

} // namespace

std::expected<QDateTime, QString> parseTimeArgument(const QString &text)
{
    static const QRegularExpression digits(QStringLiteral("^\\d{1,12}$"));
    if (digits.match(text).hasMatch())
        return QDateTime::fromSecsSinceEpoch(text.toLongLong(), Qt::UTC);
    // RFC 3339 §5.6: a date-time with 'T' (or a space) and a Z or numeric offset
    QString normalized = text.trimmed();
    if (normalized.size() > 10 && (normalized[10] == QLatin1Char(' ') || normalized[10] == QLatin1Char('t')))
        normalized[10] = QLatin1Char('T');
    if (normalized.endsWith(QLatin1Char('z')))
        normalized.back() = QLatin1Char('Z');
    static const QRegularExpression rfc3339(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$"));
    const QDateTime time = QDateTime::fromString(normalized, Qt::ISODateWithMs);
    if (!rfc3339.match(normalized).hasMatch() || !time.isValid())
        return std::unexpected(QStringLiteral("--now takes RFC 3339 (2024-01-31T12:00:00Z) or Unix seconds, not '%1'").arg(text));
    return time.toUTC();
}

std::expected<VerifyCommandOptions, QString> parseVerifyArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("hookscope verify")} + arguments))
        return std::unexpected(parser.errorText());
    VerifyCommandOptions options;
    options.files = parser.positionalArguments();
    if (options.files.isEmpty())
        return std::unexpected(QStringLiteral("verify needs at least one FILE (or '-' for standard input)"));
    options.keySources = parser.values(QStringLiteral("jwks"));
    options.secrets = parser.values(QStringLiteral("secret"));
    for (const QString &secret : std::as_const(options.secrets)) {
        const qsizetype equals = secret.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return std::unexpected(QStringLiteral("--secret takes KEYID=SECRET, not '%1'").arg(secret));
    }
    options.json = parser.isSet(QStringLiteral("json"));

    const QString policyName = parser.value(QStringLiteral("policy"));
    if (auto builtin = Verify::Policy::fromName(policyName)) {
        options.policy = *builtin;
    } else if (QFileInfo(policyName).isFile()) {
        QFile file(policyName);
        if (!file.open(QIODevice::ReadOnly))
            return std::unexpected(QStringLiteral("cannot read the policy file %1: %2").arg(policyName, file.errorString()));
        auto loaded = Verify::Policy::fromJson(file.readAll());
        if (!loaded)
            return std::unexpected(QStringLiteral("policy file %1: %2").arg(policyName, loaded.error()));
        options.policy = *loaded;
    } else {
        return std::unexpected(builtin.error());
    }

    if (parser.isSet(QStringLiteral("max-skew"))) {
        bool ok = false;
        const int skew = parser.value(QStringLiteral("max-skew")).toInt(&ok);
        if (!ok || skew < 0)
            return std::unexpected(QStringLiteral("--max-skew takes a number of seconds, not '%1'").arg(parser.value(QStringLiteral("max-skew"))));
        options.policy.maxSkewSeconds = skew;
    }
    if (parser.isSet(QStringLiteral("now"))) {
        auto now = parseTimeArgument(parser.value(QStringLiteral("now")));
        if (!now)
            return std::unexpected(now.error());
        options.now = *now;
    } else {
        options.now = QDateTime::currentDateTimeUtc();
    }
    if (parser.isSet(QStringLiteral("scheme"))) {
        options.scheme = parser.value(QStringLiteral("scheme")).toLower();
        if (options.scheme != QLatin1String("http") && options.scheme != QLatin1String("https"))
            return std::unexpected(QStringLiteral("--scheme takes http or https, not '%1'").arg(parser.value(QStringLiteral("scheme"))));
    }
    return options;
}

qsizetype RawRequestFile::fileOffset(qsizetype rawOffset) const
{
    qsizetype before = 0;
    for (const qsizetype inserted : insertedCr) {
        if (inserted < rawOffset)
            ++before;
    }
    return rawOffset - before;
}

std::expected<RawRequestFile, QString> parseRawRequestFile(const QByteArray &bytes)
{
    RawRequestFile file;
    // Normalize the head only: every LF up to and including the empty line that ends it.
    QByteArray normalized;
    normalized.reserve(bytes.size() + 64);
    qsizetype position = 0;
    bool sawRequestLine = false;
    while (position < bytes.size()) {
        const qsizetype newline = bytes.indexOf('\n', position);
        if (newline < 0) {
            normalized.append(bytes.mid(position));
            position = bytes.size();
            break;
        }
        QByteArray line = bytes.mid(position, newline - position);
        const bool hadCr = line.endsWith('\r');
        normalized.append(line);
        if (!hadCr) {
            file.insertedCr.append(normalized.size());
            normalized.append('\r');
        }
        normalized.append('\n');
        position = newline + 1;
        const bool empty = hadCr ? line.size() == 1 : line.isEmpty();
        if (empty && sawRequestLine)
            break;
        sawRequestLine = sawRequestLine || !empty;
    }
    normalized.append(bytes.mid(position));

    Http::RequestParser parser;
    const qsizetype consumed = parser.feed(normalized);
    switch (parser.state()) {
    case Http::RequestParser::State::Complete:
        break;
    case Http::RequestParser::State::Error:
        return std::unexpected(QStringLiteral("not a valid HTTP/1.1 request: %1 (%2)").arg(parser.rejection().reason, parser.rejection().code));
    case Http::RequestParser::State::Body:
        return std::unexpected(QStringLiteral("the body ends before the length the request announces"));
    default:
        return std::unexpected(QStringLiteral("the request head is incomplete (no empty line after the header fields)"));
    }
    const QByteArray rest = normalized.mid(consumed);
    if (!rest.trimmed().isEmpty())
        return std::unexpected(QStringLiteral("%1 bytes follow the end of the request (a body without Content-Length?)").arg(rest.size()));
    file.request = parser.takeRequest();
    file.request.imported = true;
    return file;
}

int runVerify(const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        QCommandLineParser parser;
        addOptions(parser);
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("hookscope verify [options]"), QStringLiteral("hookscope verify [options] FILE..."))), stdout);
        return 0;
    }
    auto options = parseVerifyArguments(arguments);
    if (!options) {
        printError(options.error());
        return 2;
    }

    // The contract names http:// JWKS URLs for verify, so plain http is allowed here.
    auto keys = loadKeyArguments(options->keySources, options->secrets, true, [](const QString &warning) {
        std::fprintf(stderr, "hookscope verify: %s\n", qPrintable(warning));
    });
    if (!keys) {
        printError(keys.error());
        return 2;
    }

    const Verify::Verifier verifier(*keys, options->policy, Verify::VerifyOptions{options->scheme});
    bool unreadable = false;
    bool allVerified = true;
    for (const QString &name : std::as_const(options->files)) {
        QByteArray bytes;
        if (name == QLatin1String("-")) {
            QFile input;
            if (!input.open(stdin, QIODevice::ReadOnly)) {
                printError(QStringLiteral("cannot read standard input"));
                unreadable = true;
                continue;
            }
            bytes = input.readAll();
        } else {
            QFile input(name);
            if (!input.open(QIODevice::ReadOnly)) {
                printError(QStringLiteral("cannot read %1: %2").arg(name, input.errorString()));
                unreadable = true;
                continue;
            }
            bytes = input.readAll();
        }
        const auto file = parseRawRequestFile(bytes);
        if (!file) {
            printError(QStringLiteral("%1: %2").arg(name, file.error()));
            unreadable = true;
            continue;
        }
        Verify::Verdict verdict = verifier.verify(file->request, options->now);
        verdict.file = name;
        // report raw line offsets in the file's own bytes (bare-LF heads got CRs added)
        const auto remap = [&](Verify::SignatureReport &report) {
            for (Verify::CoveredComponent &component : report.components) {
                for (Verify::SourceLine &line : component.lines)
                    line.offset = file->fileOffset(line.offset);
            }
        };
        remap(verdict.signature);
        for (Verify::SignatureReport &report : verdict.signatures)
            remap(report);
        allVerified = allVerified && verdict.verdict == Verify::VerdictStatus::Verified;
        if (options->json) {
            std::fputs(QJsonDocument(Verify::verdictToJson(verdict)).toJson(QJsonDocument::Compact).constData(), stdout);
            std::fputc('\n', stdout);
        } else {
            std::fputs(verdictToText(verdict).toUtf8().constData(), stdout);
        }
        std::fflush(stdout);
    }
    if (unreadable)
        return 2;
    return allVerified ? 0 : 1;
}

} // namespace Cli
