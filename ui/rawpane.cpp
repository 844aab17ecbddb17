#include "rawpane.h"

#include "displaytext.h"
#include "hexview.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

RawPane::RawPane(QWidget *parent)
    : QWidget(parent)
    , m_markers(new QCheckBox(tr("Show &CR/LF"), this))
    , m_hexToggle(new QCheckBox(tr("&Hex"), this))
    , m_status(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_hex(new HexView(this))
{
    m_text->setReadOnly(true);
    m_text->setFont(DisplayText::monospaceFont());
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setAccessibleName(tr("Raw request"));
    m_markers->setToolTip(tr("Show carriage returns as \\r and line feeds as \\n"));
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_hex);
    connect(m_markers, &QCheckBox::toggled, this, &RawPane::render);
    connect(m_hexToggle, &QCheckBox::toggled, this,
            [this](bool hex) { m_stack->setCurrentWidget(hex ? static_cast<QWidget *>(m_hex) : m_text); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_markers);
    bar->addWidget(m_hexToggle);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
}

void RawPane::setRequest(const Http::CapturedRequest &request)
{
    m_raw = request.raw;
    m_hex->setData(m_raw);
    const bool big = m_raw.size() > TextLimit;
    m_markers->setEnabled(!big);
    m_hexToggle->setChecked(big);
    m_stack->setCurrentWidget(big ? static_cast<QWidget *>(m_hex) : m_text);
    QString status = tr("%1 as received").arg(DisplayText::byteSize(m_raw.size()));
    if (big)
        status += tr(" — too large for the text view; shown in hex");
    m_status->setText(status);
    render();
}

void RawPane::clear()
{
    m_raw.clear();
    m_hex->setData({});
    m_text->clear();
    m_status->clear();
}

bool RawPane::showsHex() const
{
    return m_stack->currentWidget() == m_hex;
}

void RawPane::setLineEndMarkers(bool visible)
{
    m_markers->setChecked(visible);
}

void RawPane::render()
{
    if (m_raw.size() > TextLimit) {
        m_text->clear();
        return;
    }
    m_text->setPlainText(DisplayText::safeText(m_raw, m_markers->isChecked()));
}
