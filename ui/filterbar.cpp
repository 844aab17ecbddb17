#include "filterbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_info(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    auto *label = new QLabel(tr("&Filter:"), this);
    label->setBuddy(m_edit);
    layout->addWidget(label);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_info);
    m_edit->setClearButtonEnabled(true);
    m_edit->setPlaceholderText(tr("e.g. method:POST and not verdict:verified, body:\"coupon\", status:>=400   (Ctrl+F)"));
    m_edit->setAccessibleName(tr("Capture filter"));
    m_edit->setAccessibleDescription(Capture::CaptureFilter::syntaxHelp());
    m_edit->setToolTip(Capture::CaptureFilter::syntaxHelp());
    m_edit->setObjectName(QStringLiteral("filterEdit"));
    m_info->setAccessibleName(tr("Filter matches"));
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(m_edit, &QLineEdit::textChanged, this, &FilterBar::validate);
    connect(m_edit, &QLineEdit::returnPressed, this, &FilterBar::apply);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::apply);
}

QString FilterBar::text() const
{
    return m_edit->text();
}

void FilterBar::setText(const QString &text)
{
    m_edit->setText(text);
}

void FilterBar::setMatchInfo(const QString &text)
{
    m_info->setText(text);
}

void FilterBar::focusFilter()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FilterBar::validate()
{
    const auto parsed = Capture::CaptureFilter::parse(m_edit->text());
    State state = State::Empty;
    if (!parsed) {
        state = State::Invalid;
        const auto &e = parsed.error();
        m_error = tr("Column %1: %2").arg(e.position + 1).arg(e.message);
        m_edit->setToolTip(m_error);
        m_edit->setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #c01c28; border-radius: 3px; }"));
        m_debounce.stop();
    } else {
        state = parsed->isEmpty() ? State::Empty : State::Valid;
        m_error.clear();
        m_filter = *parsed;
        m_edit->setToolTip(Capture::CaptureFilter::syntaxHelp());
        m_edit->setStyleSheet(state == State::Valid
                                  ? QStringLiteral("QLineEdit { border: 2px solid #2ea043; border-radius: 3px; }")
                                  : QString());
        m_debounce.start();
    }
    m_edit->setAccessibleDescription(m_error.isEmpty() ? Capture::CaptureFilter::syntaxHelp() : m_error);
    if (state != m_state) {
        m_state = state;
        Q_EMIT stateChanged(state);
    }
    if (state == State::Invalid)
        m_info->setText(m_error);
}

void FilterBar::apply()
{
    m_debounce.stop();
    if (m_state != State::Invalid)
        Q_EMIT filterChanged(m_filter, m_edit->text());
}
