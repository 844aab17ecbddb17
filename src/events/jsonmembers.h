#pragma once

#include "events/payload.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringView>

namespace Events {

/// One JSON object's members in document order, for reading many paths from it. A key is found
/// by comparing it with the keys at hand: QJsonObject's binary search costs several times more
/// on the small objects webhooks carry, and one decoding reads some twenty paths.
class JsonMembers final
{
public:
    JsonMembers() = default;
    JsonMembers(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path = {});

    const QList<JsonMember> &inOrder() const { return m_members; }

    /// The member's value; Undefined when absent.
    QJsonValue value(QStringView key) const;
    /// As Events::valueAtPath() on the object.
    QJsonValue valueAtPath(QStringView path) const;

private:
    QList<JsonMember> m_members;
};

} // namespace Events
