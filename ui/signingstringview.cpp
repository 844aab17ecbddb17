#include "signingstringview.h"

#include "displaytext.h"

#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextBlock>
#include <QVBoxLayout>

SigningStringView::SigningStringView(QWidget *parent)
    : QWidget(parent)
    , m_lines(new QListWidget(this))
    , m_raw(new QPlainTextEdit(this))
{
    m_lines->setFont(DisplayText::monospaceFont());
    m_lines->setAccessibleName(tr("Signing string lines"));
    m_lines->setToolTip(tr("Select a line to see the raw header line it came from"));
    m_raw->setReadOnly(true);
    m_raw->setFont(DisplayText::monospaceFont());
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setAccessibleName(tr("Raw request head"));
    connect(m_lines, &QListWidget::currentRowChanged, this, &SigningStringView::activateLine);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *linesLabel = new QLabel(tr("Si&gned bytes (\\n = line feed):"), left);
    linesLabel->setBuddy(m_lines);
    leftLayout->addWidget(linesLabel);
    leftLayout->addWidget(m_lines);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("Raw request head, as received:"), right));
    rightLayout->addWidget(m_raw);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void SigningStringView::clear()
{
    m_lines->clear();
    m_raw->clear();
    m_lineSources.clear();
    m_rawLineStarts.clear();
    m_highlighted.clear();
}

void SigningStringView::setSignature(const QJsonObject &signature, const Http::CapturedRequest &request)
{
    clear();
    // The head: request line and header lines up to the blank line (RFC 9112 §2.1).
    qsizetype headEnd = request.raw.indexOf("\r\n\r\n");
    headEnd = headEnd < 0 ? qMin<qsizetype>(request.raw.size(), 64 * 1024) : headEnd;
    QStringList rawLines;
    qsizetype start = 0;
    while (start < headEnd) {
        qsizetype end = request.raw.indexOf('\n', start);
        if (end < 0 || end > headEnd)
            end = headEnd;
        m_rawLineStarts.append(start);
        rawLines.append(DisplayText::escapedLine(QByteArrayView(request.raw).sliced(start, end - start)));
        start = end + 1;
    }
    m_raw->setPlainText(rawLines.join(QLatin1Char('\n')));

    const QJsonArray components = signature.value(QStringLiteral("components")).toArray();
    const QByteArray signingString = signature.value(QStringLiteral("signingString")).toString().toUtf8();
    const QList<QByteArray> lines = signingString.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        Line source;
        // Match the line to its component by "name: " prefix, falling back to position.
        QJsonObject component;
        for (const QJsonValue &candidate : components) {
            const QByteArray name = candidate.toObject().value(QStringLiteral("name")).toString().toUtf8();
            if (line.startsWith(QByteArray(name + ": ")) || line == QByteArray(name + ':')) {
                component = candidate.toObject();
                break;
            }
        }
        if (component.isEmpty() && i < components.size())
            component = components.at(i).toObject();
        source.fromRequestLine = component.value(QStringLiteral("source")).toString() == u"request-line";
        for (const QJsonValue &span : component.value(QStringLiteral("lines")).toArray()) {
            source.sources.append({qsizetype(span.toObject().value(QStringLiteral("offset")).toInteger()),
                                   qsizetype(span.toObject().value(QStringLiteral("length")).toInteger())});
        }
        m_lineSources.append(source);
        auto *item = new QListWidgetItem(DisplayText::safeText(line) + (i + 1 < lines.size() ? QStringLiteral("\\n") : QString()));
        if (source.sources.isEmpty() && !source.fromRequestLine)
            item->setToolTip(tr("Derived: not read from a header line"));
        m_lines->addItem(item);
    }
}

int SigningStringView::lineCount() const
{
    return m_lines->count();
}

QString SigningStringView::lineText(int line) const
{
    const QListWidgetItem *item = m_lines->item(line);
    return item ? item->text() : QString();
}

QString SigningStringView::rawLineText(int rawLine) const
{
    return m_raw->document()->findBlockByNumber(rawLine).text();
}

int SigningStringView::rawLineAt(qsizetype offset) const
{
    const auto next = std::upper_bound(m_rawLineStarts.cbegin(), m_rawLineStarts.cend(), offset);
    return int(next - m_rawLineStarts.cbegin()) - 1;
}

void SigningStringView::activateLine(int line)
{
    if (line < 0 || line >= m_lineSources.size())
        return;
    if (m_lines->currentRow() != line) {
        m_lines->setCurrentRow(line); // comes back here through currentRowChanged
        return;
    }
    m_highlighted.clear();
    const Line &source = m_lineSources.at(line);
    if (source.fromRequestLine)
        m_highlighted.append(0);
    for (const Span &span : source.sources) {
        const int rawLine = rawLineAt(span.offset);
        if (rawLine >= 0 && !m_highlighted.contains(rawLine))
            m_highlighted.append(rawLine);
    }
    QList<QTextEdit::ExtraSelection> selections;
    for (int rawLine : std::as_const(m_highlighted)) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_raw->document()->findBlockByNumber(rawLine));
        selection.format.setBackground(palette().color(QPalette::Highlight));
        selection.format.setForeground(palette().color(QPalette::HighlightedText));
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections.append(selection);
    }
    m_raw->setExtraSelections(selections);
    if (!m_highlighted.isEmpty()) {
        m_raw->setTextCursor(QTextCursor(m_raw->document()->findBlockByNumber(m_highlighted.first())));
        m_raw->ensureCursorVisible();
    }
    Q_EMIT lineActivated(line);
}
