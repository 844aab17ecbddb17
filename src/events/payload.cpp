#include "events/payload.h"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace Events {

static QString joinPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

static QString elementPath(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

// The text of one JSON string token, quotes included.
static QString decodeJsonString(QByteArrayView token)
{
    if (token.size() < 2)
        return QString();
    if (!token.contains('\\'))
        return QString::fromUtf8(token.sliced(1, token.size() - 2));
    const QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray('[' + token.toByteArray() + ']'));
    return wrapped.array().at(0).toString();
}

KeyOrder scanKeyOrder(QByteArrayView json)
{
    struct Frame
    {
        bool object = false;
        QString path;
        qsizetype index = 0;    // arrays: the element being read
        qsizetype keys = -1;    // objects: where their path's keys sit in lists
        bool expectKey = true;
        QString key;
    };
    // One hash lookup per object rather than per key; an object's path can repeat (duplicate
    // keys), so its keys merge into one list as before.
    QList<std::pair<QString, QStringList>> lists;
    QHash<QString, qsizetype> listIndex;
    QList<Frame> stack;
    const auto valuePath = [&stack]() -> QString {
        if (stack.isEmpty())
            return QString();
        const Frame &top = stack.constLast();
        return top.object ? joinPath(top.path, top.key) : elementPath(top.path, top.index);
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (c == '"') {
            qsizetype end = i + 1;
            while (end < json.size() && json.at(end) != '"')
                end += json.at(end) == '\\' ? 2 : 1;
            if (!stack.isEmpty() && stack.constLast().object && stack.constLast().expectKey) {
                Frame &top = stack.last();
                top.key = decodeJsonString(json.sliced(i, qMin(end, json.size() - 1) - i + 1));
                top.expectKey = false;
                QStringList &keys = lists[top.keys].second;
                if (!keys.contains(top.key))
                    keys.append(top.key);
            }
            i = end;
        } else if (c == '{' || c == '[') {
            Frame frame;
            frame.object = c == '{';
            frame.path = valuePath();
            if (frame.object) {
                const auto it = listIndex.constFind(frame.path);
                if (it != listIndex.constEnd()) {
                    frame.keys = it.value();
                } else {
                    frame.keys = lists.size();
                    listIndex.insert(frame.path, frame.keys);
                    lists.append({frame.path, QStringList()});
                }
            }
            stack.append(std::move(frame));
        } else if ((c == '}' || c == ']') && !stack.isEmpty()) {
            stack.removeLast();
        } else if (c == ',' && !stack.isEmpty()) {
            Frame &top = stack.last();
            if (top.object)
                top.expectKey = true;
            else
                ++top.index;
        }
    }
    KeyOrder order;
    order.reserve(lists.size());
    for (auto &[path, keys] : lists) {
        if (!keys.isEmpty()) // as before: a path is recorded once it has a key
            order.insert(path, std::move(keys));
    }
    return order;
}

QStringList keysInOrder(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path)
{
    QStringList keys;
    for (const QString &key : keyOrder.value(path)) {
        if (object.contains(key))
            keys.append(key);
    }
    if (keys.size() == object.size())
        return keys;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!keys.contains(it.key()))
            keys.append(it.key());
    }
    return keys;
}

std::optional<JsonTable> tableFromArray(const QJsonArray &array, const QString &path, const KeyOrder &keyOrder)
{
    JsonTable table;
    table.path = path;
    for (qsizetype index = 0; index < array.size(); ++index) {
        if (!array.at(index).isObject())
            return std::nullopt;
        const QJsonObject object = array.at(index).toObject();
        for (const QString &key : keysInOrder(object, keyOrder, elementPath(path, index))) {
            if (!table.columns.contains(key))
                table.columns.append(key);
        }
    }
    for (const QJsonValue &element : array) {
        const QJsonObject object = element.toObject();
        QList<QJsonValue> row;
        row.reserve(table.columns.size());
        for (const QString &column : std::as_const(table.columns))
            row.append(object.value(column));
        table.rows.append(row);
    }
    return table;
}

static void collectTables(const QJsonValue &value, const QString &path, const KeyOrder &keyOrder,
                          QList<JsonTable> &out)
{
    if (value.isArray()) {
        if (auto table = tableFromArray(value.toArray(), path, keyOrder))
            out.append(*table);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    for (const QString &key : keysInOrder(object, keyOrder, path))
        collectTables(object.value(key), joinPath(path, key), keyOrder, out);
}

QList<JsonTable> findTables(const QJsonValue &root, const KeyOrder &keyOrder)
{
    QList<JsonTable> tables;
    collectTables(root, QString(), keyOrder, tables);
    return tables;
}

bool isIdentifierKey(QStringView key)
{
    for (const auto bare : {u"id", u"uuid", u"code", u"key"}) {
        if (key.compare(bare, Qt::CaseInsensitive) == 0)
            return true;
    }
    const auto hasSuffix = [key](QStringView suffix, Qt::CaseSensitivity cs) {
        return key.size() > suffix.size() && key.endsWith(suffix, cs);
    };
    return hasSuffix(u"Id", Qt::CaseSensitive) || hasSuffix(u"ID", Qt::CaseSensitive)
        || hasSuffix(u"_id", Qt::CaseInsensitive) || hasSuffix(u"-id", Qt::CaseInsensitive)
        || hasSuffix(u"Code", Qt::CaseSensitive) || hasSuffix(u"_code", Qt::CaseInsensitive)
        || hasSuffix(u"Uuid", Qt::CaseSensitive) || hasSuffix(u"_uuid", Qt::CaseInsensitive);
}

static void collectIdentifiers(const QJsonObject &object, const QString &prefix, const KeyOrder &keyOrder,
                               QList<Identifier> &out)
{
    for (const QString &key : keysInOrder(object, keyOrder, prefix)) {
        const QString path = joinPath(prefix, key);
        const QJsonValue value = object.value(key);
        if (value.isObject()) {
            collectIdentifiers(value.toObject(), path, keyOrder, out);
            continue;
        }
        if (!isIdentifierKey(key))
            continue;
        if (value.isString() && !value.toString().isEmpty())
            out.append({path, value.toString()});
        else if (value.isDouble() && value.toDouble() == std::floor(value.toDouble()))
            out.append({path, QString::number(qint64(value.toDouble()))});
    }
}

QList<Identifier> findIdentifiers(const QJsonValue &root, const KeyOrder &keyOrder)
{
    QList<Identifier> identifiers;
    if (root.isObject())
        collectIdentifiers(root.toObject(), QString(), keyOrder, identifiers);
    return identifiers;
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("absent");
}

QStringList knownFieldTypes()
{
    return {QStringLiteral("string"), QStringLiteral("number"), QStringLiteral("integer"),
            QStringLiteral("boolean"), QStringLiteral("null"), QStringLiteral("object"),
            QStringLiteral("array"), QStringLiteral("array-of-objects"), QStringLiteral("any")};
}

bool jsonValueHasType(const QJsonValue &value, QStringView type)
{
    if (value.isUndefined())
        return false;
    if (type == u"any")
        return true;
    if (type == u"integer")
        return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
    if (type == u"array-of-objects")
    {
        // What tableFromArray() accepts, without building the table.
        if (!value.isArray())
            return false;
        const QJsonArray array = value.toArray();
        return std::all_of(array.begin(), array.end(), [](const QJsonValueConstRef element) { return element.isObject(); });
    }
    return jsonTypeName(value) == type;
}

} // namespace Events
