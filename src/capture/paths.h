#pragma once

#include <QString>

namespace Capture {

/// The per-user data folder (captures, generated TLS certificate, emulator keys):
/// $XDG_DATA_HOME/hookscope, shared by the GUI and the headless commands.
QString dataDirectory();
/// The default capture store inside dataDirectory().
QString defaultStorePath();

} // namespace Capture
