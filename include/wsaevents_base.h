/*
 * wsaevents_base.h -- base Windows types and constants shared by windows.h and winsock2.h.
 *
 * Internal to the wsaevents compat headers (Linux/macOS only): include <windows.h> or
 * <winsock2.h> instead.
 *
 * Coexistence with the C library. glibc's <sys/types.h> (pulled in by <stdlib.h>,
 * <stdio.h>, ... in the default gnu modes) typedefs the BSD types u_char, u_short, u_int
 * and u_long -- with u_long = unsigned long, 64-bit on LP64. A second, different typedef
 * would break every program that includes a libc header after (or before) ours. So this
 * header includes <sys/types.h> first and never competes with it:
 *   - where the C library defines the BSD types, its definitions are used as they are;
 *   - where it does not (strict modes such as -std=c11), we define the same types the C
 *     library would (u_long = unsigned long), so later libc headers agree with them.
 * u_long, though, must be Windows' 32-bit type: ioctlsocket's argument is a u_long *, and
 * programs declare it as u_long, ULONG or DWORD interchangeably. The C library's typedef
 * cannot be replaced, so after it (below) the token u_long is renamed to wsaevents_u_long,
 * a 32-bit ULONG: `u_long x;` in the program is 4 bytes, as on Windows, whichever header
 * came first. (Only <sys/types.h> and the RPC headers of the C library use the name.)
 */
#ifndef WSAEVENTS_BASE_H
#define WSAEVENTS_BASE_H

#if defined(_WIN32)
#  error "wsaevents_base.h is for Linux/macOS only"
#endif

/* First: the C library's BSD types win (see above). In its default modes <sys/types.h>
 * brings <sys/select.h>, which would replace an FD_SETSIZE the program defined for
 * Winsock's fd_set (wsaevents_select.h): that definition is kept aside meanwhile. */
#if defined(__GNUC__) || defined(__clang__)
#  pragma push_macro("FD_SETSIZE")
#  undef FD_SETSIZE
#endif
#include <sys/types.h>
#if defined(__GNUC__) || defined(__clang__)
#  undef FD_SETSIZE
#  pragma pop_macro("FD_SETSIZE")
#endif
#include <stddef.h>
#include <stdint.h>
#include <string.h> /* ZeroMemory & co.; <windows.h> brings the CRT in on Windows too */
#include <wchar.h>  /* wprintf & co. are declared by <stdio.h> on Windows */

/* ---- BSD types, when the C library's mode hides them --------------------------------- */
#if defined(__GLIBC__)
#  if !defined(__u_char_defined)
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
#    define __u_char_defined
#  endif
#elif defined(__APPLE__)
#  if defined(_POSIX_C_SOURCE) && !defined(_DARWIN_C_SOURCE)
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
#    ifndef _U_LONG
typedef unsigned long u_long;
#      define _U_LONG
#    endif
#  endif
#else /* musl and others: BSD types under _BSD_SOURCE / _GNU_SOURCE */
#  if !defined(_BSD_SOURCE) && !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE)
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
#  endif
#endif

/* ---- Calling conventions and decorations (no-ops off Windows) ---------------------------- */
#ifndef WINAPI
#  define WINAPI
#endif
#ifndef WSAAPI
#  define WSAAPI
#endif
#ifndef CALLBACK
#  define CALLBACK
#endif
#ifndef APIENTRY
#  define APIENTRY
#endif
#ifndef PASCAL
#  define PASCAL
#endif
#ifndef FAR
#  define FAR
#endif
#ifndef NEAR
#  define NEAR
#endif
#ifndef CONST
#  define CONST const
#endif
#ifndef VOID
#  define VOID void
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define WSAEVENTS_EXTENSION __extension__
#else
#  define WSAEVENTS_EXTENSION
#endif

#if defined(__cplusplus) && __cplusplus >= 201103L
#  define WSAEVENTS_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define WSAEVENTS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
/* Before C11/C++11: a negative array size fails the build. A typedef is a declaration, so
 * the ';' after the macro is not a stray one, and a name unique to each use (no linkage)
 * never conflicts, inside or outside extern "C". */
#  define WSAEVENTS_CAT_(a, b) a##b
#  define WSAEVENTS_CAT(a, b) WSAEVENTS_CAT_(a, b)
#  if defined(__COUNTER__)
#    define WSAEVENTS_UNIQUE_ __COUNTER__
#  else
#    define WSAEVENTS_UNIQUE_ __LINE__
#  endif
#  define WSAEVENTS_STATIC_ASSERT(cond, msg) \
      typedef char WSAEVENTS_CAT(wsaevents_static_assert_, WSAEVENTS_UNIQUE_)[(cond) ? 1 : -1]
#endif

