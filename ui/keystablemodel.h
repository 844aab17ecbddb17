#pragma once

#include "verify/key.h"

#include <QAbstractTableModel>
#include <QDateTime>

/// The keys of the keys manager: kid | type | algorithm | size | thumbprint | source | fetched at.
class KeysTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { KidColumn, TypeColumn, AlgorithmColumn, SizeColumn, ThumbprintColumn, SourceColumn, FetchedColumn, ColumnCount };

    /// One key with where and when it was loaded.
    struct Entry
    {
        Verify::KeyPtr key;
        QString source;      // file path, URL, "pasted" or "secret"
        QDateTime fetchedAt;
    };

    explicit KeysTableModel(QObject *parent = nullptr);

    // Replaces the keys that came from source (a refresh) or appends them (a new source).
    void setKeysFromSource(const QString &source, const QList<Verify::KeyPtr> &keys, const QDateTime &fetchedAt);
    void removeSource(const QString &source);
    const QList<Entry> &entries() const { return m_entries; }
    Verify::KeyPtr keyAt(int row) const;
    QString sourceAt(int row) const;

    static QString typeName(const Verify::Key &key);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Entry> m_entries;
};
