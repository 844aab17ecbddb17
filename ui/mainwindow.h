#pragma once

#include <QMainWindow>

/// The main window: listener address and the live list of captures.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};
