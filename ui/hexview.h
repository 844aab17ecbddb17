#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>

/// A custom-painted hex dump (offset | hex | ASCII) that paints only the visible lines, so a
/// 16 MiB body opens instantly. Selects bytes with the mouse or Shift+arrows; Ctrl+C copies.
class HexView final : public QAbstractScrollArea
{
    Q_OBJECT
public:
    static constexpr int BytesPerLine = 16;

    explicit HexView(QWidget *parent = nullptr);

    void setData(const QByteArray &data);
    const QByteArray &data() const { return m_data; }
    qint64 rowCount() const;

    // Selects [offset, offset + length) and scrolls it into view.
    void setSelection(qint64 offset, qint64 length);
    qint64 selectionStart() const;
    qint64 selectionLength() const;
    QByteArray selectedBytes() const;
    // The selection as hex pairs ("7b 22 61"), or as text when it was made in the ASCII column.
    QString selectedText() const;
    void copySelection() const;

Q_SIGNALS:
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Hit
    {
        qint64 offset = -1;
        bool ascii = false;
    };
    void updateMetrics();
    void updateScrollBars();
    int visibleRows() const;
    int offsetDigits() const;
    Hit hitTest(QPoint position) const;
    void moveCursorTo(qint64 offset, bool extend);

    QByteArray m_data;
    qint64 m_anchor = -1;
    qint64 m_cursor = -1;
    bool m_asciiSelection = false;
    int m_charWidth = 8;
    int m_lineHeight = 16;
    int m_hexStart = 0;
    int m_asciiStart = 0;
};
