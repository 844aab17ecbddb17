#include "events/eventslogging.h"

namespace Events {

Q_LOGGING_CATEGORY(lcEvents, "hookscope.events")

} // namespace Events
