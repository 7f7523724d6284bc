/*
 * conio.h -- the Microsoft CRT's console keyboard, for wsaevents (Linux/macOS): the
 * "press a key to stop" loops of console servers.
 *
 *   _kbhit   non-zero when a key is waiting (on a terminal, keys arrive one at a time,
 *            without Enter; from a pipe or file, while unread bytes remain)
 *   _getch   the next key, without echo (blocks); EOF (-1) at the end of a pipe or file
 *   _getche  the same, echoed
 *   _putch   writes a character to the console
 *
 * On a terminal the first call turns line editing and echo off for standard input; the
 * terminal's settings come back when the process exits.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <conio.h>.
 */
#ifndef WSAEVENTS_CONIO_H
#define WSAEVENTS_CONIO_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  if defined(_MSC_VER) && !defined(__clang__)
#    error "wsaevents/include is for Linux/macOS: do not put it on MSVC's include path"
#  endif
#  include_next <conio.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#ifdef __cplusplus
extern "C" {
#endif

int _kbhit(void);
int _getch(void);
int _getche(void);
int _putch(int c);

#ifdef __cplusplus
} /* extern "C" */
#endif

#define kbhit _kbhit
#define getch _getch
#define getche _getche
#define putch _putch

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_CONIO_H */
