#pragma once

#include <QByteArray>
#include <QByteArrayView>

struct sqlite3;

namespace Capture {

/// The verdict and event documents of capture_analysis as stored (schema 3). A document of at
/// least packThreshold bytes is an LZ4 block behind its length (4 bytes, little endian), stored
/// as a BLOB; a shorter one is its JSON text, stored as TEXT, as every document was in schema 2.
/// The verdict JSON is about 3 KiB and packs to about 1.3 KiB: written as text it filled a page
/// of its own per capture, which the writer and then the checkpoint copied for every capture.
namespace StoredDocument {

constexpr qsizetype packThreshold = 256;

/// The stored form: packed when json is long enough (isBlob set), else json itself.
QByteArray pack(QByteArrayView json, bool *isBlob);

/// The JSON text of a stored value. A BLOB that is not a packed document gives an empty array
/// and, when error is set, says why.
QByteArray unpack(QByteArrayView stored, bool isBlob, QByteArray *error = nullptr);

/// Adds the SQL function hookscope_document(value) to a connection: the JSON text of a stored
/// document (TEXT as it is, a packed BLOB unpacked, NULL for NULL or a damaged BLOB), so that
/// SQL's JSON functions can read it. Returns SQLite's result code.
int registerSqlFunction(sqlite3 *database);

} // namespace StoredDocument

} // namespace Capture
