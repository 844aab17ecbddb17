#pragma once

#include "capture/storereader.h"

#include <QWidget>

class QTextBrowser;

/// The Overview tab: verdict badges, the key facts of the request, its problems as plain
/// sentences and, for rejected requests, why and where parsing stopped.
class OverviewPane final : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPane(QWidget *parent = nullptr);

    void setCapture(const Capture::StoredCapture &capture);
    void clear();

    // The text shown (for tests and accessibility).
    QString plainText() const;

private:
    QTextBrowser *m_browser = nullptr;
};
