#pragma once

#include <QByteArray>
#include <QWidget>

class HexView;
class JsonTreeModel;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;

/// The Body tab: pretty JSON with highlighting, a collapsible tree, the raw text and a hex
/// view. Bodies over PrettyLimit skip the JSON views; bodies over TextLimit open in hex.
class BodyPane final : public QWidget
{
    Q_OBJECT
public:
    static constexpr qsizetype PrettyLimit = 4 * 1024 * 1024;
    static constexpr qsizetype TextLimit = 1024 * 1024;
    enum class View { Pretty, Tree, Text, Hex };

    explicit BodyPane(QWidget *parent = nullptr);

    void setBody(const QByteArray &body, const QByteArray &contentType = {});
    void clear();

    bool isJson() const { return m_isJson; }
    View currentView() const;
    void setCurrentView(View view);
    JsonTreeModel *treeModel() const { return m_treeModel; }
    HexView *hexView() const { return m_hex; }
    QPlainTextEdit *prettyEdit() const { return m_pretty; }
    QPlainTextEdit *textEdit() const { return m_text; }

private:
    QTabWidget *m_tabs = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_pretty = nullptr;
    QTreeView *m_tree = nullptr;
    JsonTreeModel *m_treeModel = nullptr;
    QPlainTextEdit *m_text = nullptr;
    HexView *m_hex = nullptr;
    bool m_isJson = false;
};
