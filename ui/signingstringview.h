#pragma once

#include "http/capturedrequest.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

class QListWidget;
class QPlainTextEdit;

/// The exact signing string / signature base, one row per line, next to the raw request head.
/// Selecting a line highlights the raw header line(s) it was built from, using the per-component
/// source offsets of the verdict JSON (signature.components[].lines / source "request-line").
class SigningStringView final : public QWidget
{
    Q_OBJECT
public:
    explicit SigningStringView(QWidget *parent = nullptr);

    // signature: one entry of the verdict JSON's "signatures" (or its "signature").
    void setSignature(const QJsonObject &signature, const Http::CapturedRequest &request);
    void clear();

    int lineCount() const;
    QString lineText(int line) const;
    void activateLine(int line);
    // The raw head lines (0 = request line) highlighted for the active line.
    QList<int> highlightedRawLines() const { return m_highlighted; }
    QString rawLineText(int rawLine) const;

Q_SIGNALS:
    void lineActivated(int line);

private:
    struct Span
    {
        qsizetype offset = 0;
        qsizetype length = 0;
    };
    struct Line
    {
        QList<Span> sources;
        bool fromRequestLine = false;
    };
    int rawLineAt(qsizetype offset) const;

    QListWidget *m_lines = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QList<Line> m_lineSources;
    QList<qsizetype> m_rawLineStarts; // offset in raw of each head line
    QList<int> m_highlighted;
};
