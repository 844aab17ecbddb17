#include "endpointconfig.h"

#include <QJsonArray>

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList fromArray(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

} // namespace

QJsonObject EndpointConfig::toJson() const
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("bind"), bindAddress},
        {QStringLiteral("port"), int(port)},
        {QStringLiteral("https"), https},
        {QStringLiteral("certificate"), certificateFile},
        {QStringLiteral("key"), keyFile},
        {QStringLiteral("responseStatus"), responseStatus},
        {QStringLiteral("policy"), policy},
        {QStringLiteral("keySources"), toArray(keySources)},
        {QStringLiteral("secrets"), toArray(secrets)},
        {QStringLiteral("enabled"), enabled},
    };
}

EndpointConfig EndpointConfig::fromJson(const QJsonObject &object)
{
    EndpointConfig c;
    c.name = object.value(QStringLiteral("name")).toString(c.name);
    c.bindAddress = object.value(QStringLiteral("bind")).toString(c.bindAddress);
    c.port = quint16(object.value(QStringLiteral("port")).toInt(c.port));
    c.https = object.value(QStringLiteral("https")).toBool();
    c.certificateFile = object.value(QStringLiteral("certificate")).toString();
    c.keyFile = object.value(QStringLiteral("key")).toString();
    c.responseStatus = object.value(QStringLiteral("responseStatus")).toInt(c.responseStatus);
    c.policy = object.value(QStringLiteral("policy")).toString(c.policy);
    c.keySources = fromArray(object.value(QStringLiteral("keySources")));
    c.secrets = fromArray(object.value(QStringLiteral("secrets")));
    c.enabled = object.value(QStringLiteral("enabled")).toBool(true);
    return c;
}

Http::ListenerOptions EndpointConfig::listenerOptions(const Http::ParserLimits &limits, const QString &dataDirectory) const
{
    Http::ListenerOptions o;
    o.endpoint = name;
    o.bindAddress = QHostAddress(bindAddress);
    o.port = port;
    o.tls = !https ? Http::TlsMode::None : certificateFile.isEmpty() ? Http::TlsMode::SelfSigned : Http::TlsMode::Files;
    o.tlsCertificateFile = certificateFile;
    o.tlsKeyFile = keyFile;
    o.dataDirectory = dataDirectory;
    o.limits = limits;
    o.responseStatus = responseStatus;
    return o;
}

QString EndpointConfig::url() const
{
    const QString host = bindAddress.contains(QLatin1Char(':')) ? u'[' + bindAddress + u']' : bindAddress;
    return (https ? QStringLiteral("https://") : QStringLiteral("http://")) + host + u':' + QString::number(port) + u'/';
}
