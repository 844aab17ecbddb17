#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Capture {

/// The verdict of a capture as the list shows it. Values are stored in the database: append only.
enum class Verdict : quint8 {
    Pending = 0,   // not verified yet
    Verified = 1,
    Invalid = 2,   // verification failed
    Unsigned = 3,
    KeyUnknown = 4,
    Rejected = 5,  // the listener rejected the request (4xx/5xx from the parser or limits)
};

/// What verification and event decoding add to a stored capture. The capture store keeps it
/// opaque: the verify and events subsystems fill it.
struct Annotation
{
    qint64 id = 0;
    Verdict verdict = Verdict::Pending;
    QString digestStatus;       // "valid", "mismatch", ... (contract's digest.status)
    QString signatureStatus;    // contract's signature.status
    QStringList problemCodes;
    QByteArray verificationJson; // the contract's verdict object
    QString eventType;
    QString eventSummary;
    QByteArray eventJson;
};

/// A compact row for the capture list: tens of bytes each, bodies and headers load on demand.
struct CaptureSummary
{
    qint64 id = 0;
    qint64 receivedAtMs = 0;
    qint64 bodySize = 0;
    QByteArray method;
    QByteArray path;       // target as received
    QString endpoint;
    QString eventType;
    quint16 responseStatus = 0;
    Verdict verdict = Verdict::Pending;
    quint8 digestStatus = 0;    // index into digestStatusNames()
    quint8 signatureStatus = 0; // index into signatureStatusNames()
    bool pinned = false;
};

} // namespace Capture