/* ---- Base types, Windows (LLP64) sizes ------------------------------------------------- */
typedef unsigned char BYTE;
typedef unsigned char UCHAR;
typedef unsigned char BOOLEAN;
typedef char CHAR;
typedef wchar_t WCHAR; /* 32-bit here, 16-bit on Windows: source compatibility only */
typedef short SHORT;
typedef unsigned short USHORT;
typedef unsigned short WORD;
typedef int INT;
typedef unsigned int UINT;
typedef int BOOL;
typedef int32_t LONG;    /* Windows' long is 32-bit */
typedef uint32_t ULONG;  /* likewise */
typedef uint32_t DWORD;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uint64_t DWORD64;
typedef intptr_t INT_PTR;
typedef uintptr_t UINT_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef uintptr_t DWORD_PTR;
typedef size_t SIZE_T;
typedef float FLOAT;

typedef void *PVOID;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef HANDLE *LPHANDLE;
typedef BYTE *PBYTE;
typedef BYTE *LPBYTE;
typedef UCHAR *PUCHAR;
typedef WORD *PWORD;
typedef WORD *LPWORD;
typedef USHORT *PUSHORT;
typedef DWORD *PDWORD;
typedef DWORD *LPDWORD;
typedef INT *PINT;
typedef INT *LPINT;
typedef LONG *PLONG;
typedef LONG *LPLONG;
typedef ULONG *PULONG;
typedef BOOL *PBOOL;
typedef BOOL *LPBOOL;
typedef CHAR *PSTR;
typedef CHAR *LPSTR;
typedef const CHAR *PCSTR;
typedef const CHAR *LPCSTR;
typedef WCHAR *PWSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *PCWSTR;
typedef const WCHAR *LPCWSTR;

#ifdef UNICODE
typedef WCHAR TCHAR;
#  define __TEXT(quote) L##quote
#else
typedef CHAR TCHAR;
#  define __TEXT(quote) quote
#endif
typedef TCHAR *LPTSTR;
typedef const TCHAR *LPCTSTR;
#define TEXT(quote) __TEXT(quote)

typedef union _LARGE_INTEGER {
    WSAEVENTS_EXTENSION struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    WSAEVENTS_EXTENSION struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* u_long: Windows' 32-bit unsigned long (see the top of this file). */
typedef ULONG wsaevents_u_long;
#define u_long wsaevents_u_long

WSAEVENTS_STATIC_ASSERT(sizeof(LONG) == 4 && sizeof(ULONG) == 4 && sizeof(DWORD) == 4,
                        "LONG/ULONG/DWORD must be 32-bit as on Windows");
WSAEVENTS_STATIC_ASSERT(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER is 8 bytes");

/* ---- Macros ------------------------------------------------------------------------------ */
#ifndef TRUE
#  define TRUE 1
#endif
#ifndef FALSE
#  define FALSE 0
#endif

#define MAKEWORD(a, b) ((WORD)(((BYTE)(((DWORD_PTR)(a)) & 0xff)) | ((WORD)((BYTE)(((DWORD_PTR)(b)) & 0xff))) << 8))
#define MAKELONG(a, b) ((LONG)(((WORD)(((DWORD_PTR)(a)) & 0xffff)) | ((DWORD)((WORD)(((DWORD_PTR)(b)) & 0xffff))) << 16))
#define LOWORD(l) ((WORD)(((DWORD_PTR)(l)) & 0xffff))
#define HIWORD(l) ((WORD)((((DWORD_PTR)(l)) >> 16) & 0xffff))
#define LOBYTE(w) ((BYTE)(((DWORD_PTR)(w)) & 0xff))
#define HIBYTE(w) ((BYTE)((((DWORD_PTR)(w)) >> 8) & 0xff))

#define ZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define FillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define CopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define MoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define UNREFERENCED_PARAMETER(P) ((void)(P))

#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

/* ---- Wait constants (winbase.h, winnt.h) -------------------------------------------------- */
#define INFINITE 0xFFFFFFFFu
#define MAXIMUM_WAIT_OBJECTS 64
#define WAIT_OBJECT_0 ((DWORD)0x00000000)
#define WAIT_ABANDONED_0 ((DWORD)0x00000080)
#define WAIT_ABANDONED WAIT_ABANDONED_0
#define WAIT_IO_COMPLETION ((DWORD)0x000000C0)
#define WAIT_TIMEOUT ((DWORD)258)
#define WAIT_FAILED ((DWORD)0xFFFFFFFF)

/* ---- Win32 error codes (winerror.h) ------------------------------------------------------- */
#define ERROR_SUCCESS 0
#define NO_ERROR 0
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_NOT_SUPPORTED 50
#define ERROR_INVALID_PARAMETER 87
#define ERROR_OPERATION_ABORTED 995
#define ERROR_IO_INCOMPLETE 996
#define ERROR_IO_PENDING 997
#define ERROR_NOACCESS 998

#endif /* WSAEVENTS_BASE_H */
