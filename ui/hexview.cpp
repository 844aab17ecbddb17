#include "hexview.h"

#include <QApplication>
#include <QClipboard>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include "displaytext.h"

HexView::HexView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(DisplayText::monospaceFont());
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Hex view"));
    viewport()->setCursor(Qt::IBeamCursor);
    updateMetrics();
}

void HexView::setData(const QByteArray &data)
{
    m_data = data; // implicitly shared: no copy of the bytes
    m_anchor = m_cursor = -1;
    updateMetrics();
    verticalScrollBar()->setValue(0);
    viewport()->update();
    Q_EMIT selectionChanged();
}

qint64 HexView::rowCount() const
{
    return (m_data.size() + BytesPerLine - 1) / BytesPerLine;
}

int HexView::offsetDigits() const
{
    return m_data.size() > 0xFFFFFFFFLL ? 12 : 8;
}

void HexView::updateMetrics()
{
    const QFontMetrics metrics(font());
    m_charWidth = 1;
    for (char c = 0x20; c < 0x7F; ++c)
        m_charWidth = qMax(m_charWidth, metrics.horizontalAdvance(QLatin1Char(c)));
    m_lineHeight = metrics.height();
    m_hexStart = (offsetDigits() + 2) * m_charWidth;
    // "xx " per byte plus one extra gap after the 8th byte
    m_asciiStart = m_hexStart + (BytesPerLine * 3 + 2) * m_charWidth;
    updateScrollBars();
}

int HexView::visibleRows() const
{
    return qMax(1, viewport()->height() / qMax(1, m_lineHeight));
}

