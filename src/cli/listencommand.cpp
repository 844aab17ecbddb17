#include "cli/listencommand.h"

#include "capture/paths.h"
#include "capture/store.h"
#include "cli/analysisqueue.h"
#include "cli/captureanalyzer.h"
#include "cli/signalwatcher.h"
#include "exchange/capturejson.h"
#include "http/listener.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QThread>

#include <mutex>

#include <cstdio>

namespace Cli {

namespace {

std::expected<qint64, QString> parseSize(const QString &name, const QString &text, qint64 minimum, qint64 maximum)
{
    QString digits = text.trimmed();
    qint64 scale = 1;
    if (!digits.isEmpty()) {
        switch (digits.back().toLower().unicode()) {
        case 'k': scale = 1024; break;
        case 'm': scale = 1024 * 1024; break;
        case 'g': scale = 1024 * 1024 * 1024; break;
        default: break;
        }
        if (scale != 1)
            digits.chop(1);
    }
    bool ok = false;
    const qint64 value = digits.toLongLong(&ok);
    if (!ok || value < 0 || value > maximum / scale || value * scale < minimum) {
        return std::unexpected(QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'")
                                   .arg(name).arg(minimum).arg(maximum).arg(text));
    }
    return value * scale;
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Listens for webhooks, captures every request byte-exact in the store and answers it.\n"
        "Prints 'listening on URL' first; then, with --json, one JSON object per stored capture;\n"
        "without --json, one line per capture: '#ID METHOD TARGET -> STATUS (N body bytes)'."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("bind"), QStringLiteral("Address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all interfaces)."), QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"), QStringLiteral("TCP port (default 8080; 0 picks a free one)."), QStringLiteral("N"), QStringLiteral("8080")},
        {QStringLiteral("store"), QStringLiteral("SQLite capture store (default: %1).").arg(Capture::defaultStorePath()), QStringLiteral("FILE")},
        {QStringLiteral("tls-self-signed"), QStringLiteral("HTTPS with a self-signed certificate for localhost, created once in the data folder.")},
        {QStringLiteral("tls-cert"), QStringLiteral("HTTPS with this PEM certificate (chain)."), QStringLiteral("FILE")},
        {QStringLiteral("tls-key"), QStringLiteral("The PEM private key for --tls-cert."), QStringLiteral("FILE")},
        {QStringLiteral("jwks"), QStringLiteral("Verify captures with keys from a JWKS file or URL, a JWK or a PEM file (repeatable)."), QStringLiteral("SOURCE")},
        {QStringLiteral("secret"), QStringLiteral("An HMAC secret for a key id (repeatable)."), QStringLiteral("KEYID=SECRET")},
        {QStringLiteral("policy"), QStringLiteral("Verification policy: strict (default) or http-signature."), QStringLiteral("NAME"), QStringLiteral("strict")},
        {QStringLiteral("allow-http-keys"), QStringLiteral("Allow --jwks URLs over plain http.")},
        {QStringLiteral("max-body"), QStringLiteral("Largest body accepted, in bytes (k/m/g suffixes; default 16m); larger gets 413."), QStringLiteral("BYTES"), QStringLiteral("16m")},
        {QStringLiteral("max-request-line"), QStringLiteral("Longest request line (default 8k); longer gets 414."), QStringLiteral("BYTES"), QStringLiteral("8k")},
        {QStringLiteral("max-header-bytes"), QStringLiteral("Largest header section (default 64k); larger gets 431."), QStringLiteral("BYTES"), QStringLiteral("64k")},
        {QStringLiteral("max-header-fields"), QStringLiteral("Most header fields (default 200); more gets 431."), QStringLiteral("N"), QStringLiteral("200")},
        {QStringLiteral("header-timeout"), QStringLiteral("Seconds for a request head, and for any silence in a body (default 30); then 408."), QStringLiteral("SECONDS"), QStringLiteral("30")},
        {QStringLiteral("idle-timeout"), QStringLiteral("Seconds an idle keep-alive connection stays open (default 75)."), QStringLiteral("SECONDS"), QStringLiteral("75")},
        {QStringLiteral("max-connections"), QStringLiteral("Most connections at once (default 1000); more get 503."), QStringLiteral("N"), QStringLiteral("1000")},
        {QStringLiteral("respond"), QStringLiteral("Status of the answer to every captured request (default 200)."), QStringLiteral("STATUS"), QStringLiteral("200")},
        {QStringLiteral("endpoint"), QStringLiteral("Name recorded with each capture (default 'default')."), QStringLiteral("NAME"), QStringLiteral("default")},
        {QStringLiteral("sync"), QStringLiteral("Durability: normal (survives the process being killed; default) or full (also fsync each group commit, survives power loss)."), QStringLiteral("MODE"), QStringLiteral("normal")},
        {QStringLiteral("threads"), QStringLiteral("Connection threads (default 1, the store's own: captures are committed and answered without a thread hop; more spread HTTPS handshakes)."), QStringLiteral("N"), QStringLiteral("1")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object per stored capture.")},
    });
}

} // namespace

