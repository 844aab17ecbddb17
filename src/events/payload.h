#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Events {

// Generic views of a JSON payload, for documented and undocumented events alike.

/// Object keys in document order, by path: "" for the top-level object, "call" for a nested
/// object, "participants[0]" for an object in an array. QJsonObject sorts its keys, so the order
/// a payload was written in survives only here.
using KeyOrder = QHash<QString, QStringList>;

/// Scans valid JSON (checked beforehand) for the order of its object keys.
KeyOrder scanKeyOrder(QByteArrayView json);

/// object's keys in the order keyOrder recorded for path; keys it does not know follow, sorted.
QStringList keysInOrder(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path);

/// One member of a JSON object.
struct JsonMember
{
    QString key;
    QJsonValue value;
};

/// object's members in the order of keysInOrder(), each looked up once.
QList<JsonMember> membersInOrder(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path);

/// A JSON array of objects as a table: the union of the objects' keys in first-seen order, one
/// row per object. A cell is Undefined when that object lacks the key.
struct JsonTable
{
    QString path; // where the array sits: "participants", "call.segments"; "" for the body itself
    QStringList columns;
    QList<QList<QJsonValue>> rows;
};

/// The table for an array whose elements are all objects (an empty array gives an empty table);
/// nullopt when any element is not an object.
/// With keyOrder (from scanKeyOrder), columns follow document order; without it, each
/// object's keys come sorted (QJsonObject's order).
std::optional<JsonTable> tableFromArray(const QJsonArray &array, const QString &path = {},
                                        const KeyOrder &keyOrder = {});

/// Every array of objects inside root (objects are walked, tables are not), in document order.
QList<JsonTable> findTables(const QJsonValue &root, const KeyOrder &keyOrder = {});

/// A value whose key looks like an identifier.
struct Identifier
{
    QString path;  // "couponId", "coupon.code"
    QString value; // as text
};

/// id, uuid, code, key; *Id / *ID / *_id / *-id; *Code / *_code. Case-insensitive for the bare names.
bool isIdentifierKey(QStringView key);

/// Identifier-like keys holding a non-empty string or an integer, walking nested objects (not
/// arrays), in document order.
QList<Identifier> findIdentifiers(const QJsonValue &root, const KeyOrder &keyOrder = {});
/// The same for the top-level object's members, as membersInOrder() gives them.
QList<Identifier> findIdentifiers(const QList<JsonMember> &members, const KeyOrder &keyOrder);

/// "string", "number", "boolean", "null", "object", "array" (or "absent" for Undefined).
QString jsonTypeName(const QJsonValue &value);

/// Whether value has a profile field type: the names of jsonTypeName() plus "integer",
/// "array-of-objects" and "any".
bool jsonValueHasType(const QJsonValue &value, QStringView type);

/// The field types a profile may name.
QStringList knownFieldTypes();

} // namespace Events
