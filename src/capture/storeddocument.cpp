#include "capture/storeddocument.h"

#include <QtEndian>

#include <lz4.h>
#include <sqlite3.h>

#include <memory>

namespace Capture::StoredDocument {

namespace {

constexpr qsizetype headerSize = 4;
// A verdict is a few KiB; no document comes near this. Guards the allocation a damaged
// length would ask for.
constexpr qsizetype largestDocument = 64 * 1024 * 1024;

void sqlDocument(sqlite3_context *context, int, sqlite3_value **arguments)
{
    sqlite3_value *value = arguments[0];
    switch (sqlite3_value_type(value)) {
    case SQLITE_NULL:
        sqlite3_result_null(context);
        return;
    case SQLITE_BLOB: {
        const auto *bytes = static_cast<const char *>(sqlite3_value_blob(value));
        const QByteArray json = unpack(QByteArrayView(bytes, sqlite3_value_bytes(value)), true);
        if (json.isEmpty())
            sqlite3_result_null(context);
        else
            sqlite3_result_text64(context, json.constData(), sqlite3_uint64(json.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    default:
        sqlite3_result_value(context, value);
        return;
    }
}

} // namespace

QByteArray pack(QByteArrayView json, bool *isBlob)
{
    *isBlob = false;
    if (json.size() < packThreshold || json.size() > largestDocument)
        return json.toByteArray();
    const int bound = LZ4_compressBound(int(json.size()));
    QByteArray packed(headerSize + bound, Qt::Uninitialized);
    qToLittleEndian(quint32(json.size()), packed.data());
    // One stream per thread, reset without clearing its 16 KiB table (which the one-shot call
    // clears on every document); after the reset a block depends on nothing before it.
    struct StreamDeleter
    {
        void operator()(LZ4_stream_t *stream) const { LZ4_freeStream(stream); }
    };
    thread_local const std::unique_ptr<LZ4_stream_t, StreamDeleter> stream(LZ4_createStream());
    int size = 0;
    if (stream) {
        LZ4_resetStream_fast(stream.get());
        size = LZ4_compress_fast_continue(stream.get(), json.data(), packed.data() + headerSize, int(json.size()), bound, 1);
    } else {
        size = LZ4_compress_default(json.data(), packed.data() + headerSize, int(json.size()), bound);
    }
    if (size <= 0)
        return json.toByteArray();
    packed.truncate(headerSize + size);
    *isBlob = true;
    return packed;
}

QByteArray unpack(QByteArrayView stored, bool isBlob, QByteArray *error)
{
    if (!isBlob)
        return stored.toByteArray();
    if (stored.size() < headerSize) {
        if (error)
            *error = "a stored document of " + QByteArray::number(stored.size()) + " bytes has no length";
        return {};
    }
    const qsizetype size = qFromLittleEndian<quint32>(stored.data());
    if (size == 0 || size > largestDocument) {
        if (error)
            *error = "a stored document claims " + QByteArray::number(size) + " bytes";
        return {};
    }
    QByteArray json(size, Qt::Uninitialized);
    const int unpacked = LZ4_decompress_safe(stored.data() + headerSize, json.data(), int(stored.size() - headerSize), int(size));
    if (unpacked != size) {
        if (error)
            *error = "a stored document of " + QByteArray::number(size) + " bytes is damaged";
        return {};
    }
    return json;
}

int registerSqlFunction(sqlite3 *database)
{
    return sqlite3_create_function_v2(database, "hookscope_document", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      &sqlDocument, nullptr, nullptr, nullptr);
}

} // namespace Capture::StoredDocument
