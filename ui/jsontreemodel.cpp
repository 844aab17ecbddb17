#include "jsontreemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::clear()
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    endResetModel();
}

bool JsonTreeModel::setJsonBytes(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError) {
        clear();
        return false;
    }
    const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    setJson(root, Events::scanKeyOrder(json));
    return true;
}

void JsonTreeModel::setJson(const QJsonValue &root, const Events::KeyOrder &keyOrder)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    // The root itself is shown as one top-level row so a scalar body has a row too.
    auto top = std::make_unique<Node>();
    top->key = root.isArray() ? QStringLiteral("[ ]") : root.isObject() ? QStringLiteral("{ }") : QString();
    top->parent = m_root.get();
    build(top.get(), root, keyOrder);
    m_root->children.push_back(std::move(top));
    endResetModel();
}

void JsonTreeModel::build(Node *node, const QJsonValue &value, const Events::KeyOrder &keyOrder)
{
    node->type = value.type();
    const auto addChild = [node](QString key, QString path) {
        auto child = std::make_unique<Node>();
        child->key = std::move(key);
        child->path = std::move(path);
        child->parent = node;
        child->row = int(node->children.size());
        node->children.push_back(std::move(child));
        return node->children.back().get();
    };
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (const QString &key : Events::keysInOrder(object, keyOrder, node->path)) {
            const QString path = node->path.isEmpty() ? key : node->path + u'.' + key;
            build(addChild(key, path), object.value(key), keyOrder);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString element = u'[' + QString::number(i) + u']';
            build(addChild(element, node->path + element), array.at(i), keyOrder);
        }
    } else {
        node->value = value;
    }
}

JsonTreeModel::Node *JsonTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::indexForPath(const QString &path) const
{
    if (m_root->children.empty())
        return {};
    std::vector<Node *> pending{m_root->children.front().get()};
    while (!pending.empty()) {
        Node *node = pending.back();
        pending.pop_back();
        if (node->path == path)
            return createIndex(node->row, 0, node);
        for (const auto &child : node->children) {
            if (path.startsWith(child->path))
                pending.push_back(child.get());
        }
    }
    return {};
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    Node *node = nodeFor(parent);
    if (row < 0 || row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *parent = nodeFor(child)->parent;
    if (!parent || parent == m_root.get())
        return {};
    return createIndex(parent->row, 0, parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

namespace {

QString typeName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::Object:
        return JsonTreeModel::tr("object");
    case QJsonValue::Array:
        return JsonTreeModel::tr("array");
    case QJsonValue::String:
        return JsonTreeModel::tr("string");
    case QJsonValue::Double:
        return JsonTreeModel::tr("number");
    case QJsonValue::Bool:
        return JsonTreeModel::tr("boolean");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return JsonTreeModel::tr("null");
}

} // namespace

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeFor(index);
    if (role == PathRole)
        return node->path;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case KeyColumn:
        return node->key;
    case ValueColumn:
        switch (node->type) {
        case QJsonValue::Object:
            return node->children.size() == 1 ? tr("{1 member}") : tr("{%1 members}").arg(node->children.size());
        case QJsonValue::Array:
            return node->children.size() == 1 ? tr("[1 element]") : tr("[%1 elements]").arg(node->children.size());
        case QJsonValue::String:
            return QString(u'"' + node->value.toString() + u'"');
        case QJsonValue::Double: {
            const double number = node->value.toDouble();
            if (number == double(qint64(number)) && qAbs(number) < 9007199254740992.0)
                return QString::number(qint64(number));
            return QString::number(number, 'g', QLocale::FloatingPointShortest);
        }
        case QJsonValue::Bool:
            return node->value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        default:
            return QStringLiteral("null");
        }
    case TypeColumn:
        return typeName(node->type);
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const QStringList titles{tr("Key"), tr("Value"), tr("Type")};
    return titles.value(section);
}
