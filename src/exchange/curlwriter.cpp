#include "exchange/curlwriter.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace Exchange {

namespace {

// A Host value safe to put unquoted into ${BASE_URL:-http://HOST} (reg-name, IPv4, IP-literal
// and port characters, RFC 3986 §3.2.2); anything else falls back to localhost.
bool isPlainHost(QByteArrayView host)
{
    if (host.isEmpty())
        return false;
    for (const char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                     || c == ':' || c == '[' || c == ']' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

CurlWriter::CurlWriter(QString scriptName)
    : m_scriptName(std::move(scriptName))
{
}

QByteArray CurlWriter::shellQuote(QByteArrayView text)
{
    QByteArray quoted = "'";
    for (const char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + '\'';
}

void CurlWriter::add(const Http::CapturedRequest &request)
{
    ++m_count;
    const QByteArray id = request.id > 0 ? QByteArray::number(request.id) : QByteArray::number(m_count);
    const Http::HeaderField *host = request.header("host");
    const QByteArray defaultBase = QByteArray(request.isTls() ? "https://" : "http://")
                                 + (host && isPlainHost(host->value) ? host->value : QByteArrayLiteral("localhost"));
    const QByteArrayView body = request.bodyView();

    QByteArray command = "\n# capture " + id + ": " + request.method + ' '
                       + request.target.left(200).replace('\n', ' ').replace('\r', ' ') + '\n';
    command += "base=${BASE_URL:-" + defaultBase + "}; base=${base%/}\n";
    command += "curl $CURL_OPTIONS ";
    command += request.version == "HTTP/1.0" ? "--http1.0" : "--http1.1";
    command += " --silent --show-error --globoff --path-as-is --output /dev/null --write-out "
             + shellQuote(QByteArray(id + ": %{http_code}\\n")) + " \\\n";
    command += "  --request " + shellQuote(request.method) + " \\\n";
    for (const Http::HeaderField &field : request.headers) {
        // curl syntax: "Name;" sends an empty field, "Name:" would remove one.
        const QByteArray header = field.value.isEmpty() ? QByteArray(field.name + ';') : QByteArray(field.name + ": " + field.value);
        command += "  -H " + shellQuote(header) + " \\\n";
    }
    // Fields curl adds on its own unless told not to (an empty "Name:" removes them).
    QList<QByteArray> suppressed{QByteArrayLiteral("Host"), QByteArrayLiteral("User-Agent"), QByteArrayLiteral("Accept")};
    if (!body.isEmpty())
        suppressed << QByteArrayLiteral("Content-Type") << QByteArrayLiteral("Expect");
    for (const QByteArray &name : std::as_const(suppressed)) {
        if (!request.header(name))
            command += "  -H " + shellQuote(QByteArray(name + ':')) + " \\\n";
    }
    if (!body.isEmpty()) {
        const QString relative = m_scriptName + QStringLiteral(".bodies/") + QString::fromLatin1(id) + QStringLiteral(".bin");
        m_bodies.append({relative, body.toByteArray()});
        command += "  --data-binary @\"$here\"/" + shellQuote(relative.toUtf8()) + " \\\n";
    }
    if (request.target.startsWith('/')) {
        command += "  \"$base\"" + shellQuote(request.target) + '\n';
    } else {
        // absolute-form, authority-form or "*": curl sends it as given (RFC 9112 §3.2)
        command += "  --request-target " + shellQuote(request.target) + " \"$base/\"\n";
    }
    m_commands += command;
}

QByteArray CurlWriter::script() const
{
    return "#!/bin/sh\n"
           "# Written by hookscope " HOOKSCOPE_VERSION ": " + QByteArray::number(m_count) + " captured request(s) sent again with curl,\n"
           "# each with its method, target, header fields in order and exact body bytes.\n"
           "# BASE_URL=http://127.0.0.1:8080 sh SCRIPT sends them there (default: each request's Host).\n"
           "# CURL_OPTIONS='--insecure' adds options to every curl command.\n"
           "# Each command prints 'ID: STATUS'.\n"
           "set -e\n"
           "here=$(dirname -- \"$0\")\n"
           + m_commands;
}

std::expected<void, QString> CurlWriter::writeTo(const QString &path) const
{
    const QDir folder = QFileInfo(path).absoluteDir();
    if (!m_bodies.isEmpty() && !folder.mkpath(m_scriptName + QStringLiteral(".bodies")))
        return std::unexpected(QStringLiteral("cannot create the folder %1").arg(folder.filePath(m_scriptName + QStringLiteral(".bodies"))));
    for (const BodyFile &body : m_bodies) {
        QSaveFile file(folder.filePath(body.relativePath));
        if (!file.open(QIODevice::WriteOnly) || file.write(body.bytes) != body.bytes.size() || !file.commit())
            return std::unexpected(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    }
    QSaveFile file(path);
    const QByteArray text = script();
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        return std::unexpected(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                    | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther);
    return {};
}

} // namespace Exchange
