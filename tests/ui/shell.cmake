# Shell tests: the filter language, the capture list model and proxy, the main window.
hookscope_add_test(tst_capturefilter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_capturefilter.cpp LIBS hookscope_capture)
hookscope_add_test(tst_capturelistmodel GUI SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_capturelistmodel.cpp LIBS hookscope_ui)
hookscope_add_test(tst_mainwindow GUI SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_mainwindow.cpp LIBS hookscope_ui)
# The GUI benchmark (tests/bench/gui): built with the tests, run by tests/bench/gui/run.sh.
add_executable(hookscope_guibench ${PROJECT_SOURCE_DIR}/tests/bench/gui/guibench.cpp)
target_link_libraries(hookscope_guibench PRIVATE hookscope_ui)
