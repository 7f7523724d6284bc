/*
 * process.h -- the Microsoft CRT's thread functions, for wsaevents (Linux/macOS).
 *
 *   _beginthreadex: CreateThread with the CRT's types: a thread handle (a uintptr_t) that
 *     WaitForSingleObject / WaitForMultipleObjects wait on and CloseHandle closes, or 0 with
 *     errno set (EINVAL for a NULL start routine, EAGAIN when no thread can be created);
 *     initflag CREATE_SUSPENDED starts it suspended until ResumeThread.
 *   _endthreadex: ends the calling thread with its exit code (GetExitCodeThread).
 *   _beginthread: a thread whose handle closes itself when the thread ends, as on Windows
 *     (so do not wait on it); -1 (as a uintptr_t) with errno on failure. _endthread ends it.
 *   _getpid: the process id.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <process.h>.
 */
#ifndef WSAEVENTS_PROCESS_H
#define WSAEVENTS_PROCESS_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  if defined(_MSC_VER) && !defined(__clang__)
#    error "wsaevents/include is for Linux/macOS: do not put it on MSVC's include path"
#  endif
#  include_next <process.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#include "wsaevents_win32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned(__stdcall *wsaevents_beginthreadex_proc)(void *);
typedef void(__cdecl *wsaevents_beginthread_proc)(void *);

uintptr_t __cdecl _beginthreadex(void *security, unsigned stack_size,
                                 wsaevents_beginthreadex_proc start_address, void *arglist,
                                 unsigned initflag, unsigned *thrdaddr);
uintptr_t __cdecl _beginthread(wsaevents_beginthread_proc start_address, unsigned stack_size,
                               void *arglist);

/** _endthreadex: ends the calling thread with retval (see ExitThread). */
WSAEVENTS_NORETURN WSAEVENTS_STATIC_INLINE void _endthreadex(unsigned retval)
{
    ExitThread(retval);
}
/** _endthread: ends the calling thread (exit code 0). */
WSAEVENTS_NORETURN WSAEVENTS_STATIC_INLINE void _endthread(void)
{
    ExitThread(0);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#define _getpid() ((int)GetCurrentProcessId())

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_PROCESS_H */
