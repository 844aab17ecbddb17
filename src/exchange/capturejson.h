#pragma once

#include "http/capturedrequest.h"

#include <QJsonObject>

namespace Exchange {

/// RFC 3339 with milliseconds in UTC, e.g. 2026-12-03T13:22:31.123Z.
QString rfc3339(const QDateTime &time);

/// The JSON object `listen --json` prints and `export --format jsonl` writes for one capture
/// (contract: id, receivedAt, method, target, bodyBytes, verification; more members are added).
/// verification and event may be empty objects when nothing was computed.
QJsonObject captureToJson(const Http::CapturedRequest &capture, const QJsonObject &verification,
                          const QJsonObject &event = {});

/// The same object as compact JSON text, written directly around the verification and event
/// JSON texts the analysis stored (empty: none): byte for byte what
/// QJsonDocument(captureToJson(...)).toJson(Compact) gives, without building objects.
QByteArray captureJsonText(const Http::CapturedRequest &capture, QByteArrayView verificationJson,
                           QByteArrayView eventJson = {});

} // namespace Exchange
