#pragma once

#include <QByteArrayView>
#include <QFont>
#include <QString>

/// Turning received bytes into text a view can show safely.
namespace DisplayText {

// Bytes as text: valid UTF-8 as is, every invalid byte as a visible "\xNN", control characters
// other than tab and line breaks as their Unicode control pictures (U+2400 block). With
// markLineEnds, CR and LF are shown as "␍" and "␊" (a line break still follows each LF).
QString safeText(QByteArrayView bytes, bool markLineEnds = false);

// One line for a compact view: like safeText, but CR/LF always shown as "\r" / "\n".
QString escapedLine(QByteArrayView bytes);

// The system's fixed-pitch font.
QFont monospaceFont();

// "1.5 KiB (1,536 bytes)"
QString byteSize(qint64 bytes);

} // namespace DisplayText
