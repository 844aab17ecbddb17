#pragma once

#include "http/capturedrequest.h"

#include <QWidget>

class HeadersModel;
class QTableView;

/// The Headers tab: every field in arrival order with its original case; Ctrl+C copies the
/// selected lines, "Copy all" the whole header block.
class HeadersPane final : public QWidget
{
    Q_OBJECT
public:
    explicit HeadersPane(QWidget *parent = nullptr);

    void setRequest(const Http::CapturedRequest &request);
    void clear();

    HeadersModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString selectedLines() const;
    QString allLines() const;

public Q_SLOTS:
    void copySelection();
    void copyAll();

private:
    HeadersModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QString m_requestLine;
};
