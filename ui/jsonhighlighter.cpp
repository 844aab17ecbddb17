#include "jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    // a string (with escapes), optionally followed by a colon (then it is a key); a number; a literal
    , m_token(QStringLiteral(R"(("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b)"))
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    m_keyFormat.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x00, 0x45, 0x8c));
    m_keyFormat.setFontWeight(QFont::DemiBold);
    m_stringFormat.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_numberFormat.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_literalFormat.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    auto matches = m_token.globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        if (match.capturedLength(1) > 0) {
            const bool isKey = match.capturedLength(2) > 0;
            setFormat(int(match.capturedStart(1)), int(match.capturedLength(1)), isKey ? m_keyFormat : m_stringFormat);
        } else if (match.capturedLength(3) > 0) {
            setFormat(int(match.capturedStart(3)), int(match.capturedLength(3)), m_numberFormat);
        } else if (match.capturedLength(4) > 0) {
            setFormat(int(match.capturedStart(4)), int(match.capturedLength(4)), m_literalFormat);
        }
    }
}
