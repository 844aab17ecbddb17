#pragma once

#include <QByteArray>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

/// A box to paste the sender's signing string (or signature base) and compare it with the one
/// Hookscope rebuilt from the received request: both shown with visible line feeds, the first
/// differing byte highlighted and named.
class StringDiffBox final : public QWidget
{
    Q_OBJECT
public:
    /// Where two byte strings first differ.
    struct Difference
    {
        bool equal = true;
        qsizetype offset = -1; // 0-based byte offset of the first difference
        int line = 0;          // 1-based line of that byte
        int column = 0;        // 1-based byte column within the line
        QString expected;      // the byte in `expected`, shown visibly ("a", "\n", "end of text")
        QString actual;
    };
    static Difference compare(QByteArrayView expected, QByteArrayView actual);
    // "Differs at byte N, line L: expected 'x' got 'y'." or "The strings are identical."
    static QString describe(const Difference &difference);
    // What a pasted text becomes before comparing: CRLF → LF and one trailing line feed dropped
    // (terminals and editors add them; signing strings never end with one).
    static QByteArray normalizePaste(const QString &pasted);

    explicit StringDiffBox(QWidget *parent = nullptr);

    // The string Hookscope rebuilt from the request (the "got" side).
    void setReceived(const QByteArray &signingString);
    void setPasted(const QString &text);
    QString resultText() const;
    const Difference &difference() const { return m_difference; }

private:
    void recompare();

    QByteArray m_received;
    Difference m_difference;
    QPlainTextEdit *m_paste = nullptr;
    QPlainTextEdit *m_senderView = nullptr;
    QPlainTextEdit *m_receivedView = nullptr;
    QLabel *m_result = nullptr;
};
