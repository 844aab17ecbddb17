#pragma once

#include "capture/capturefilter.h"

#include <QTimer>
#include <QWidget>

class QLineEdit;
class QLabel;

/// The filter box: validates as you type (green when valid, red with the error and its
/// position in the tooltip), and after 200 ms of quiet hands a valid filter on.
class FilterBar final : public QWidget
{
    Q_OBJECT
public:
    enum class State { Empty, Valid, Invalid };

    explicit FilterBar(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    State state() const { return m_state; }
    QString errorText() const { return m_error; }
    QLineEdit *lineEdit() const { return m_edit; }
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }
    /// Shows "12,345 of 1,000,000" beside the box.
    void setMatchInfo(const QString &text);

public Q_SLOTS:
    void focusFilter();

Q_SIGNALS:
    void filterChanged(const Capture::CaptureFilter &filter, const QString &text);
    void stateChanged(FilterBar::State state);

private:
    void validate();
    void apply();

    QLineEdit *m_edit;
    QLabel *m_info;
    QTimer m_debounce;
    State m_state = State::Empty;
    QString m_error;
    Capture::CaptureFilter m_filter;
};
