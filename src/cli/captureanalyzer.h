#pragma once

#include "capture/store.h"
#include "events/decodedevent.h"
#include "events/timeline.h"
#include "verify/key.h"
#include "verify/policy.h"

#include <QJsonObject>
#include <QObject>

#include <expected>
#include <memory>

namespace Cli {

/// Verifies and decodes stored captures off the accept path (it lives on its own thread), for
/// `listen` and the window. A capture is verified with the clock of its arrival, so verifying
/// it again later gives the same clock verdict.
class CaptureAnalyzer final : public QObject
{
    Q_OBJECT
public:
    /// Keys from --jwks sources (URL sources are refetched, at most once a minute, when a kid
    /// is unknown) and --secret values; the policy by name.
    static std::expected<std::unique_ptr<CaptureAnalyzer>, QString>
    create(const QStringList &keySources, const QStringList &secrets, const QString &policy, bool allowHttpKeys);
    /// Keys and policy given directly (the window's keys manager).
    CaptureAnalyzer(const Verify::KeySet &keys, const Verify::Policy &policy);
    ~CaptureAnalyzer() override;

    /// Thread-safe: later analyses use these keys and this policy.
    void setKeys(const Verify::KeySet &keys, const Verify::Policy &policy);

    /// Verifies and decodes one capture and emits analyzed(). Call it on the analyzer's thread
    /// (a queued connection from Store::captureStored does that).
    void analyze(const Capture::CapturePtr &capture);

    /// True when a key-unknown capture should go through analyze(), which refetches URL key sources.
    bool refetchesKeys() const { return m_refetchesKeys; }

    /// The same work as analyze(), without signals, for any thread. The annotation carries the
    /// verdict and event as JSON text; verification and event, when not null, receive them as
    /// objects too (parsing them back costs about as much as the verification's bookkeeping,
    /// so callers that only store or print the text pass null).
    Capture::Annotation annotate(const Http::CapturedRequest &capture, QJsonObject *verification = nullptr,
                                 QJsonObject *event = nullptr) const;

    /// annotate() in two steps, for callers that analyse on several threads: prepare() verifies
    /// and decodes, on any thread; finish() adds what the lifecycle timeline reveals and writes
    /// the event JSON. The timeline expects captures in arrival order: call finish() in commit
    /// order.
    struct Prepared
    {
        Capture::Annotation annotation;
        Events::DecodedEvent decoded;
    };
    Prepared prepare(const Http::CapturedRequest &capture) const;
    Capture::Annotation finish(const Http::CapturedRequest &capture, Prepared prepared, QJsonObject *event = nullptr) const;

Q_SIGNALS:
    void analyzed(const Capture::CapturePtr &capture, const Capture::Annotation &annotation,
                  const QJsonObject &verification, const QJsonObject &event);

private:
    struct Private;
    explicit CaptureAnalyzer(std::unique_ptr<Private> d);
    void refetchForUnknownKid(const Capture::CapturePtr &capture, const QString &kid);
    std::unique_ptr<Private> d;
    bool m_refetchesKeys = false; // set before the analyzer is shared, read-only after
};

/// The event JSON stored with a capture and printed by listen --json: the compact decoding
/// ({"type", "entityId", "summary"}) and, when the lifecycle timeline found any, "anomalies"
/// ([{"code", "message", "captureIds"}]); written as QJsonDocument writes it, compact.
QByteArray eventJson(const Events::EventSummary &event, const QList<Events::Timeline::Anomaly> &anomalies);

} // namespace Cli
