#include "verify/keysource.h"

#include "verify/base64.h"
#include "verify/crypto.h"
#include "verify/jwk.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

namespace Verify {

namespace {

const QByteArray PemBegin = QByteArrayLiteral("-----BEGIN ");

// Every "-----BEGIN X-----" ... "-----END X-----" block of a PEM document.
QList<QByteArray> pemBlocks(const QByteArray &document)
{
    QList<QByteArray> blocks;
    qsizetype from = 0;
    while ((from = document.indexOf(PemBegin, from)) >= 0) {
        const qsizetype labelEnd = document.indexOf("-----", from + PemBegin.size());
        if (labelEnd < 0)
            break;
        const QByteArray end = "-----END " + document.sliced(from + PemBegin.size(), labelEnd - from - PemBegin.size()) + "-----";
        const qsizetype endAt = document.indexOf(end, labelEnd);
        if (endAt < 0)
            break;
        blocks.append(document.sliced(from, endAt + end.size() - from) + '\n');
        from = endAt + end.size();
    }
    return blocks;
}

bool isHttpUrl(const QString &source)
{
    return source.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
           || source.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

// RFC 9111 §5.2.2.1 max-age; no-store / no-cache mean "revalidate every time".
std::optional<qint64> maxAge(const QByteArray &cacheControl)
{
    std::optional<qint64> result;
    for (const QByteArray &directive : cacheControl.split(',')) {
        const QByteArray trimmed = directive.trimmed().toLower();
        if (trimmed == "no-store" || trimmed == "no-cache")
            return 0;
        if (trimmed.startsWith("max-age=")) {
            bool ok = false;
            const qint64 seconds = trimmed.sliced(8).replace('"', QByteArray()).toLongLong(&ok);
            if (ok && seconds >= 0)
                result = seconds;
        }
    }
    return result;
}

} // namespace

std::expected<KeySourceResult, QString> keySetFromDocument(const QByteArray &document, const QString &source)
{
    KeySourceResult result;
    result.snapshot.source = source;
    result.snapshot.document = document;
    const QByteArray trimmed = document.trimmed();
    if (trimmed.startsWith('{')) {
        if (trimmed.contains("\"keys\"")) {
            auto jwks = keySetFromJwks(trimmed, source);
            if (jwks) {
                result.keys = jwks->keys;
                result.errors = jwks->errors;
            } else if (auto single = keyFromJwkJson(trimmed, source)) {
                result.keys.add(*single); // an object that merely has a member named "keys"
            } else {
                return std::unexpected(jwks.error());
            }
        } else {
            auto single = keyFromJwkJson(trimmed, source);
            if (!single)
                return std::unexpected(single.error());
            result.keys.add(*single);
        }
    } else if (trimmed.contains(PemBegin)) {
        const QList<QByteArray> blocks = pemBlocks(trimmed);
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            auto key = keyFromPublicPem(blocks[i], {}, source);
            if (!key) {
                result.errors.append(QStringLiteral("PEM block %1: %2").arg(i).arg(key.error()));
                continue;
            }
            // PEM carries no key id: the key answers to any keyId (see KeySet::find).
            auto copy = std::make_shared<Key>(**key);
            copy->matchesAnyKid = true;
            result.keys.add(copy);
        }
    } else {
        return std::unexpected(QStringLiteral("%1 is neither a JWKS, a JWK nor PEM text.").arg(source.isEmpty() ? QStringLiteral("The key document") : source));
    }
    if (result.keys.isEmpty())
        return std::unexpected(QStringLiteral("%1 holds no usable key%2")
                                   .arg(source.isEmpty() ? QStringLiteral("The key document") : source,
                                        result.errors.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + result.errors.join(u' ')));
    result.keys.sources.append(result.snapshot);
    return result;
}

std::expected<KeySet, QString> keySetFromSnapshot(const KeySetSnapshotInfo &snapshot)
{
    auto result = keySetFromDocument(snapshot.document, snapshot.source);
    if (!result)
        return std::unexpected(result.error());
    result->keys.sources = {snapshot};
    return result->keys;
}

std::expected<KeyPtr, QString> keyFromInlineSecret(const QString &specification)
{
    const qsizetype equals = specification.indexOf(u'=');
    if (equals <= 0)
        return std::unexpected(QStringLiteral("A secret is given as KEYID=SECRET; \"%1\" has no key id.").arg(specification));
    const QString kid = specification.first(equals);
    const QString value = specification.sliced(equals + 1);
    QByteArray secret = value.toUtf8();
    if (value.startsWith(QLatin1String("base64:"))) {
        auto decoded = decodeBase64Strict(value.sliced(7).toLatin1());
        if (!decoded)
            return std::unexpected(QStringLiteral("The secret for \"%1\" is not valid base64: %2").arg(kid, decoded.error().message));
        secret = *decoded;
    }
    if (secret.isEmpty())
        return std::unexpected(QStringLiteral("The secret for \"%1\" is empty.").arg(kid));
    return makeSecretKey(kid, secret, QStringLiteral("inline"));
}

KeySource::KeySource(const QString &source, const KeySourceOptions &options, QObject *parent)
    : QObject(parent), m_source(source), m_options(options)
{
}

KeySource::~KeySource()
{
    if (m_reply)
        m_reply->abort();
}

bool KeySource::isUrl() const { return isHttpUrl(m_source); }

bool KeySource::isFetching() const { return !m_reply.isNull(); }

bool KeySource::isFresh() const { return m_loaded && m_freshUntil.isValid() && now() < m_freshUntil; }

QDateTime KeySource::now() const { return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc(); }

void KeySource::load()
{
    if (!isUrl()) {
        loadFile();
        return;
    }
    if (isFresh()) {
        emit loaded(m_result.keys, true);
        return;
    }
    fetchUrl(false);
}

void KeySource::reload()
{
    if (isUrl())
        fetchUrl(true);
    else
        loadFile();
}

bool KeySource::refetchForUnknownKid(const QString &kid)
{
    Q_UNUSED(kid);
    const QDateTime current = now();
    if (m_lastUnknownKidFetch.isValid()
        && current < m_lastUnknownKidFetch.addSecs(qint64(m_options.refetchInterval.count())))
        return false;
    m_lastUnknownKidFetch = current;
    reload();
    return true;
}

void KeySource::loadFile()
{
    QFile file(m_source);
    if (!file.open(QIODevice::ReadOnly)) {
        emit failed(QStringLiteral("Cannot read the key file %1: %2").arg(m_source, file.errorString()));
        return;
    }
    if (file.size() > m_options.maxBytes) {
        emit failed(QStringLiteral("The key file %1 is larger than %2 bytes.").arg(m_source).arg(m_options.maxBytes));
        return;
    }
    auto result = keySetFromDocument(file.readAll(), m_source);
    if (!result) {
        emit failed(result.error());
        return;
    }
    result->snapshot.fetchedAt = now();
    result->keys.sources = {result->snapshot};
    m_result = *result;
    m_loaded = true;
    emit loaded(m_result.keys, false);
}

void KeySource::fetchUrl(bool force)
{
    Q_UNUSED(force); // a forced fetch still revalidates with the ETag; freshness is checked in load()
    if (m_reply)
        return; // the fetch in flight will answer
    const QUrl url(m_source);
    if (!url.isValid()) {
        emit failed(QStringLiteral("%1 is not a valid URL.").arg(m_source));
        return;
    }
    if (url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0 && !m_options.allowHttp) {
        emit failed(QStringLiteral("Refusing to fetch keys over plain http from %1: use https, or allow http explicitly.").arg(m_source));
        return;
    }
    QNetworkAccessManager *network = m_options.network;
    if (!network) {
        if (!m_ownedNetwork)
            m_ownedNetwork = std::make_unique<QNetworkAccessManager>();
        network = m_ownedNetwork.get();
    }
    QNetworkRequest request(url);
    // Never follow a redirect from https to http; at most a few redirects.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    request.setTransferTimeout(int(m_options.timeout.count()));
    request.setRawHeader("Accept", "application/jwk-set+json, application/json, application/x-pem-file, */*;q=0.1");
    if (m_loaded && !m_result.snapshot.etag.isEmpty())
        request.setRawHeader("If-None-Match", m_result.snapshot.etag);
    m_buffer.clear();
    m_tooLarge = false;
    m_reply = network->get(request);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        const qint64 declared = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (declared > m_options.maxBytes) {
            m_tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        m_buffer += reply->read(m_options.maxBytes + 1 - m_buffer.size());
        if (m_buffer.size() > m_options.maxBytes) {
            m_tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, &KeySource::finishReply);
}

void KeySource::finishReply()
{
    QNetworkReply *reply = m_reply;
    m_reply.clear();
    if (!reply)
        return;
    reply->deleteLater();
    if (m_tooLarge) {
        emit failed(QStringLiteral("The key set at %1 is larger than %2 bytes; refusing it.").arg(m_source).arg(m_options.maxBytes));
        return;
    }
    if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError) {
        emit failed(QStringLiteral("Fetching %1 timed out after %2 ms.").arg(m_source).arg(m_options.timeout.count()));
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        emit failed(QStringLiteral("Fetching %1 failed: %2").arg(m_source, reply->errorString()));
        return;
    }
    const std::optional<qint64> age = maxAge(reply->rawHeader("Cache-Control"));
    const QDateTime fetchedAt = now();
    if (status == 304 && m_loaded) {
        m_result.snapshot.fetchedAt = fetchedAt;
        m_freshUntil = age ? fetchedAt.addSecs(*age) : QDateTime();
        emit loaded(m_result.keys, true);
        return;
    }
    if (status != 200) {
        emit failed(QStringLiteral("Fetching %1 gave HTTP status %2.").arg(m_source).arg(status));
        return;
    }
    m_buffer += reply->readAll();
    if (m_buffer.size() > m_options.maxBytes) {
        emit failed(QStringLiteral("The key set at %1 is larger than %2 bytes; refusing it.").arg(m_source).arg(m_options.maxBytes));
        return;
    }
    auto result = keySetFromDocument(m_buffer, m_source);
    m_buffer.clear();
    if (!result) {
        emit failed(result.error());
        return;
    }
    result->snapshot.fetchedAt = fetchedAt;
    result->snapshot.etag = reply->rawHeader("ETag");
    result->keys.sources = {result->snapshot};
    m_result = *result;
    m_loaded = true;
    m_freshUntil = age ? fetchedAt.addSecs(*age) : QDateTime();
    emit loaded(m_result.keys, false);
}

std::expected<KeySourceResult, QString> loadKeySourceWithSnapshot(const QString &source, const KeySourceOptions &options)
{
    KeySource keySource(source, options);
    std::optional<QString> failure;
    bool done = false;
    QEventLoop loop;
    QObject::connect(&keySource, &KeySource::loaded, &loop, [&] {
        done = true;
        loop.quit();
    });
    QObject::connect(&keySource, &KeySource::failed, &loop, [&](const QString &message) {
        failure = message;
        done = true;
        loop.quit();
    });
    keySource.load();
    if (!done)
        loop.exec();
    if (failure)
        return std::unexpected(*failure);
    KeySourceResult result;
    result.keys = keySource.keySet();
    result.snapshot = keySource.snapshot();
    result.errors = keySource.keyErrors();
    return result;
}

std::expected<KeySet, QString> loadKeySource(const QString &source, const KeySourceOptions &options)
{
    auto result = loadKeySourceWithSnapshot(source, options);
    if (!result)
        return std::unexpected(result.error());
    return result->keys;
}

} // namespace Verify
