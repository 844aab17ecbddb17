#pragma once

#include "capture/storereader.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QTextBrowser;
class QTreeWidget;
class SigningStringView;
class StringDiffBox;

/// The Signature tab: the explanation steps, the chosen signature's details and key, its exact
/// signing string linked to the raw header lines, and a box to diff the sender's string.
class SignaturePane final : public QWidget
{
    Q_OBJECT
public:
    explicit SignaturePane(QWidget *parent = nullptr);

    void setCapture(const Capture::StoredCapture &capture);
    void clear();

    int signatureCount() const { return int(m_signatures.size()); }
    void showSignature(int index);
    QTreeWidget *stepsView() const { return m_steps; }
    SigningStringView *signingStringView() const { return m_signingString; }
    StringDiffBox *diffBox() const { return m_diff; }
    QString detailsText() const;

private:
    Capture::StoredCapture m_capture;
    QJsonObject m_verification;
    QJsonArray m_signatures;
    QLabel *m_headline = nullptr;
    QComboBox *m_chooser = nullptr;
    QLabel *m_chooserLabel = nullptr;
    QTreeWidget *m_steps = nullptr;
    QTextBrowser *m_details = nullptr;
    SigningStringView *m_signingString = nullptr;
    StringDiffBox *m_diff = nullptr;
};
