#pragma once

#include "events/payload.h"

#include <QAbstractItemModel>
#include <QJsonValue>

#include <memory>
#include <vector>

/// A JSON value as a collapsible tree (key | value | type), keeping the document's key order
/// (QJsonObject sorts keys; Events::scanKeyOrder remembers the order they were written in).
class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1 };

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const QJsonValue &root, const Events::KeyOrder &keyOrder = {});
    // Parses bytes; false (and an empty model) when they are not JSON.
    bool setJsonBytes(QByteArrayView json);
    void clear();

    // The index of the node at a dotted path ("call.participants[0].name"), or invalid.
    QModelIndex indexForPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString key;
        QString path;
        QJsonValue value; // scalars only; containers keep their children
        QJsonValue::Type type = QJsonValue::Null;
        int row = 0;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
    };
    void build(Node *node, const QJsonValue &value, const Events::KeyOrder &keyOrder);
    Node *nodeFor(const QModelIndex &index) const;

    std::unique_ptr<Node> m_root;
};
