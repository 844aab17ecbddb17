#include "keystablemodel.h"

#include <QLocale>

KeysTableModel::KeysTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void KeysTableModel::removeSource(const QString &source)
{
    for (qsizetype row = m_entries.size() - 1; row >= 0; --row) {
        if (m_entries.at(row).source != source)
            continue;
        beginRemoveRows({}, int(row), int(row));
        m_entries.removeAt(row);
        endRemoveRows();
    }
}

void KeysTableModel::setKeysFromSource(const QString &source, const QList<Verify::KeyPtr> &keys, const QDateTime &fetchedAt)
{
    removeSource(source);
    if (keys.isEmpty())
        return;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(keys.size()) - 1);
    for (const Verify::KeyPtr &key : keys)
        m_entries.append({key, source, fetchedAt});
    endInsertRows();
}

Verify::KeyPtr KeysTableModel::keyAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).key : Verify::KeyPtr();
}

QString KeysTableModel::sourceAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).source : QString();
}

QString KeysTableModel::typeName(const Verify::Key &key)
{
    switch (key.type) {
    case Verify::KeyType::Rsa:
        return QStringLiteral("RSA");
    case Verify::KeyType::RsaPss:
        return QStringLiteral("RSA-PSS");
    case Verify::KeyType::Ec:
        return QStringLiteral("EC %1").arg(key.curve);
    case Verify::KeyType::Ed25519:
        return QStringLiteral("Ed25519");
    case Verify::KeyType::Oct:
        break;
    }
    return tr("HMAC secret");
}

int KeysTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int KeysTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeysTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    const Verify::Key &key = *entry.key;
    if (role == Qt::ToolTipRole) {
        if (index.column() == SourceColumn || index.column() == ThumbprintColumn)
            return index.column() == SourceColumn ? entry.source : QString::fromLatin1(key.thumbprint);
        return key.note.isEmpty() ? QVariant() : QVariant(key.note);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KidColumn:
        return key.matchesAnyKid && key.kid.isEmpty() ? tr("(any keyId)") : key.kid;
    case TypeColumn:
        return typeName(key);
    case AlgorithmColumn:
        return key.jwkAlg.isEmpty() ? tr("any") : key.jwkAlg;
    case SizeColumn:
        return tr("%1 bits").arg(key.bits);
    case ThumbprintColumn:
        return QString::fromLatin1(key.thumbprint);
    case SourceColumn:
        return entry.source;
    case FetchedColumn:
        return entry.fetchedAt.isValid() ? QLocale().toString(entry.fetchedAt.toLocalTime(), QLocale::ShortFormat) : QString();
    }
    return {};
}

QVariant KeysTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const QStringList titles{tr("kid"), tr("Type"), tr("Algorithm"), tr("Size"), tr("Thumbprint (RFC 7638)"), tr("Source"), tr("Fetched at")};
    return titles.value(section);
}
