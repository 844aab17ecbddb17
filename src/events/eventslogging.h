#pragma once

#include <QLoggingCategory>

namespace Events {

Q_DECLARE_LOGGING_CATEGORY(lcEvents) // "hookscope.events"

} // namespace Events
