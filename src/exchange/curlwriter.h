#pragma once

#include "capture/storereader.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <expected>

namespace Exchange {

/// Writes captures as a POSIX shell script of curl commands (`export --format curl`) that send
/// each request again: its method, request-target, every header field in order (duplicates and
/// case kept) and the exact body bytes (`--data-binary @FILE`, FILE written next to the script
/// as SCRIPT.bodies/ID.bin). The URL is `${BASE_URL:-http://HOST}` plus the target, so
/// `BASE_URL=http://other:8080 sh script` sends them elsewhere. curl's own User-Agent, Accept,
/// Content-Type and Expect fields are suppressed when the request did not carry them. Limits
/// of curl: it always sends Host right after the request line; a chunked body is re-chunked;
/// trailer fields are not sent.
class CurlWriter final
{
public:
    /// One body file the script refers to: path relative to the script's folder, and bytes.
    struct BodyFile
    {
        QString relativePath; // "SCRIPT.bodies/ID.bin"
        QByteArray bytes;
    };

    /// scriptName: the script's file name (bodies go to scriptName + ".bodies/").
    explicit CurlWriter(QString scriptName);

    void add(const Http::CapturedRequest &request);
    QByteArray script() const;
    const QList<BodyFile> &bodies() const { return m_bodies; }

    /// Writes the script at path (mode 0755) and its body files beside it.
    std::expected<void, QString> writeTo(const QString &path) const;

    /// POSIX shell single-quoting: 'it'\''s'.
    static QByteArray shellQuote(QByteArrayView text);

private:
    QString m_scriptName;
    QByteArray m_commands;
    QList<BodyFile> m_bodies;
    int m_count = 0;
};

} // namespace Exchange
