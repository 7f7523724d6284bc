//! The C ABI: Winsock- and Win32-named functions with Windows' return conventions, for C and
//! C++ programs built against the headers in `include/`.
