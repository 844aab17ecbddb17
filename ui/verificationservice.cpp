#include "verificationservice.h"

#include "capture/storereader.h"
#include "cli/captureanalyzer.h"
#include "verify/keysource.h"
#include "verify/policy.h"

#include <QThread>

VerificationService::VerificationService(Capture::Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_thread(new QThread)
    , m_context(new QObject)
{
    m_thread->setObjectName(QStringLiteral("hookscope-verify"));
    m_context->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

VerificationService::~VerificationService()
{
    // Analyzers belong to the worker thread: drop them there, then stop it.
    QMetaObject::invokeMethod(m_context, [this] { m_analyzers.clear(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void VerificationService::setEndpoints(const QList<EndpointConfig> &endpoints, const QString &defaultPolicy)
{
    QMetaObject::invokeMethod(m_context, [this, endpoints, defaultPolicy] {
        m_configs = endpoints;
        m_defaultPolicy = defaultPolicy;
        rebuild();
    });
}

void VerificationService::setSharedKeys(const Verify::KeySet &keys)
{
    QMetaObject::invokeMethod(m_context, [this, keys] {
        m_sharedKeys = keys;
        rebuild();
    });
}

void VerificationService::rebuild()
{
    m_analyzers.clear();
    QList<EndpointConfig> configs = m_configs;
    if (configs.isEmpty())
        configs.append(EndpointConfig());
    for (const EndpointConfig &config : std::as_const(configs)) {
        Verify::KeySet keys = m_sharedKeys;
        for (const QString &source : config.keySources) {
            Verify::KeySourceOptions options;
            options.allowHttp = true; // the user typed this URL into the endpoint's settings
            const auto loaded = Verify::loadKeySource(source, options);
            if (loaded)
                keys.merge(*loaded);
            else
                Q_EMIT problem(tr("Endpoint %1: keys from %2: %3").arg(config.name, source, loaded.error()));
        }
        for (const QString &secret : config.secrets) {
            const auto key = Verify::keyFromInlineSecret(secret);
            if (key)
                keys.add(*key);
            else
                Q_EMIT problem(tr("Endpoint %1: secret: %2").arg(config.name, key.error()));
        }
        auto policy = Verify::Policy::fromName(config.policy.isEmpty() ? m_defaultPolicy : config.policy);
        if (!policy) {
            Q_EMIT problem(tr("Endpoint %1: %2").arg(config.name, policy.error()));
            policy = Verify::Policy::strict();
        }
        auto analyzer = std::make_shared<Cli::CaptureAnalyzer>(keys, *policy);
        Capture::Store *store = m_store;
        connect(analyzer.get(), &Cli::CaptureAnalyzer::analyzed, m_context,
                [store](const Capture::CapturePtr &, const Capture::Annotation &annotation) { store->annotate(annotation); },
                Qt::DirectConnection);
        m_analyzers.insert(config.name, analyzer);
    }
}

Cli::CaptureAnalyzer *VerificationService::analyzerFor(const QString &endpoint) const
{
    if (const auto it = m_analyzers.constFind(endpoint); it != m_analyzers.cend())
        return it->get();
    // imported captures or a renamed endpoint: the first endpoint's keys are the best guess
    return m_analyzers.isEmpty() ? nullptr : m_analyzers.cbegin()->get();
}

void VerificationService::analyze(const Capture::CapturePtr &capture)
{
    QMetaObject::invokeMethod(m_context, [this, capture] {
        if (Cli::CaptureAnalyzer *analyzer = analyzerFor(capture->endpoint))
            analyzer->analyze(capture);
    });
}

void VerificationService::reverify(const QList<qint64> &ids)
{
    const QString path = m_store->path();
    QMetaObject::invokeMethod(m_context, [this, ids, path] {
        auto list = std::make_shared<QList<qint64>>(ids);
        if (list->isEmpty()) {
            m_store->flush();
            if (auto reader = Capture::StoreReader::open(path))
                *list = reader->ids();
        }
        reverifyChunk(list, 0);
    });
}

void VerificationService::reverifyChunk(std::shared_ptr<QList<qint64>> ids, int from)
{
    // Small chunks keep live captures flowing between them.
    constexpr int ChunkSize = 200;
    auto reader = Capture::StoreReader::open(m_store->path());
    if (!reader) {
        Q_EMIT problem(reader.error());
        return;
    }
    const int to = int(qMin(ids->size(), qsizetype(from + ChunkSize)));
    for (int i = from; i < to; ++i) {
        auto stored = reader->load(ids->at(i));
        if (!stored)
            continue;
        auto capture = std::make_shared<Http::CapturedRequest>(std::move(stored->request));
        if (Cli::CaptureAnalyzer *analyzer = analyzerFor(capture->endpoint))
            analyzer->analyze(capture);
    }
    Q_EMIT reverifyProgress(to, int(ids->size()));
    if (to < ids->size())
        QMetaObject::invokeMethod(m_context, [this, ids, to] { reverifyChunk(ids, to); }, Qt::QueuedConnection);
}
