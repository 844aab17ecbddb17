#pragma once

#include "capture/store.h"
#include "endpointconfig.h"
#include "verify/key.h"

#include <QHash>
#include <QObject>

#include <memory>

class QThread;
namespace Cli { class CaptureAnalyzer; }

/// Verifies and decodes captures on one worker thread with Cli::CaptureAnalyzer, one analyzer
/// per endpoint (its own key sources, secrets and policy, plus the keys manager's shared keys),
/// and writes each annotation to the store; the store's annotated() signal updates the list.
class VerificationService final : public QObject
{
    Q_OBJECT
public:
    explicit VerificationService(Capture::Store *store, QObject *parent = nullptr);
    ~VerificationService() override;

    /// Rebuilds the analyzers (key files and URLs load on the worker thread).
    void setEndpoints(const QList<EndpointConfig> &endpoints, const QString &defaultPolicy);
    /// Keys from the keys manager, used by every endpoint in addition to its own.
    void setSharedKeys(const Verify::KeySet &keys);
    /// Thread-safe: queues one capture.
    void analyze(const Capture::CapturePtr &capture);
    /// Loads the captures from the store and verifies them again; an empty list means all.
    void reverify(const QList<qint64> &ids);

Q_SIGNALS:
    /// A key source or policy could not be loaded (one sentence, for the status bar).
    void problem(const QString &message);
    void reverifyProgress(int done, int total);

private:
    struct Endpoint;
    void rebuild(); // worker thread
    Cli::CaptureAnalyzer *analyzerFor(const QString &endpoint) const; // worker thread
    void reverifyChunk(std::shared_ptr<QList<qint64>> ids, int from); // worker thread

    Capture::Store *m_store;
    QThread *m_thread = nullptr;
    QObject *m_context = nullptr; // lives on m_thread: everything below is touched only there
    QList<EndpointConfig> m_configs;
    QString m_defaultPolicy;
    Verify::KeySet m_sharedKeys;
    QHash<QString, std::shared_ptr<Cli::CaptureAnalyzer>> m_analyzers;
};
