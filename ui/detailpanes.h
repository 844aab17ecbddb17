#pragma once

#include "capture/storereader.h"

#include <QTabWidget>

class OverviewPane;
class HeadersPane;
class BodyPane;
class SignaturePane;
class EventPane;
class RawPane;

/// The detail panes for one capture: Overview, Headers, Body, Signature, Event and Raw tabs.
class DetailPanes final : public QTabWidget
{
    Q_OBJECT
public:
    explicit DetailPanes(QWidget *parent = nullptr);

    void showCapture(const Capture::StoredCapture &capture);
    void clear();

    OverviewPane *overviewPane() const { return m_overview; }
    HeadersPane *headersPane() const { return m_headers; }
    BodyPane *bodyPane() const { return m_body; }
    SignaturePane *signaturePane() const { return m_signature; }
    EventPane *eventPane() const { return m_event; }
    RawPane *rawPane() const { return m_raw; }

private:
    OverviewPane *m_overview = nullptr;
    HeadersPane *m_headers = nullptr;
    BodyPane *m_body = nullptr;
    SignaturePane *m_signature = nullptr;
    EventPane *m_event = nullptr;
    RawPane *m_raw = nullptr;
};
