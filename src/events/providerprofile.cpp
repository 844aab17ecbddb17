#include "events/providerprofile.h"

namespace Events {

QString confidenceName(Confidence confidence)
{
    switch (confidence) {
    case Confidence::None: break;
    case Confidence::Low: return QStringLiteral("low");
    case Confidence::Medium: return QStringLiteral("medium");
    case Confidence::High: return QStringLiteral("high");
    case Confidence::Certain: return QStringLiteral("certain");
    }
    return QStringLiteral("none");
}

QString normalizedName(QStringView name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name) {
        if (c == u' ' || c == u'_' || c == u'.' || c == u'-' || c == u':' || c == u'/')
            continue;
        out.append(c.toLower());
    }
    return out;
}

const EventTypeSpec *ProviderProfile::eventType(QStringView nameOrId) const
{
    const QString wanted = normalizedName(nameOrId);
    for (const EventTypeSpec &event : events) {
        if (normalizedName(event.name) == wanted || normalizedName(event.id) == wanted)
            return &event;
    }
    return nullptr;
}

} // namespace Events