std::expected<ListenCommandOptions, QString> parseListenArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("hookscope listen")} + arguments))
        return std::unexpected(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return std::unexpected(QStringLiteral("listen takes no file arguments: '%1'").arg(parser.positionalArguments().first()));

    ListenCommandOptions o;
    Http::ListenerOptions &l = o.listener;
    if (!l.bindAddress.setAddress(parser.value(QStringLiteral("bind"))))
        return std::unexpected(QStringLiteral("--bind takes an IP address, not '%1'").arg(parser.value(QStringLiteral("bind"))));

    struct Number { const char *name; qint64 minimum; qint64 maximum; qint64 *target; };
    qint64 port = 0, maxBody = 0, requestLine = 0, headerBytes = 0, headerFields = 0, headerTimeout = 0,
           idleTimeout = 0, maxConnections = 0, respond = 0, threads = 0;
    const Number numbers[] = {
        {"port", 0, 65535, &port},
        {"max-body", 0, qint64(1) << 40, &maxBody},
        {"max-request-line", 16, 1 << 30, &requestLine},
        {"max-header-bytes", 64, 1 << 30, &headerBytes},
        {"max-header-fields", 1, 100000, &headerFields},
        {"header-timeout", 1, 86400, &headerTimeout},
        {"idle-timeout", 1, 86400, &idleTimeout},
        {"max-connections", 1, 100000, &maxConnections},
        {"respond", 200, 599, &respond},
        {"threads", 1, 64, &threads},
    };
    for (const Number &n : numbers) {
        const QString name = QString::fromLatin1(n.name);
        auto value = parseSize(name, parser.value(name), n.minimum, n.maximum);
        if (!value)
            return std::unexpected(value.error());
        *n.target = *value;
    }
    l.port = quint16(port);
    l.limits.maxBody = maxBody;
    l.limits.maxRequestLine = requestLine;
    l.limits.maxHeaderBytes = headerBytes;
    l.limits.maxHeaderFields = int(headerFields);
    l.headerTimeoutMs = int(headerTimeout * 1000);
    l.idleTimeoutMs = int(idleTimeout * 1000);
    l.maxConnections = int(maxConnections);
    l.responseStatus = int(respond);
    l.workerThreads = int(threads);
    l.endpoint = parser.value(QStringLiteral("endpoint"));
    l.dataDirectory = Capture::dataDirectory();

    const bool selfSigned = parser.isSet(QStringLiteral("tls-self-signed"));
    const bool certSet = parser.isSet(QStringLiteral("tls-cert"));
    const bool keySet = parser.isSet(QStringLiteral("tls-key"));
    if (selfSigned && (certSet || keySet))
        return std::unexpected(QStringLiteral("--tls-self-signed cannot be combined with --tls-cert/--tls-key"));
    if (certSet != keySet)
        return std::unexpected(QStringLiteral("--tls-cert and --tls-key go together"));
    if (selfSigned) {
        l.tls = Http::TlsMode::SelfSigned;
    } else if (certSet) {
        l.tls = Http::TlsMode::Files;
        l.tlsCertificateFile = parser.value(QStringLiteral("tls-cert"));
        l.tlsKeyFile = parser.value(QStringLiteral("tls-key"));
    }

    const QString sync = parser.value(QStringLiteral("sync"));
    if (sync != QLatin1String("normal") && sync != QLatin1String("full"))
        return std::unexpected(QStringLiteral("--sync takes normal or full, not '%1'").arg(sync));
    o.fullSync = sync == QLatin1String("full");
    o.storePath = parser.isSet(QStringLiteral("store")) ? parser.value(QStringLiteral("store")) : Capture::defaultStorePath();
    o.keySources = parser.values(QStringLiteral("jwks"));
    o.secrets = parser.values(QStringLiteral("secret"));
    for (const QString &secret : std::as_const(o.secrets)) {
        if (secret.indexOf(QLatin1Char('=')) <= 0)
            return std::unexpected(QStringLiteral("--secret takes KEYID=SECRET, not '%1'").arg(secret));
    }
    o.policy = parser.value(QStringLiteral("policy"));
    o.allowHttpKeys = parser.isSet(QStringLiteral("allow-http-keys"));
    o.json = parser.isSet(QStringLiteral("json"));
    return o;
}

