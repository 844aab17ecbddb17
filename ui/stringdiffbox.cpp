#include "stringdiffbox.h"

#include "displaytext.h"

#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>

namespace {

QString visibleByte(QByteArrayView bytes, qsizetype offset)
{
    if (offset >= bytes.size())
        return StringDiffBox::tr("end of text");
    const char byte = bytes[offset];
    if (byte == '\n')
        return QStringLiteral("\\n");
    if (byte == '\r')
        return QStringLiteral("\\r");
    if (byte == ' ')
        return StringDiffBox::tr("space");
    if (quint8(byte) < 0x20 || quint8(byte) >= 0x7F)
        return QStringLiteral("\\x%1").arg(quint8(byte), 2, 16, QLatin1Char('0'));
    return QString(QLatin1Char(byte));
}

QPlainTextEdit *makeView(QWidget *parent, const QString &name, bool readOnly)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(readOnly);
    view->setFont(DisplayText::monospaceFont());
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setAccessibleName(name);
    view->setTabChangesFocus(true);
    return view;
}

// Shows bytes with visible line feeds and highlights the byte at offset (if any).
void showWithMarker(QPlainTextEdit *view, QByteArrayView bytes, qsizetype offset)
{
    view->setPlainText(DisplayText::safeText(bytes, true));
    if (offset < 0)
        return view->setExtraSelections({});
    const int start = int(DisplayText::safeText(bytes.first(qMin(offset, bytes.size())), true).size());
    const int length = offset < bytes.size() ? int(DisplayText::safeText(bytes.sliced(offset, 1), true).size()) : 0;
    QTextEdit::ExtraSelection selection;
    selection.cursor = QTextCursor(view->document());
    selection.cursor.setPosition(start);
    selection.cursor.setPosition(qMin(start + qMax(length, 1), view->document()->characterCount() - 1), QTextCursor::KeepAnchor);
    selection.format.setBackground(QColor(0xff, 0xc1, 0x07));
    selection.format.setForeground(Qt::black);
    selection.format.setFontUnderline(true);
    if (selection.cursor.selectionStart() == selection.cursor.selectionEnd()) {
        // past the end: mark the whole last line instead
        selection.cursor.movePosition(QTextCursor::StartOfBlock, QTextCursor::KeepAnchor);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
    }
    view->setExtraSelections({selection});
    QTextCursor cursor(view->document());
    cursor.setPosition(start);
    view->setTextCursor(cursor);
    view->ensureCursorVisible();
}

} // namespace

StringDiffBox::Difference StringDiffBox::compare(QByteArrayView expected, QByteArrayView actual)
{
    Difference difference;
    const qsizetype common = qMin(expected.size(), actual.size());
    qsizetype offset = 0;
    while (offset < common && expected[offset] == actual[offset])
        ++offset;
    if (offset == common && expected.size() == actual.size())
        return difference;
    difference.equal = false;
    difference.offset = offset;
    const QByteArrayView prefix = expected.first(offset);
    difference.line = int(prefix.count('\n')) + 1;
    difference.column = int(offset - (prefix.lastIndexOf('\n') + 1)) + 1;
    difference.expected = visibleByte(expected, offset);
    difference.actual = visibleByte(actual, offset);
    return difference;
}

QString StringDiffBox::describe(const Difference &difference)
{
    if (difference.equal)
        return tr("The strings are identical.");
    return tr("Differs at byte %1, line %2: expected '%3' got '%4'.")
        .arg(difference.offset)
        .arg(difference.line)
        .arg(difference.expected, difference.actual);
}

QByteArray StringDiffBox::normalizePaste(const QString &pasted)
{
    QByteArray bytes = pasted.toUtf8();
    bytes.replace("\r\n", "\n");
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    return bytes;
}

StringDiffBox::StringDiffBox(QWidget *parent)
    : QWidget(parent)
    , m_paste(makeView(this, tr("Sender's signing string"), false))
    , m_senderView(makeView(this, tr("Sender's signing string, compared"), true))
    , m_receivedView(makeView(this, tr("Hookscope's signing string, compared"), true))
    , m_result(new QLabel(this))
{
    m_paste->setPlaceholderText(tr("Paste the signing string the sender logged here. Line ends are normalised to LF "
                                   "and one trailing line feed is ignored."));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_paste, &QPlainTextEdit::textChanged, this, &StringDiffBox::recompare);

    auto *pasteLabel = new QLabel(tr("&Sender's string:"), this);
    pasteLabel->setBuddy(m_paste);
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pasteLabel, 0, 0, 1, 2);
    layout->addWidget(m_paste, 1, 0, 1, 2);
    layout->addWidget(m_result, 2, 0, 1, 2);
    layout->addWidget(new QLabel(tr("Sender's (expected):"), this), 3, 0);
    layout->addWidget(new QLabel(tr("Rebuilt by Hookscope (got):"), this), 3, 1);
    layout->addWidget(m_senderView, 4, 0);
    layout->addWidget(m_receivedView, 4, 1);
    recompare();
}

void StringDiffBox::setReceived(const QByteArray &signingString)
{
    m_received = signingString;
    recompare();
}

void StringDiffBox::setPasted(const QString &text)
{
    m_paste->setPlainText(text);
}

QString StringDiffBox::resultText() const
{
    return m_result->text();
}

void StringDiffBox::recompare()
{
    const QString pasted = m_paste->toPlainText();
    if (pasted.isEmpty()) {
        m_difference = {};
        m_result->setText(tr("Paste a string to compare it byte by byte."));
        m_senderView->clear();
        showWithMarker(m_receivedView, m_received, -1);
        return;
    }
    const QByteArray sender = normalizePaste(pasted);
    m_difference = compare(sender, m_received);
    m_result->setText((m_difference.equal ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + describe(m_difference));
    showWithMarker(m_senderView, sender, m_difference.offset);
    showWithMarker(m_receivedView, m_received, m_difference.offset);
}
