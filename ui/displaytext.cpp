#include "displaytext.h"

#include <QFontDatabase>
#include <QFontInfo>
#include <QLocale>

namespace DisplayText {

namespace {

// Length of the valid UTF-8 sequence starting at bytes[i], or 0 when it is not valid
// (RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF).
qsizetype utf8SequenceLength(QByteArrayView bytes, qsizetype i)
{
    const auto byte = [&](qsizetype at) { return quint8(bytes[at]); };
    const quint8 lead = byte(i);
    if (lead < 0x80)
        return 1;
    qsizetype length = 0;
    quint8 low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (i + length > bytes.size())
        return 0;
    if (byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (qsizetype k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    }
    return length;
}

QString hexEscape(quint8 byte)
{
    return QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
}

} // namespace

QString safeText(QByteArrayView bytes, bool markLineEnds)
{
    QString text;
    text.reserve(bytes.size());
    qsizetype i = 0;
    while (i < bytes.size()) {
        const quint8 byte = quint8(bytes[i]);
        if (byte == '\n') {
            if (markLineEnds)
                text += QStringLiteral("\\n");
            text += QLatin1Char('\n');
            ++i;
            continue;
        }
        if (byte == '\r') {
            if (markLineEnds)
                text += QStringLiteral("\\r");
            else if (i + 1 >= bytes.size() || bytes[i + 1] != '\n')
                text += QChar(0x240D); // a lone CR would otherwise vanish or break the line
            ++i;
            continue;
        }
        if (byte == '\t' || (byte >= 0x20 && byte < 0x7F)) {
            text += QLatin1Char(char(byte));
            ++i;
            continue;
        }
        if (byte < 0x20 || byte == 0x7F) {
            text += QChar(byte == 0x7F ? 0x2421 : 0x2400 + byte);
            ++i;
            continue;
        }
        const qsizetype length = utf8SequenceLength(bytes, i);
        if (length == 0) {
            text += hexEscape(byte);
            ++i;
            continue;
        }
        text += QString::fromUtf8(bytes.sliced(i, length));
        i += length;
    }
    return text;
}

QString escapedLine(QByteArrayView bytes)
{
    QString text = safeText(bytes, false);
    text.replace(QChar(0x240D), QStringLiteral("\\r"));
    text.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return text;
}

QFont monospaceFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!QFontInfo(font).fixedPitch()) {
        // some platforms (offscreen, minimal desktops) answer with a proportional font
        font.setFamilies({QStringLiteral("DejaVu Sans Mono"), QStringLiteral("Noto Sans Mono"), QStringLiteral("monospace")});
        font.setStyleHint(QFont::Monospace);
        font.setFixedPitch(true);
    }
    return font;
}

QString byteSize(qint64 bytes)
{
    const QLocale locale;
    if (bytes < 1024)
        return bytes == 1 ? QObject::tr("1 byte") : QObject::tr("%1 bytes").arg(bytes);
    return QObject::tr("%1 (%2 bytes)").arg(locale.formattedDataSize(bytes), locale.toString(bytes));
}

} // namespace DisplayText
