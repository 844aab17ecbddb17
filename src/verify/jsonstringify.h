#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <expected>

namespace Verify {

/// How to re-serialize a JSON text the way JavaScript's JSON.stringify would.
struct JsonStringifyOptions
{
    int indent = 0;        // JSON.stringify(x, null, indent); 0 = compact
    bool sortKeys = false; // sort object keys (by UTF-16 code units) instead of JS property order
};

// JSON.stringify(JSON.parse(json)) with exact JavaScript semantics: keys in source order except
// integer-like keys ("0".."4294967294") first in ascending numeric order (ECMA-262
// OrdinaryOwnPropertyKeys), duplicate keys keep the first position with the last value, numbers
// formatted like Number::toString (ECMA-262 §6.1.6.1.20), strings escaped like
// QuoteJSONString (only ", \, control characters, lone surrogates; other text left as UTF-8).
// Fails with a sentence when json is not valid JSON (RFC 8259).
std::expected<QByteArray, QString> jsonStringify(QByteArrayView json, const JsonStringifyOptions &options = {});

// Number::toString for a double, as JavaScript prints it ("1e+21", "0.1", "-0" prints "0").
QByteArray formatJsNumber(double value);

} // namespace Verify