int runListen(const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        QCommandLineParser parser;
        addOptions(parser);
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("hookscope listen [options]"),
                                                         QStringLiteral("hookscope listen [options]"))), stdout);
        return 0;
    }
    auto options = parseListenArguments(arguments);
    if (!options) {
        std::fprintf(stderr, "hookscope listen: %s\n", qPrintable(options.error()));
        return 2;
    }

    auto analyzer = CaptureAnalyzer::create(options->keySources, options->secrets, options->policy, options->allowHttpKeys);
    if (!analyzer) {
        std::fprintf(stderr, "hookscope listen: %s\n", qPrintable(analyzer.error()));
        return 2;
    }

    Capture::Store::Options storeOptions;
    storeOptions.sync = options->fullSync ? Capture::Store::Sync::Full : Capture::Store::Sync::Normal;
    storeOptions.checkpointThread = true;
    auto store = Capture::Store::open(options->storePath, storeOptions);
    if (!store) {
        std::fprintf(stderr, "hookscope listen: %s\n", qPrintable(store.error()));
        return 2;
    }

    // Verification and decoding run on analysis threads after the capture is stored: they never
    // delay an acknowledgement. The analyzer's own thread owns the URL key sources; a key-unknown
    // capture goes there so a refetch can verify it again.
    QThread analysisThread;
    analysisThread.setObjectName(QStringLiteral("analysis"));
    (*analyzer)->moveToThread(&analysisThread);
    analysisThread.start();
    Capture::Store *storePtr = store->get();
    CaptureAnalyzer *analyzerPtr = analyzer->get();
    const bool json = options->json;

    // Without --json a capture's line is printed as soon as it is committed; with --json it
    // carries the verdict, so it is printed once the analysis is done, still in commit order.
    auto output = std::make_shared<std::mutex>();
    auto writeLine = [output](const QByteArray &line) {
        std::lock_guard lock(*output);
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    };
    auto flushLines = [output] {
        std::lock_guard lock(*output);
        std::fflush(stdout);
    };
    auto printLine = [writeLine, flushLines](const QByteArray &line) {
        writeLine(line);
        flushLines();
    };
    // A --json line is about 4 KiB: with stdio's 4 KiB buffer every line was a write of its own.
    // Lines go out at each flush: after every run of analysed captures, or when the buffer fills.
    std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
    AnalysisQueue analysis(options->storePath, qMax(2, QThread::idealThreadCount()), 2048,
                           [analyzerPtr, storePtr, json, writeLine](const Capture::CapturePtr &capture) -> AnalysisQueue::Then {
        if (!capture)
            return {};
        // Verification and decoding in parallel; the lifecycle timeline, the store and the
        // output in commit order.
        auto prepared = std::make_shared<CaptureAnalyzer::Prepared>(analyzerPtr->prepare(*capture));
        if (prepared->annotation.verdict == Capture::Verdict::KeyUnknown && analyzerPtr->refetchesKeys()) {
            // The analyzer's thread refetches the key set and analyses it again.
            QMetaObject::invokeMethod(analyzerPtr, [analyzerPtr, capture] { analyzerPtr->analyze(capture); });
            return {};
        }
        return [analyzerPtr, storePtr, json, writeLine, capture, prepared] {
            const Capture::Annotation annotation = analyzerPtr->finish(*capture, std::move(*prepared));
            storePtr->annotate(annotation);
            if (json)
                writeLine(Exchange::captureJsonText(*capture, annotation.verificationJson, annotation.eventJson).append('\n'));
        };
    }, json ? AnalysisQueue::AfterRun(flushLines) : AnalysisQueue::AfterRun());
    // captureStored comes from the writer thread, once per capture in commit order.
    QObject::connect(storePtr, &Capture::Store::captureStored, storePtr,
                     [&analysis, output, json](const Capture::CapturePtr &capture) {
        if (!json) {
            const QByteArray line = "#" + QByteArray::number(capture->id) + ' ' + capture->method + ' ' + capture->target + " -> "
                                    + QByteArray::number(capture->responseStatus) + " ("
                                    + QByteArray::number(qint64(capture->bodyView().size())) + " body bytes)\n";
            std::lock_guard lock(*output);
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        }
        analysis.push(capture);
    }, Qt::DirectConnection);
    if (!json) {
        // One flush per group commit: scripts read the lines live.
        QObject::connect(storePtr, &Capture::Store::committed, storePtr, [output] {
            std::lock_guard lock(*output);
            std::fflush(stdout);
        }, Qt::DirectConnection);
    }
    // Key-unknown captures analysed again by the analyzer (after a key refetch, or not).
    QObject::connect(analyzerPtr, &CaptureAnalyzer::analyzed, storePtr,
                     [storePtr, json, printLine](const Capture::CapturePtr &capture, const Capture::Annotation &annotation,
                                                 const QJsonObject &, const QJsonObject &) {
        storePtr->annotate(annotation);
        if (json)
            printLine(Exchange::captureJsonText(*capture, annotation.verificationJson, annotation.eventJson).append('\n'));
    }, Qt::DirectConnection);

    // Everything that takes captures (and SIGTERM) is in place before the first can come.
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [] { QCoreApplication::quit(); });
    Http::Listener listener(store->get());
    if (auto started = listener.start(options->listener); !started) {
        std::fprintf(stderr, "hookscope listen: %s\n", qPrintable(started.error()));
        analysisThread.quit();
        analysisThread.wait();
        return 2;
    }
    std::fprintf(stdout, "listening on %s\n", qPrintable(listener.url().toString()));
    std::fflush(stdout);

    QCoreApplication::exec();

    listener.stop();
    (*store)->flush();
    // Let the analysis of what was stored finish, then store its results.
    analysis.waitForDone();
    QMetaObject::invokeMethod(analyzerPtr, [] {}, Qt::BlockingQueuedConnection);
    analysisThread.quit();
    analysisThread.wait();
    (*store)->close();
    return 0;
}

} // namespace Cli
