#include "detailpanes.h"

#include "bodypane.h"
#include "eventpane.h"
#include "headerspane.h"
#include "overviewpane.h"
#include "rawpane.h"
#include "signaturepane.h"

DetailPanes::DetailPanes(QWidget *parent)
    : QTabWidget(parent)
    , m_overview(new OverviewPane(this))
    , m_headers(new HeadersPane(this))
    , m_body(new BodyPane(this))
    , m_signature(new SignaturePane(this))
    , m_event(new EventPane(this))
    , m_raw(new RawPane(this))
{
    setAccessibleName(tr("Capture details"));
    addTab(m_overview, tr("&Overview"));
    addTab(m_headers, tr("&Headers"));
    addTab(m_body, tr("&Body"));
    addTab(m_signature, tr("&Signature"));
    addTab(m_event, tr("&Event"));
    addTab(m_raw, tr("&Raw"));
    clear();
}

void DetailPanes::showCapture(const Capture::StoredCapture &capture)
{
    const Http::CapturedRequest &request = capture.request;
    m_overview->setCapture(capture);
    m_headers->setRequest(request);
    const Http::HeaderField *contentType = request.header("content-type");
    m_body->setBody(request.bodyView().toByteArray(), contentType ? contentType->value : QByteArray());
    m_signature->setCapture(capture);
    if (request.isRejected())
        m_event->clear();
    else {
        m_event->setRequest(request);
        m_event->showAnomalies(capture.annotation.eventJson);
    }
    m_raw->setRequest(request);
    for (int tab = 1; tab < count(); ++tab)
        setTabEnabled(tab, true);
}

void DetailPanes::clear()
{
    m_overview->clear();
    m_headers->clear();
    m_body->clear();
    m_signature->clear();
    m_event->clear();
    m_raw->clear();
}
