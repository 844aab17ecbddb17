#pragma once

#include "events/decodedevent.h"
#include "events/decoder.h"
#include "http/capturedrequest.h"

#include <QWidget>

class JsonTreeModel;
class QComboBox;
class QLabel;
class QTabWidget;
class QTableWidget;
class QTreeView;
class QTreeWidget;

/// The Event tab: the decoded provider event (Events::Decoder): its summary line, how it was
/// matched, every field with its check, arrays of objects as tables, the identifiers found,
/// and a generic tree of the payload (the main view for undocumented events).
class EventPane final : public QWidget
{
    Q_OBJECT
public:
    explicit EventPane(QWidget *parent = nullptr);

    // The decoder to use; the default is the standard profile catalog's.
    void setDecoder(const Events::Decoder &decoder);
    void setRequest(const Http::CapturedRequest &request);
    void showDecoded(const Events::DecodedEvent &event);
    /// Adds the lifecycle anomalies the analyzer stored with the capture (its event JSON).
    void showAnomalies(const QByteArray &eventJson);
    void clear();

    const Events::DecodedEvent &decoded() const { return m_event; }
    QString summaryText() const;
    QString matchText() const;
    QString problemsText() const;
    QTreeWidget *fieldsView() const { return m_fields; }
    QTableWidget *tableView() const { return m_table; }
    QTreeWidget *identifiersView() const { return m_identifiers; }
    JsonTreeModel *treeModel() const { return m_treeModel; }

private:
    void showTable(int index);

    Events::Decoder m_decoder;
    Events::DecodedEvent m_event;
    QLabel *m_summary = nullptr;
    QLabel *m_match = nullptr;
    QLabel *m_problems = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTreeWidget *m_fields = nullptr;
    QComboBox *m_tableChooser = nullptr;
    QTableWidget *m_table = nullptr;
    QTreeWidget *m_identifiers = nullptr;
    QTreeView *m_tree = nullptr;
    JsonTreeModel *m_treeModel = nullptr;
};
