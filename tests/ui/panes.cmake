# Offscreen tests of the detail panes and the keys manager.
hookscope_add_test(tst_panesmodels GUI SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_panesmodels.cpp LIBS hookscope_ui)
hookscope_add_test(tst_detailpanes GUI SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_detailpanes.cpp LIBS hookscope_ui)
hookscope_add_test(tst_keysmanager GUI SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_keysmanager.cpp LIBS hookscope_ui)
