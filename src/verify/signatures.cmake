# draft-cavage and RFC 9421 signatures, verdicts, policies and diagnoses (included by CMakeLists.txt)
target_sources(hookscope_verify PRIVATE
    verdict.h verdict.cpp
    policy.h policy.cpp
    verifierinput.h verifierinput.cpp
    verifiercontext.h verifiercontext.cpp
    cavageparameters.h cavageparameters.cpp
    cavagesigningstring.h cavagesigningstring.cpp
    cavageverifier.h cavageverifier.cpp
    messagesignature.h messagesignature.cpp
    messagesignaturebase.h messagesignaturebase.cpp
    messagesignatureverifier.h messagesignatureverifier.cpp
    diagnosis.h diagnosis.cpp
    verifier.h verifier.cpp
)
