#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

namespace Http {

/// One header (or trailer) field as it arrived: the name with its original case, the value with
/// surrounding whitespace removed (RFC 9112 §5.1), and where its line sits in the raw bytes.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
    qsizetype lineOffset = 0; // offset of the first byte of the field line in CapturedRequest::raw
    qsizetype lineLength = 0; // length of the field line without its CRLF

    // Byte-wise case folding keeps the length: names of another length are told apart at once.
    bool nameIs(QByteArrayView other) const
    {
        return name.size() == other.size() && name.compare(other, Qt::CaseInsensitive) == 0;
    }
};

/// Why a request was not accepted; status 0 means it was accepted.
struct Rejection
{
    int status = 0;         // 400, 408, 413, 414, 431, 501 or 505
    QString code;           // stable machine code, e.g. "content-length-invalid"
    QString reason;         // one human sentence
    qsizetype offset = -1;  // offset in raw where parsing stopped
};

/// A request exactly as it arrived, plus the parsed views the rest of Hookscope reads.
/// raw holds every byte received for this request, framing included; body is the payload after
/// removing the framing. For Content-Length framing the body is not copied: bodyView() points
/// into raw.
struct CapturedRequest
{
    qint64 id = 0;
    QByteArray raw;

    QByteArray method;
    QByteArray target;
    QByteArray version; // "HTTP/1.1"
    QList<HeaderField> headers;
    QList<HeaderField> trailers;

    bool chunked = false;
    qsizetype bodyOffset = 0;   // Content-Length framing: body is raw[bodyOffset, +bodyLength)
    qsizetype bodyLength = 0;
    QByteArray decodedBody;     // chunked framing only: the de-chunked payload

    QString remoteAddress;
    quint16 remotePort = 0;
    QString localAddress;
    quint16 localPort = 0;
    QString tlsProtocol; // empty for plain HTTP
    QString tlsCipher;
    QString endpoint;    // name of the listener that received it

    QDateTime firstByteAt;
    QDateTime lastByteAt;

    int responseStatus = 0;
    Rejection rejection;
    bool imported = false;

    bool isRejected() const { return rejection.status != 0; }
    bool isTls() const { return !tlsProtocol.isEmpty(); }

    QByteArrayView bodyView() const
    {
        if (chunked)
            return decodedBody;
        return QByteArrayView(raw).sliced(qMin(bodyOffset, raw.size()),
                                          qMin(bodyLength, raw.size() - qMin(bodyOffset, raw.size())));
    }

    /// The first field with this name (case-insensitive), or nullptr.
    const HeaderField *header(QByteArrayView name) const
    {
        for (const HeaderField &field : headers) {
            if (field.nameIs(name))
                return &field;
        }
        return nullptr;
    }

    /// Every field with this name, in order of arrival.
    QList<const HeaderField *> headersNamed(QByteArrayView name) const
    {
        QList<const HeaderField *> result;
        for (const HeaderField &field : headers) {
            if (field.nameIs(name))
                result.append(&field);
        }
        return result;
    }

    /// The raw field line for a header (without CRLF), as it appears in raw.
    QByteArrayView rawLine(const HeaderField &field) const
    {
        return QByteArrayView(raw).sliced(field.lineOffset, field.lineLength);
    }
};

} // namespace Http
