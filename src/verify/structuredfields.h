#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <expected>
#include <optional>
#include <utility>

namespace Verify {

// RFC 8941 Structured Field Values for HTTP: parser (§4.2) and serializer (§4.1).

/// The type of an RFC 8941 bare item (§3.3).
enum class SfType { Integer, Decimal, String, Token, ByteSequence, Boolean };

/// One RFC 8941 bare item (§3.3); `type` says which member holds the value.
struct SfBareItem
{
    SfType type = SfType::Boolean;
    qint64 integer = 0;   // Integer (§3.3.1), -999,999,999,999,999 ..= 999,999,999,999,999
    double decimal = 0.0; // Decimal (§3.3.2), at most 12 integer and 3 fractional digits
    QByteArray text;      // String (unescaped, printable ASCII), Token, or ByteSequence (decoded bytes)
    bool boolean = true;  // Boolean (§3.3.6)

    static SfBareItem makeInteger(qint64 value);
    static SfBareItem makeDecimal(double value);
    static SfBareItem makeString(const QByteArray &value);
    static SfBareItem makeToken(const QByteArray &value);
    static SfBareItem makeByteSequence(const QByteArray &bytes);
    static SfBareItem makeBoolean(bool value);

    /// The value as a human-readable string, for messages ("123", "\"abc\"", ":AQID:", "?1").
    QString toDisplayString() const;

    friend bool operator==(const SfBareItem &, const SfBareItem &) = default;
};

/// Ordered parameters (§3.1.2). Parsing a duplicate key overwrites the value in the first
/// key's position (§4.2.3.2: "overwriting any existing value with the same name").
struct SfParameters
{
    QList<std::pair<QByteArray, SfBareItem>> entries;

    const SfBareItem *find(QByteArrayView key) const;
    bool contains(QByteArrayView key) const { return find(key) != nullptr; }
    void set(const QByteArray &key, const SfBareItem &value); // overwrite in place or append
    bool isEmpty() const { return entries.isEmpty(); }

    friend bool operator==(const SfParameters &, const SfParameters &) = default;
};

/// An Item: a bare item with parameters (§3.3).
struct SfItem
{
    SfBareItem bare;
    SfParameters parameters;

    friend bool operator==(const SfItem &, const SfItem &) = default;
};

/// An Inner List: items with parameters of its own (§3.1.1).
struct SfInnerList
{
    QList<SfItem> items;
    SfParameters parameters;

    friend bool operator==(const SfInnerList &, const SfInnerList &) = default;
};

/// A List member or Dictionary value: either an Item or an Inner List (§3.1, §3.2).
struct SfMember
{
    bool isInnerList = false;
    SfItem item;           // when !isInnerList
    SfInnerList innerList; // when isInnerList

    static SfMember fromItem(const SfItem &item);
    static SfMember fromInnerList(const SfInnerList &list);
    const SfParameters &parameters() const { return isInnerList ? innerList.parameters : item.parameters; }

    friend bool operator==(const SfMember &, const SfMember &) = default;
};

using SfList = QList<SfMember>;

/// An ordered Dictionary (§3.2); duplicate keys: the last value wins in the first key's position.
struct SfDictionary
{
    QList<std::pair<QByteArray, SfMember>> entries;

    const SfMember *find(QByteArrayView key) const;
    bool contains(QByteArrayView key) const { return find(key) != nullptr; }
    void set(const QByteArray &key, const SfMember &value); // overwrite in place or append
    QList<QByteArray> keys() const;
    bool isEmpty() const { return entries.isEmpty(); }

    friend bool operator==(const SfDictionary &, const SfDictionary &) = default;
};

/// Why parsing or serializing failed: the byte offset in the input and one sentence.
struct SfError
{
    qsizetype offset = 0;
    QString message;
    // Set when a Byte Sequence failed strict decoding (§4.2.7) but a lenient base64 decoder
    // (ignoring extra '=' or accepting base64url characters) would have produced these bytes.
    std::optional<QByteArray> lenientBytes;
};

// Parsing (§4.2). Leading and trailing spaces are discarded; several field lines must be joined
// with ", " by the caller first (§4.2). Parsing is strict: any deviation fails.
std::expected<SfItem, SfError> parseSfItem(QByteArrayView input);
std::expected<SfList, SfError> parseSfList(QByteArrayView input);
std::expected<SfDictionary, SfError> parseSfDictionary(QByteArrayView input);
// Parses a bare item at the start of input; *consumed gets the number of bytes used.
std::expected<SfBareItem, SfError> parseSfBareItem(QByteArrayView input, qsizetype *consumed = nullptr);

// Serialization (§4.1). Fails (with offset 0) on values the syntax cannot carry: an integer out
// of range, a string with non-printable characters, an invalid token or key.
std::expected<QByteArray, SfError> serializeSfBareItem(const SfBareItem &item);
std::expected<QByteArray, SfError> serializeSfParameters(const SfParameters &parameters);
std::expected<QByteArray, SfError> serializeSfItem(const SfItem &item);
std::expected<QByteArray, SfError> serializeSfInnerList(const SfInnerList &list);
std::expected<QByteArray, SfError> serializeSfMember(const SfMember &member);
std::expected<QByteArray, SfError> serializeSfList(const SfList &list);
std::expected<QByteArray, SfError> serializeSfDictionary(const SfDictionary &dictionary);

// Valid key (§3.1.2: lcalpha / "*" then lcalpha, digit, "_", "-", ".", "*") and token (§3.3.4).
bool isValidSfKey(QByteArrayView key);
bool isValidSfToken(QByteArrayView token);

} // namespace Verify
