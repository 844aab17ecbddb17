#include "headersmodel.h"

#include "displaytext.h"

#include <QHash>

HeadersModel::HeadersModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void HeadersModel::setRequest(const Http::CapturedRequest &request)
{
    beginResetModel();
    m_rows.clear();
    QHash<QByteArray, int> counts;
    for (const Http::HeaderField &field : request.headers)
        ++counts[field.name.toLower()];
    QHash<QByteArray, int> seen;
    const auto add = [&](const Http::HeaderField &field, bool trailer) {
        Row row{field, {}, trailer, 0};
        if (field.lineOffset >= 0 && field.lineOffset + field.lineLength <= request.raw.size())
            row.line = request.raw.mid(field.lineOffset, field.lineLength);
        const QByteArray lower = field.name.toLower();
        if (!trailer && counts.value(lower) > 1)
            row.repeat = ++seen[lower];
        m_rows.append(row);
    };
    for (const Http::HeaderField &field : request.headers)
        add(field, false);
    for (const Http::HeaderField &field : request.trailers)
        add(field, true);
    endResetModel();
}

void HeadersModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString HeadersModel::fieldLine(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &entry = m_rows.at(row);
    if (!entry.line.isEmpty())
        return DisplayText::escapedLine(entry.line);
    return DisplayText::escapedLine(entry.field.name) + QStringLiteral(": ") + DisplayText::escapedLine(entry.field.value);
}

int HeadersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HeadersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeadersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == LineOffsetRole)
        return qint64(row.field.lineOffset);
    if (role == LineLengthRole)
        return qint64(row.field.lineLength);
    if (role == Qt::ToolTipRole && row.repeat > 0)
        return tr("This header appears more than once; this is occurrence %1.").arg(row.repeat);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NumberColumn:
        return index.row() + 1;
    case NameColumn:
        return DisplayText::escapedLine(row.field.name);
    case ValueColumn:
        return DisplayText::escapedLine(row.field.value);
    case SectionColumn:
        if (row.trailer)
            return tr("trailer");
        if (row.repeat > 0)
            return tr("repeated (%1)").arg(row.repeat);
        return QString();
    }
    return {};
}

QVariant HeadersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const QStringList titles{tr("#"), tr("Name"), tr("Value"), tr("Note")};
    return titles.value(section);
}
