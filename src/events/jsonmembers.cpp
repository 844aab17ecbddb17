#include "events/jsonmembers.h"

#include "events/summarytemplate.h"

#include <algorithm>

namespace Events {

JsonMembers::JsonMembers(const QJsonObject &object, const KeyOrder &keyOrder, const QString &path)
    : m_members(membersInOrder(object, keyOrder, path))
{
}

QJsonValue JsonMembers::value(QStringView key) const
{
    const auto it = std::find_if(m_members.cbegin(), m_members.cend(), [key](const JsonMember &member) { return member.key == key; });
    return it == m_members.cend() ? QJsonValue(QJsonValue::Undefined) : it->value;
}

QJsonValue JsonMembers::valueAtPath(QStringView path) const
{
    const qsizetype dot = path.indexOf(u'.');
    if (dot < 0)
        return value(path);
    const QJsonValue first = value(path.first(dot));
    return first.isObject() ? Events::valueAtPath(first.toObject(), path.sliced(dot + 1)) : QJsonValue(QJsonValue::Undefined);
}

} // namespace Events
