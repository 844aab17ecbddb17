#pragma once

#include "verify/key.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <chrono>
#include <expected>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace Verify {

/// How key sources may be fetched.
struct KeySourceOptions
{
    bool allowHttp = false;                      // plain http:// URLs only when explicitly allowed
    std::chrono::milliseconds timeout{10000};    // whole request, per fetch
    qint64 maxBytes = 1024 * 1024;               // response limit, enforced while downloading
    std::chrono::seconds refetchInterval{60};    // minimum gap between unknown-kid refetches
    QNetworkAccessManager *network = nullptr;    // optional shared manager (else one is owned)
    std::function<QDateTime()> clock;            // current time (tests); default: UTC now
};

/// A key set loaded from a document, with its snapshot and the keys that were rejected.
struct KeySourceResult
{
    KeySet keys;
    KeySetSnapshotInfo snapshot;
    QStringList errors; // per-key problems (the good keys are still in `keys`)
};

// A document's keys, detecting its form: a JWKS ({"keys":[...]}), one JWK, or PEM public key(s)
// or certificate(s). Used for files, URLs and to rebuild a KeySet from a snapshot.
std::expected<KeySourceResult, QString> keySetFromDocument(const QByteArray &document, const QString &source);
std::expected<KeySet, QString> keySetFromSnapshot(const KeySetSnapshotInfo &snapshot);

// `KEYID=SECRET`: the secret is the bytes as given, or base64 after a `base64:` prefix.
std::expected<KeyPtr, QString> keyFromInlineSecret(const QString &specification);

/// A key set from a file or an http(s) URL, cached (ETag / If-None-Match, Cache-Control max-age)
/// and refetched on demand; results arrive as signals on the owning thread.
class KeySource final : public QObject
{
    Q_OBJECT
public:
    explicit KeySource(const QString &source, const KeySourceOptions &options = {}, QObject *parent = nullptr);
    ~KeySource() override;

    QString source() const { return m_source; }
    bool isUrl() const;
    bool hasKeys() const { return m_loaded; }
    KeySet keySet() const { return m_result.keys; }
    KeySetSnapshotInfo snapshot() const { return m_result.snapshot; }
    QStringList keyErrors() const { return m_result.errors; }
    bool isFetching() const;
    // True while Cache-Control max-age says the fetched copy is still fresh.
    bool isFresh() const;

public slots:
    // Loads the file, or fetches the URL (conditional with If-None-Match when an ETag is known).
    // While fresh (max-age) and already loaded, emits loaded() again without a request.
    void load();
    // Forces a fetch even when fresh (still conditional).
    void reload();
    // A kid was not found: refetch, at most once per refetchInterval. Returns false when the
    // request is refused by the rate limit (or the source is a file, which is reread instead).
    bool refetchForUnknownKid(const QString &kid);

signals:
    void loaded(const Verify::KeySet &keys, bool notModified);
    void failed(const QString &message);

private:
    void fetchUrl(bool force);
    void finishReply();
    void loadFile();
    QDateTime now() const;

    QString m_source;
    KeySourceOptions m_options;
    std::unique_ptr<QNetworkAccessManager> m_ownedNetwork;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_buffer;
    bool m_tooLarge = false;
    bool m_loaded = false;
    KeySourceResult m_result;
    QDateTime m_freshUntil;
    QDateTime m_lastUnknownKidFetch;
};

// Blocking convenience for the command line: loads a file or URL with a local QEventLoop.
std::expected<KeySourceResult, QString> loadKeySourceWithSnapshot(const QString &source,
                                                                  const KeySourceOptions &options = {});
std::expected<KeySet, QString> loadKeySource(const QString &source, const KeySourceOptions &options = {});

} // namespace Verify
