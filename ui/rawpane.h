#pragma once

#include "http/capturedrequest.h"

#include <QWidget>

class HexView;
class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;

/// The Raw tab: every byte of the request as received, as text with optional visible CR/LF
/// markers, or in the hex view (the default for big requests).
class RawPane final : public QWidget
{
    Q_OBJECT
public:
    static constexpr qsizetype TextLimit = 1024 * 1024;

    explicit RawPane(QWidget *parent = nullptr);

    void setRequest(const Http::CapturedRequest &request);
    void clear();

    bool showsHex() const;
    QPlainTextEdit *textView() const { return m_text; }
    HexView *hexView() const { return m_hex; }
    void setLineEndMarkers(bool visible);

private:
    void render();

    QByteArray m_raw;
    QCheckBox *m_markers = nullptr;
    QCheckBox *m_hexToggle = nullptr;
    QLabel *m_status = nullptr;
    QStackedWidget *m_stack = nullptr;
    QPlainTextEdit *m_text = nullptr;
    HexView *m_hex = nullptr;
};
