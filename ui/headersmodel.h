#pragma once

#include "http/capturedrequest.h"

#include <QAbstractTableModel>

/// The header (and trailer) fields of one request in arrival order, original case,
/// duplicates kept: # | name | value | where.
class HeadersModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NumberColumn, NameColumn, ValueColumn, SectionColumn, ColumnCount };
    enum Role { LineOffsetRole = Qt::UserRole + 1, LineLengthRole };

    explicit HeadersModel(QObject *parent = nullptr);

    void setRequest(const Http::CapturedRequest &request);
    void clear();
    // "Name: value" for one row, exactly as received on its line.
    QString fieldLine(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        Http::HeaderField field;
        QByteArray line;
        bool trailer = false;
        int repeat = 0; // 1-based index among fields of the same name when repeated, else 0
    };
    QList<Row> m_rows;
};
