#include "cli/importcommand.h"

#include "capture/paths.h"
#include "capture/store.h"
#include "cli/captureanalyzer.h"
#include "cli/keyarguments.h"
#include "cli/verifycommand.h"
#include "exchange/harreader.h"

#include <QCommandLineParser>
#include <QFile>

#include <cstdio>

namespace Cli {

namespace {

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Imports requests into a capture store. INPUT is a HAR 1.2 file (JSON with a \"log\" member: every entry's\n"
        "request is rebuilt as HTTP/1.1) or a raw HTTP/1.1 request file as `export --format raw` writes it (a head\n"
        "with bare LF line endings is accepted). Each request becomes a capture marked imported, verified like a live\n"
        "one with the keys given here (the verdict is stored with it) and decoded.\n"
        "Prints one line per stored capture: 'imported ID from INPUT'.\n"
        "The verification clock is the request's arrival time: startedDateTime for HAR entries, --now (default: the\n"
        "time of import) for raw files.\n"
        "Exit status: 0 everything was imported (whatever the verdicts); 2 a usage error, or an INPUT or HAR entry\n"
        "that could not be read (one line each on stderr naming the file, entry and problem; the rest is still imported)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("HAR files or raw request files."), QStringLiteral("INPUT..."));
    parser.addOptions({
        {QStringLiteral("store"), QStringLiteral("SQLite capture store (default: %1).").arg(Capture::defaultStorePath()), QStringLiteral("FILE")},
        {QStringLiteral("jwks"), QStringLiteral("Verify with keys from a JWKS file or http(s) URL, a JWK or a PEM file (repeatable)."), QStringLiteral("SOURCE")},
        {QStringLiteral("secret"), QStringLiteral("An HMAC secret for a key id; 'base64:' before SECRET for binary secrets (repeatable)."), QStringLiteral("KEYID=SECRET")},
        {QStringLiteral("policy"), QStringLiteral("Verification policy: strict (default) or http-signature."), QStringLiteral("NAME"), QStringLiteral("strict")},
        {QStringLiteral("now"), QStringLiteral("Arrival time recorded for raw files and HAR entries without startedDateTime, the clock of their verification: RFC 3339 or Unix seconds (default: now)."), QStringLiteral("TIME")},
        {QStringLiteral("endpoint"), QStringLiteral("Endpoint name recorded with each capture (default: the HAR's own, else 'import')."), QStringLiteral("NAME")},
    });
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "hookscope import: %s\n", qPrintable(message));
    return 2;
}

/// One request to store, and where it came from.
struct Pending
{
    std::shared_ptr<Http::CapturedRequest> capture;
    QString input;
};

} // namespace

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("hookscope import")} + arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        help.replace(0, help.indexOf(QLatin1Char('\n')), QStringLiteral("Usage: hookscope import [options] INPUT..."));
        std::fputs(qPrintable(help), stdout);
        return 0;
    }
    const QStringList inputs = parser.positionalArguments();
    if (inputs.isEmpty())
        return usageError(QStringLiteral("import needs at least one INPUT (a HAR or raw request file)"));
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (parser.isSet(QStringLiteral("now"))) {
        auto parsed = parseTimeArgument(parser.value(QStringLiteral("now")));
        if (!parsed)
            return usageError(parsed.error());
        now = *parsed;
    }
    auto policy = Verify::Policy::fromName(parser.value(QStringLiteral("policy")));
    if (!policy)
        return usageError(policy.error());
    auto keys = loadKeyArguments(parser.values(QStringLiteral("jwks")), parser.values(QStringLiteral("secret")), true,
                                 [](const QString &warning) { std::fprintf(stderr, "hookscope import: %s\n", qPrintable(warning)); });
    if (!keys)
        return usageError(keys.error());
    const QString endpoint = parser.value(QStringLiteral("endpoint"));

    bool failed = false;
    const auto report = [&failed](const QString &message) {
        std::fprintf(stderr, "hookscope import: %s\n", qPrintable(message));
        failed = true;
    };
    QList<Pending> pending;
    const auto addRequest = [&](const QString &input, const QString &where, const QByteArray &raw, const QDateTime &arrivedAt,
                                const QString &defaultEndpoint) {
        auto file = parseRawRequestFile(raw);
        if (!file) {
            report(where + QStringLiteral(": ") + file.error());
            return;
        }
        auto capture = std::make_shared<Http::CapturedRequest>(std::move(file->request));
        capture->imported = true;
        capture->firstByteAt = arrivedAt.isValid() ? arrivedAt.toUTC() : now;
        capture->lastByteAt = capture->firstByteAt;
        capture->endpoint = !endpoint.isEmpty() ? endpoint : !defaultEndpoint.isEmpty() ? defaultEndpoint : QStringLiteral("import");
        pending.append({capture, input});
    };

    for (const QString &input : inputs) {
        QFile file(input);
        if (!file.open(QIODevice::ReadOnly)) {
            report(QStringLiteral("cannot read %1: %2").arg(input, file.errorString()));
            continue;
        }
        const QByteArray bytes = file.readAll();
        if (!Exchange::HarReader::looksLikeJson(bytes)) {
            addRequest(input, input, bytes, QDateTime(), QString());
            continue;
        }
        auto har = Exchange::HarReader::read(bytes);
        if (!har) {
            report(QStringLiteral("%1: %2").arg(input, har.error()));
            continue;
        }
        for (const Exchange::HarEntryError &error : std::as_const(har->errors))
            report(QStringLiteral("%1: %2").arg(input, error.message));
        for (const Exchange::HarRequest &request : std::as_const(har->requests)) {
            const qsizetype before = pending.size();
            addRequest(input, QStringLiteral("%1: entry %2").arg(input).arg(request.index), request.raw, request.startedAt,
                       request.endpoint);
            if (pending.size() > before) {
                Http::CapturedRequest &capture = *pending.last().capture;
                capture.remoteAddress = request.remoteAddress;
                if (request.tls)
                    capture.tlsProtocol = QStringLiteral("unknown"); // arrived over TLS; the HAR does not say which
            }
        }
    }
    if (pending.isEmpty())
        return failed ? 2 : 0;

    auto store = Capture::Store::open(parser.isSet(QStringLiteral("store")) ? parser.value(QStringLiteral("store"))
                                                                          : Capture::defaultStorePath());
    if (!store)
        return usageError(store.error());
    QStringList storeErrors;
    std::mutex errorsMutex;
    for (const Pending &item : std::as_const(pending)) {
        (*store)->append(item.capture, [&storeErrors, &errorsMutex](qint64 id, const QString &error) {
            if (id == 0) {
                std::lock_guard lock(errorsMutex);
                storeErrors.append(error);
            }
        });
    }
    (*store)->flush();
    if (!storeErrors.isEmpty()) {
        (*store)->close();
        return usageError(QStringLiteral("cannot store the imported requests: %1").arg(storeErrors.first()));
    }

    // Verified and decoded like live captures, with the clock of their arrival.
    CaptureAnalyzer analyzer(*keys, *policy);
    for (const Pending &item : std::as_const(pending)) {
        QJsonObject verification;
        QJsonObject event;
        (*store)->annotate(analyzer.annotate(*item.capture, &verification, &event));
    }
    (*store)->flush();
    (*store)->close();
    for (const Pending &item : std::as_const(pending))
        std::fprintf(stdout, "imported %lld from %s\n", item.capture->id, qPrintable(item.input));
    std::fflush(stdout);
    return failed ? 2 : 0;
}

} // namespace Cli
