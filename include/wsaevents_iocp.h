/*
 * wsaevents_iocp.h -- I/O completion ports for wsaevents (Linux/macOS):
 * CreateIoCompletionPort, GetQueuedCompletionStatus(Ex), PostQueuedCompletionStatus,
 * SetFileCompletionNotificationModes; CloseHandle closes a port.
 *
 * Internal to the wsaevents compat headers: included by windows.h (include <windows.h> or
 * <winsock2.h> instead). A SOCKET is associated as (HANDLE)s, as on Windows. Packets are
 * dequeued first in, first out; waiting threads are woken last in, first out;
 * NumberOfConcurrentThreads is accepted but not enforced (docs/semantics.md, "Completion
 * ports"). A NULL out-pointer gives FALSE with ERROR_INVALID_PARAMETER (Windows faults).
 */
#ifndef WSAEVENTS_IOCP_H
#define WSAEVENTS_IOCP_H

#if defined(_WIN32) && (defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER))
#  error "wsaevents_iocp.h is for Linux/macOS only"
#endif

#include "wsaevents_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef WSAEVENTS_OVERLAPPED_DEFINED
#  define WSAEVENTS_OVERLAPPED_DEFINED
/* Windows' layout and member names (the same definition as wsaevents_wsaext.h's). */
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

/* One packet of GetQueuedCompletionStatusEx (Windows' layout). Internal is the
 * operation's NTSTATUS (0: success; posted packets are 0). */
typedef struct _OVERLAPPED_ENTRY {
    ULONG_PTR lpCompletionKey;
    LPOVERLAPPED lpOverlapped;
    ULONG_PTR Internal;
    DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY, *LPOVERLAPPED_ENTRY;

/* SetFileCompletionNotificationModes flags. */
#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE 0x2
#define FILE_SKIP_SET_USER_EVENT_ON_FAST_IO 0x4

#ifndef ERROR_ABANDONED_WAIT_0
#  define ERROR_ABANDONED_WAIT_0 735
#endif
#ifndef ERROR_NETNAME_DELETED
#  define ERROR_NETNAME_DELETED 64
#endif
#ifndef ERROR_CONNECTION_REFUSED
#  define ERROR_CONNECTION_REFUSED 1225
#endif
#ifndef ERROR_CONNECTION_ABORTED
#  define ERROR_CONNECTION_ABORTED 1236
#endif

/** CreateIoCompletionPort: (INVALID_HANDLE_VALUE, NULL, 0, n) creates a port; ((HANDLE)s,
 *  port, key, 0) associates socket s with port under key and returns port (a NULL port:
 *  a new one). NULL on failure: ERROR_INVALID_PARAMETER (a socket already associated, or
 *  INVALID_HANDLE_VALUE with an existing port), ERROR_INVALID_HANDLE (not a socket, not a
 *  port). */
HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                     ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads);
/** GetQueuedCompletionStatus: TRUE with a packet; FALSE with *lpOverlapped non-NULL and the
 *  operation's error for a failed operation; FALSE with *lpOverlapped NULL and WAIT_TIMEOUT
 *  (258), ERROR_ABANDONED_WAIT_0 (735: the port was closed during the wait) or
 *  ERROR_INVALID_HANDLE. */
BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                      ULONG_PTR *lpCompletionKey, LPOVERLAPPED *lpOverlapped,
                                      DWORD dwMilliseconds);
/** GetQueuedCompletionStatusEx: up to ulCount packets, TRUE with *ulNumEntriesRemoved set;
 *  FALSE with WAIT_TIMEOUT, WAIT_IO_COMPLETION (fAlertable: a completion routine ran),
 *  ERROR_INVALID_PARAMETER (ulCount 0), ERROR_ABANDONED_WAIT_0, ERROR_INVALID_HANDLE. */
BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                        LPOVERLAPPED_ENTRY lpCompletionPortEntries, ULONG ulCount,
                                        PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                        BOOL fAlertable);
/** PostQueuedCompletionStatus: queues a packet (lpOverlapped is carried, never read). */
BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                       ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped);
/** SetFileCompletionNotificationModes: FILE_SKIP_COMPLETION_PORT_ON_SUCCESS,
 *  FILE_SKIP_SET_EVENT_ON_HANDLE, FILE_SKIP_SET_USER_EVENT_ON_FAST_IO on a socket; other
 *  bits ERROR_INVALID_PARAMETER. */
BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WSAEVENTS_IOCP_H */
