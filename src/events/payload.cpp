#include "events/payload.h"

#include <QJsonDocument>
#include <QVarLengthArray>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace Events {

static QString joinPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

static QString elementPath(const QString &path, qsizetype index)
{
    char digits[24];
    const auto written = std::to_chars(digits, digits + sizeof digits, index);
    return path % u'[' % QLatin1StringView(digits, written.ptr) % u']';
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

// Where the string token opening at json[begin] closes: the index of its closing quote, or
// json.size() when the text ends first.
static qsizetype stringEnd(QByteArrayView json, qsizetype begin)
{
    for (qsizetype quote = json.indexOf('"', begin + 1); quote >= 0; quote = json.indexOf('"', quote + 1)) {
        qsizetype backslashes = 0;
        while (json.at(quote - 1 - backslashes) == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return quote;
    }
    return json.size();
}

KeyOrder scanKeyOrder(QByteArrayView json)
{
    struct Frame
    {
        bool object = false;
        QString path;
        qsizetype index = 0; // arrays: the element being read
        bool expectKey = true;
        QString key;         // objects: the key being read
        QVarLengthArray<QString, 8> keys; // objects: their keys so far
    };
    KeyOrder order;
    // An object's keys go in when it closes. A path can come twice (a repeated key, a key with a
    // dot), never nested in itself: its keys merge in document order.
    const auto record = [&order](Frame &frame) {
        if (!frame.object || frame.keys.isEmpty()) // a path is recorded once it has a key
            return;
        QStringList &keys = order[frame.path];
        if (keys.isEmpty()) { // the path's first object
            keys = QStringList(frame.keys.cbegin(), frame.keys.cend());
            return;
        }
        for (const QString &key : std::as_const(frame.keys)) {
            if (!keys.contains(key))
                keys.append(key);
        }
    };
    // The texts of the first keys, made once: arrays of objects repeat the same few keys. Found by
    // comparing bytes, which costs less than hashing for so few; keys past the first 32 distinct
    // ones are decoded each time.
    constexpr qsizetype rememberedKeys = 32;
    QVarLengthArray<std::pair<QByteArrayView, QString>, rememberedKeys> keyTexts;
    QVarLengthArray<Frame, 8> stack;
    for (qsizetype i = 0; i < json.size(); ++i) {
        switch (json.at(i)) {
        case '"': {
            const qsizetype end = stringEnd(json, i);
            if (!stack.isEmpty() && stack.back().object && stack.back().expectKey) {
                Frame &top = stack.back();
                const QByteArrayView token = json.sliced(i, qMin(end, json.size() - 1) - i + 1);
                const auto known = std::find_if(keyTexts.cbegin(), keyTexts.cend(),
                                                [token](const auto &entry) { return entry.first == token; });
                if (known != keyTexts.cend()) {
                    top.key = known->second;
                } else {
                    top.key = decodeJsonString(token);
                    if (keyTexts.size() < rememberedKeys)
                        keyTexts.append({token, top.key});
                }
                top.expectKey = false;
                if (!top.keys.contains(top.key))
                    top.keys.append(top.key);
            }
            i = end;
            break;
        }
        case '{':
        case '[': {
            Frame frame;
            frame.object = json.at(i) == '{';
            if (!stack.isEmpty()) {
                const Frame &top = stack.back();
                frame.path = top.object ? joinPath(top.path, top.key) : elementPath(top.path, top.index);
            }
            stack.append(std::move(frame));
            break;
        }
        case '}':
        case ']':
            if (!stack.isEmpty()) {
                record(stack.back());
                stack.removeLast();
            }
            break;
        case ',':
            if (!stack.isEmpty()) {
                Frame &top = stack.back();
                if (top.object)
                    top.expectKey = true;
                else
                    ++top.index;
            }
            break;
        default:
            break;
        }
    }
    while (!stack.isEmpty()) { // not valid JSON: what was read still counts
        record(stack.back());
        stack.removeLast();
    }
    return order;
}

QList<JsonMember> membersInOrder(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path)
{
    QList<JsonMember> members;
    members.reserve(object.size());
    const auto recorded = keyOrder.constFind(path);
    if (recorded != keyOrder.constEnd()) {
        for (const QString &key : *recorded) {
            const auto it = object.constFind(key);
            if (it != object.constEnd())
                members.append({key, *it});
        }
    }
    if (members.size() == object.size())
        return members;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        if (std::none_of(members.cbegin(), members.cend(), [&key](const JsonMember &member) { return member.key == key; }))
            members.append({key, it.value()});
    }
    return members;
}

QStringList keysInOrder(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path)
{
    const QList<JsonMember> members = membersInOrder(object, keyOrder, path);
    QStringList keys;
    keys.reserve(members.size());
    for (const JsonMember &member : members)
        keys.append(member.key);
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
    // Every name below ends in d, e or y (case-folded as the comparisons fold): most keys are
    // ruled out by their last letter.
    if (key.isEmpty())
        return false;
    const char16_t last = key.back().toCaseFolded().unicode();
    if (last != u'd' && last != u'e' && last != u'y')
        return false;
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

static void collectIdentifiers(const QList<JsonMember> &members, const QString &prefix, const KeyOrder &keyOrder,
                               QList<Identifier> &out)
{
    for (const JsonMember &member : members) {
        const QJsonValue &value = member.value;
        if (value.isObject()) {
            const QString path = joinPath(prefix, member.key);
            collectIdentifiers(membersInOrder(value.toObject(), keyOrder, path), path, keyOrder, out);
            continue;
        }
        if (!isIdentifierKey(member.key))
            continue;
        if (value.isString() && !value.toString().isEmpty())
            out.append({joinPath(prefix, member.key), value.toString()});
        else if (value.isDouble() && value.toDouble() == std::floor(value.toDouble()))
            out.append({joinPath(prefix, member.key), QString::number(qint64(value.toDouble()))});
    }
}

QList<Identifier> findIdentifiers(const QJsonValue &root, const KeyOrder &keyOrder)
{
    return root.isObject() ? findIdentifiers(membersInOrder(root.toObject(), keyOrder, QString()), keyOrder)
                           : QList<Identifier>();
}

QList<Identifier> findIdentifiers(const QList<JsonMember> &members, const KeyOrder &keyOrder)
{
    QList<Identifier> identifiers;
    collectIdentifiers(members, QString(), keyOrder, identifiers);
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