void HexView::updateScrollBars()
{
    verticalScrollBar()->setRange(0, int(qMax<qint64>(0, rowCount() - visibleRows())));
    verticalScrollBar()->setPageStep(visibleRows());
    verticalScrollBar()->setSingleStep(1);
    const int width = m_asciiStart + (BytesPerLine + 1) * m_charWidth;
    horizontalScrollBar()->setRange(0, qMax(0, width - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        updateMetrics();
    QAbstractScrollArea::changeEvent(event);
}

qint64 HexView::selectionStart() const
{
    return m_anchor < 0 ? -1 : qMin(m_anchor, m_cursor);
}

qint64 HexView::selectionLength() const
{
    return m_anchor < 0 ? 0 : qAbs(m_cursor - m_anchor) + 1;
}

QByteArray HexView::selectedBytes() const
{
    if (m_anchor < 0 || m_data.isEmpty())
        return {};
    return m_data.mid(selectionStart(), selectionLength());
}

QString HexView::selectedText() const
{
    const QByteArray bytes = selectedBytes();
    if (m_asciiSelection)
        return DisplayText::safeText(bytes);
    return QString::fromLatin1(bytes.toHex(' '));
}

void HexView::copySelection() const
{
    if (selectionLength() > 0)
        QApplication::clipboard()->setText(selectedText());
}

void HexView::setSelection(qint64 offset, qint64 length)
{
    if (m_data.isEmpty() || length <= 0) {
        m_anchor = m_cursor = -1;
    } else {
        m_anchor = qBound<qint64>(0, offset, m_data.size() - 1);
        m_cursor = qBound<qint64>(0, offset + length - 1, m_data.size() - 1);
        const qint64 row = m_anchor / BytesPerLine;
        if (row < verticalScrollBar()->value() || row >= verticalScrollBar()->value() + visibleRows())
            verticalScrollBar()->setValue(int(qMax<qint64>(0, row - visibleRows() / 3)));
    }
    viewport()->update();
    Q_EMIT selectionChanged();
}

HexView::Hit HexView::hitTest(QPoint position) const
{
    const int x = position.x() + horizontalScrollBar()->value();
    const qint64 row = verticalScrollBar()->value() + position.y() / qMax(1, m_lineHeight);
    Hit hit;
    int column = -1;
    if (x >= m_asciiStart) {
        column = (x - m_asciiStart) / m_charWidth;
        hit.ascii = true;
    } else if (x >= m_hexStart) {
        int cell = (x - m_hexStart) / m_charWidth;
        if (cell >= 8 * 3 + 1)
            --cell; // the gap after the 8th byte
        column = cell / 3;
    } else {
        column = 0;
    }
    column = qBound(0, column, BytesPerLine - 1);
    if (m_data.isEmpty())
        return hit;
    hit.offset = qBound<qint64>(0, row * BytesPerLine + column, m_data.size() - 1);
    return hit;
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    const Hit hit = hitTest(event->position().toPoint());
    if (hit.offset < 0)
        return;
    m_asciiSelection = hit.ascii;
    moveCursorTo(hit.offset, event->modifiers() & Qt::ShiftModifier);
}

void HexView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    const Hit hit = hitTest(event->position().toPoint());
    if (hit.offset >= 0)
        moveCursorTo(hit.offset, true);
}

void HexView::moveCursorTo(qint64 offset, bool extend)
{
    if (m_data.isEmpty())
        return;
    offset = qBound<qint64>(0, offset, m_data.size() - 1);
    if (!extend || m_anchor < 0)
        m_anchor = offset;
    m_cursor = offset;
    const qint64 row = offset / BytesPerLine;
    if (row < verticalScrollBar()->value())
        verticalScrollBar()->setValue(int(row));
    else if (row >= verticalScrollBar()->value() + visibleRows())
        verticalScrollBar()->setValue(int(row - visibleRows() + 1));
    viewport()->update();
    Q_EMIT selectionChanged();
}

void HexView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy))
        return copySelection();
    if (event->matches(QKeySequence::SelectAll)) {
        setSelection(0, m_data.size());
        return;
    }
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const qint64 cursor = qMax<qint64>(0, m_cursor);
    switch (event->key()) {
    case Qt::Key_Left:
        return moveCursorTo(cursor - 1, extend);
    case Qt::Key_Right:
        return moveCursorTo(cursor + 1, extend);
    case Qt::Key_Up:
        return moveCursorTo(cursor - BytesPerLine, extend);
    case Qt::Key_Down:
        return moveCursorTo(cursor + BytesPerLine, extend);
    case Qt::Key_PageUp:
        return moveCursorTo(cursor - qint64(BytesPerLine) * visibleRows(), extend);
    case Qt::Key_PageDown:
        return moveCursorTo(cursor + qint64(BytesPerLine) * visibleRows(), extend);
    case Qt::Key_Home:
        return moveCursorTo(event->modifiers() & Qt::ControlModifier ? 0 : cursor - cursor % BytesPerLine, extend);
    case Qt::Key_End:
        return moveCursorTo(event->modifiers() & Qt::ControlModifier ? m_data.size() - 1
                                                                     : cursor - cursor % BytesPerLine + BytesPerLine - 1,
                            extend);
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette &colors = palette();
    painter.fillRect(viewport()->rect(), colors.base());
    painter.setFont(font());
    painter.translate(-horizontalScrollBar()->value(), 0);
    const int ascent = QFontMetrics(font()).ascent();
    const qint64 firstRow = verticalScrollBar()->value();
    const qint64 lastRow = qMin(rowCount(), firstRow + visibleRows() + 1);
    const qint64 selectionFirst = selectionStart();
    const qint64 selectionLast = selectionFirst + selectionLength() - 1;
    const QColor offsetColor = colors.color(QPalette::Disabled, QPalette::Text);
    const QColor selectionColor = colors.color(QPalette::Highlight);
    const char *digits = "0123456789abcdef";

    painter.fillRect(QRect(0, 0, m_hexStart - m_charWidth, viewport()->height()), colors.alternateBase());
    for (qint64 row = firstRow; row < lastRow; ++row) {
        const int y = int(row - firstRow) * m_lineHeight;
        const qint64 rowOffset = row * BytesPerLine;
        painter.setPen(offsetColor);
        painter.drawText(m_charWidth / 2, y + ascent,
                         QStringLiteral("%1").arg(rowOffset, offsetDigits(), 16, QLatin1Char('0')));
        const int count = int(qMin<qint64>(BytesPerLine, m_data.size() - rowOffset));
        // One cell at a time at computed positions, so columns stay aligned whatever the font.
        for (int i = 0; i < count; ++i) {
            const quint8 byte = quint8(m_data.at(rowOffset + i));
            const int hexX = m_hexStart + (i * 3 + (i >= 8 ? 1 : 0)) * m_charWidth;
            const int asciiX = m_asciiStart + i * m_charWidth;
            const qint64 offset = rowOffset + i;
            const bool selected = offset >= selectionFirst && offset <= selectionLast;
            if (selected) {
                const bool joinNext = offset < selectionLast && i != 7 && i + 1 < count;
                painter.fillRect(QRect(hexX, y, m_charWidth * (joinNext ? 3 : 2), m_lineHeight), selectionColor);
                painter.fillRect(QRect(asciiX, y, m_charWidth, m_lineHeight), selectionColor);
            }
            painter.setPen(selected ? colors.color(QPalette::HighlightedText) : colors.color(QPalette::Text));
            const QChar hex[2] = {QLatin1Char(digits[byte >> 4]), QLatin1Char(digits[byte & 0xF])};
            painter.drawText(hexX, y + ascent, QString(hex, 2));
            painter.drawText(asciiX, y + ascent,
                             QString((byte >= 0x20 && byte < 0x7F) ? QLatin1Char(char(byte)) : QLatin1Char('.')));
        }
    }
    painter.setPen(offsetColor);
    painter.drawLine(m_asciiStart - m_charWidth, 0, m_asciiStart - m_charWidth, viewport()->height());
}
