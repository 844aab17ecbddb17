#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

namespace Http {

/// The byte pipe under a Connection: a plain TCP socket driven directly (so that a client's
/// half-close still gets its answers) or a QSslSocket for HTTPS.
class Transport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    QHostAddress peerAddress;
    quint16 peerPort = 0;
    QHostAddress localAddress;
    quint16 localPort = 0;
    QString tlsProtocol; // empty for plain TCP
    QString tlsCipher;

    /// Queues bytes for the peer (written as soon as the socket takes them).
    virtual void write(const QByteArray &bytes) = 0;
    virtual qint64 bytesToWrite() const = 0;
    /// Sends what is queued, then closes; keeps discarding input meanwhile (RFC 9112 §9.6).
    virtual void closeGracefully() = 0;
    /// Closes at once.
    virtual void abort() = 0;
    /// False until a TLS handshake completed.
    virtual bool isReady() const { return true; }

Q_SIGNALS:
    void received(const QByteArray &bytes);
    /// The peer will send no more (EOF, or a half-close); answers may still be written.
    void peerFinished();
    void allWritten();
    /// Gone for good; the owner deletes the connection.
    void closed();
};

} // namespace Http
