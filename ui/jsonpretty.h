#pragma once

#include <QByteArray>
#include <QByteArrayView>

/// Re-indents valid JSON text without parsing it into Qt's JSON classes, so key order,
/// duplicate keys and the spelling of numbers and strings stay exactly as received.
namespace JsonPretty {

QByteArray indent(QByteArrayView json, int width = 2);

} // namespace JsonPretty
