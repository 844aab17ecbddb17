#include "cli/exportcommand.h"

#include "capture/storereader.h"
#include "exchange/capturejson.h"
#include "exchange/curlwriter.h"
#include "exchange/harwriter.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cstdio>

namespace Cli {

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "hookscope export: %s\n", qPrintable(message));
    return 2;
}

QJsonObject parseJsonObject(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(bytes).object();
}

/// Writes to PATH (atomically) or to stdout when path is empty.
bool writeOut(const QString &path, const QByteArray &bytes, QString *error)
{
    if (path.isEmpty()) {
        if (std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout) != size_t(bytes.size())) {
            *error = QStringLiteral("cannot write to standard output");
            return false;
        }
        std::fflush(stdout);
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Writes captures from a store.\n"
        "raw: the request bytes exactly as received; one --id to stdout or PATH, several (or none: all) as PATH/ID.http.\n"
        "har: one HAR 1.2 document with the chosen captures (all without --id), to stdout or PATH. Headers keep\n"
        "  their order, case and duplicates; a body that is not UTF-8 is written base64 with \"encoding\": \"base64\"\n"
        "  in postData; Hookscope's own facts (id, endpoint, remoteAddress, verification verdict, rejected) are\n"
        "  under \"_hookscope\" in each entry.\n"
        "curl: a POSIX shell script of curl commands sending each request again with its method, target, header\n"
        "  fields in order and exact body bytes (--data-binary @FILE). -o PATH names the script; the bodies go to\n"
        "  PATH.bodies/ID.bin beside it (without -o the script goes to stdout, and only requests without a body\n"
        "  can be written). BASE_URL=http://host:port sh PATH sends them elsewhere (default: each request's Host);\n"
        "  CURL_OPTIONS adds curl options. Each command prints 'ID: STATUS'.\n"
        "jsonl: one JSON object per capture, as listen --json prints, to stdout or PATH."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("store"), QStringLiteral("The SQLite capture store."), QStringLiteral("FILE")},
        {QStringLiteral("format"), QStringLiteral("raw, har, curl or jsonl."), QStringLiteral("FORMAT")},
        {QStringLiteral("id"), QStringLiteral("A capture id (repeatable; default all)."), QStringLiteral("ID")},
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file (the script for curl), or folder for several raw captures."), QStringLiteral("PATH")},
    });
    if (!parser.parse(QStringList{QStringLiteral("hookscope export")} + arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (!parser.isSet(QStringLiteral("store")))
        return fail(QStringLiteral("--store FILE is required"));
    const QString format = parser.value(QStringLiteral("format"));
    if (format.isEmpty())
        return fail(QStringLiteral("--format is required (raw, har, curl or jsonl)"));
    if (format != QLatin1String("raw") && format != QLatin1String("jsonl") && format != QLatin1String("har")
        && format != QLatin1String("curl"))
        return fail(QStringLiteral("--format takes raw, har, curl or jsonl, not '%1'").arg(format));

    QList<qint64> ids;
    for (const QString &text : parser.values(QStringLiteral("id"))) {
        bool ok = false;
        const qint64 id = text.toLongLong(&ok);
        if (!ok || id <= 0)
            return fail(QStringLiteral("--id takes a capture id (a positive number), not '%1'").arg(text));
        ids.append(id);
    }

    auto reader = Capture::StoreReader::open(parser.value(QStringLiteral("store")));
    if (!reader)
        return fail(reader.error());
    const bool allIds = ids.isEmpty();
    if (allIds)
        ids = reader->ids();

    const QString output = parser.value(QStringLiteral("output"));
    QString error;
    if (format == QLatin1String("raw")) {
        if (ids.size() == 1 && !allIds) {
            const auto capture = reader->load(ids.first());
            if (!capture)
                return fail(QStringLiteral("no capture with id %1 in the store").arg(ids.first()));
            return writeOut(output, capture->request.raw, &error) ? 0 : fail(error);
        }
        if (output.isEmpty())
            return fail(QStringLiteral("several raw captures need -o FOLDER (one ID.http file each)"));
        if (!QDir().mkpath(output))
            return fail(QStringLiteral("cannot create the folder %1").arg(output));
        for (qint64 id : std::as_const(ids)) {
            const auto capture = reader->load(id);
            if (!capture)
                return fail(QStringLiteral("no capture with id %1 in the store").arg(id));
            if (!writeOut(QDir(output).filePath(QString::number(id) + QStringLiteral(".http")), capture->request.raw, &error))
                return fail(error);
        }
        return 0;
    }

    if (format == QLatin1String("har")) {
        Exchange::HarWriter har;
        for (qint64 id : std::as_const(ids)) {
            const auto capture = reader->load(id);
            if (!capture)
                return fail(QStringLiteral("no capture with id %1 in the store").arg(id));
            har.add(*capture);
        }
        return writeOut(output, har.toJson(), &error) ? 0 : fail(error);
    }
    if (format == QLatin1String("curl")) {
        Exchange::CurlWriter curl(output.isEmpty() ? QStringLiteral("replay.sh") : QFileInfo(output).fileName());
        for (qint64 id : std::as_const(ids)) {
            const auto capture = reader->load(id);
            if (!capture)
                return fail(QStringLiteral("no capture with id %1 in the store").arg(id));
            curl.add(capture->request);
        }
        if (!output.isEmpty()) {
            const auto written = curl.writeTo(output);
            return written ? 0 : fail(written.error());
        }
        if (!curl.bodies().isEmpty())
            return fail(QStringLiteral("the curl script needs -o PATH: the request bodies are written beside it as PATH.bodies/ID.bin"));
        return writeOut(QString(), curl.script(), &error) ? 0 : fail(error);
    }

    // jsonl: stream line by line so a large store never sits in memory at once.
    std::unique_ptr<QFile> file;
    if (!output.isEmpty()) {
        file = std::make_unique<QFile>(output);
        if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot write %1: %2").arg(output, file->errorString()));
    }
    for (qint64 id : std::as_const(ids)) {
        const auto capture = reader->load(id);
        if (!capture)
            return fail(QStringLiteral("no capture with id %1 in the store").arg(id));
        QByteArray line = QJsonDocument(Exchange::captureToJson(capture->request,
                                                                parseJsonObject(capture->annotation.verificationJson),
                                                                parseJsonObject(capture->annotation.eventJson)))
                              .toJson(QJsonDocument::Compact);
        line += '\n';
        if (file ? file->write(line) != line.size() : !writeOut(QString(), line, &error))
            return fail(file ? QStringLiteral("cannot write %1").arg(output) : error);
    }
    return 0;
}

} // namespace Cli
