/*
 * wsaevents_overlapped.h -- the kernel32 side of overlapped I/O in wsaevents (Linux/macOS):
 * OVERLAPPED, HasOverlappedIoCompleted, GetOverlappedResult, CancelIo, CancelIoEx, SleepEx,
 * QueueUserAPC, GetCurrentThread, WaitForSingleObjectEx, and STATUS_PENDING,
 * ERROR_NOT_FOUND, ERROR_NETNAME_DELETED. (WSARecv/WSASend with an OVERLAPPED and
 * WSAGetOverlappedResult are in winsock2.h.)
 *
 * Internal to the wsaevents compat headers: included by windows.h and winsock2.h.
 *
 * Semantics (docs/semantics.md, "Overlapped I/O"): Internal is STATUS_PENDING (0x103) while
 * the operation is pending, then its NTSTATUS; InternalHigh the bytes. Completion routines
 * and APCs run only in an alertable wait of the thread that issued / was targeted
 * (SleepEx, WaitForSingleObjectEx, WaitForMultipleObjectsEx, WSAWaitForMultipleEvents with
 * bAlertable TRUE), which then returns WAIT_IO_COMPLETION; a signalled object takes
 * priority. GetOverlappedResult with a NULL OVERLAPPED gives FALSE with
 * ERROR_INVALID_PARAMETER (Windows faults).
 */
#ifndef WSAEVENTS_OVERLAPPED_H
#define WSAEVENTS_OVERLAPPED_H

#if defined(_WIN32) && (defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER))
#  error "wsaevents_overlapped.h is for Linux/macOS only"
#endif

#include "wsaevents_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef WSAEVENTS_OVERLAPPED_DEFINED
#  define WSAEVENTS_OVERLAPPED_DEFINED
/* Windows' layout and member names (ov.Offset, ov.Pointer): anonymous members, which
 * __extension__ keeps quiet under -Wpedantic in C99 and C++. */
typedef struct _OVERLAPPED {
    ULONG_PTR Internal;
    ULONG_PTR InternalHigh;
    __extension__ union {
        __extension__ struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        LPVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;
#endif

#ifndef STATUS_PENDING
#  define STATUS_PENDING ((DWORD)0x00000103L)
#endif
/* HasOverlappedIoCompleted (winbase.h): a macro reading Internal, as Windows'. */
#define HasOverlappedIoCompleted(lpOverlapped) (((DWORD)(lpOverlapped)->Internal) != STATUS_PENDING)

#define ERROR_NETNAME_DELETED 64
#define ERROR_MORE_DATA 234
#define ERROR_NOT_FOUND 1168

typedef void(WINAPI *PAPCFUNC)(ULONG_PTR Parameter);

/** GetOverlappedResult: TRUE with the bytes, or FALSE with ERROR_IO_INCOMPLETE (996, pending
 *  and bWait FALSE), ERROR_NETNAME_DELETED (64, after a RST), ERROR_OPERATION_ABORTED (995). */
BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
/** CancelIo: the calling thread's pending operations on the socket complete aborted. */
BOOL WINAPI CancelIo(HANDLE hFile);
/** CancelIoEx: one operation (by its OVERLAPPED) or all (NULL); FALSE with ERROR_NOT_FOUND
 *  if none was pending. */
BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);
/** SleepEx: 0, or WAIT_IO_COMPLETION after the thread's queued routines ran (alertable). */
DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);
/** QueueUserAPC: hThread is GetCurrentThread() or a thread created by CreateThread. */
DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData);
/** GetCurrentThread: the pseudo-handle (HANDLE)-2. */
HANDLE WINAPI GetCurrentThread(void);
DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WSAEVENTS_OVERLAPPED_H */
