#pragma once

#include "http/capturedrequest.h"

#include <QUrl>

/// The request as text, exactly as received (Ctrl+C).
QString rawRequestText(const Http::CapturedRequest &request);
/// A curl command that sends the same request to base (the endpoint it arrived on): exact
/// method, target and header lines (order and case kept), the body via --data-binary with
/// $'...' quoting so binary bytes survive (Ctrl+Shift+C).
QString curlCommand(const Http::CapturedRequest &request, const QUrl &base);
/// Quotes bytes for bash: '...' when printable, else $'...' with \xHH escapes.
QString shellQuote(QByteArrayView bytes);
