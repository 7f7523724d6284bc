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

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER)
#  error "wsaevents_base.h is for Linux/macOS only (a Windows toolchain uses its own headers)"
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
/* The C run-time headers that Windows' <windows.h>/<winsock2.h> bring in for a console
 * program (MSVC's and mingw's include them through their internal headers): programs call
 * printf, malloc, exit, memcpy, tolower, va_start, time after including only those. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <wchar.h>
#include <wctype.h>
#include <limits.h>
#include <time.h>
#include <errno.h>

#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 199901L)
/* C89 modes: the C library hides these C99 functions, which the compat headers' inline
 * functions use; the same prototypes as the C library's. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int vswprintf(wchar_t *buf, size_t size, const wchar_t *fmt, va_list ap);
#endif

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
/* MSVC's calling-convention keywords: meaningless on x86-64 and arm64 (one convention). */
#ifndef __cdecl
#  define __cdecl
#endif
#ifndef __stdcall
#  define __stdcall
#endif
#ifndef __fastcall
#  define __fastcall
#endif
#ifndef _cdecl
#  define _cdecl
#endif
#ifndef WINAPIV
#  define WINAPIV
#endif
#ifndef APIPRIVATE
#  define APIPRIVATE
#endif
#ifndef __forceinline
#  define __forceinline inline __attribute__((always_inline))
#endif
#ifndef _inline
#  define _inline inline
#endif

/* __declspec(x): each x becomes WSAEVENTS_DECLSPEC_x, so __declspec(align(16)) works too.
 * thread is thread-local storage, as on Windows; the rest map to the GCC attribute of the
 * same meaning, or to nothing where there is none (dllimport, novtable, ...). */
#ifndef __declspec
#  define __declspec(x) WSAEVENTS_DECLSPEC_##x
#  define WSAEVENTS_DECLSPEC_thread __thread
#  define WSAEVENTS_DECLSPEC_dllimport
#  define WSAEVENTS_DECLSPEC_dllexport __attribute__((visibility("default")))
#  define WSAEVENTS_DECLSPEC_noreturn __attribute__((noreturn))
#  define WSAEVENTS_DECLSPEC_noinline __attribute__((noinline))
#  define WSAEVENTS_DECLSPEC_nothrow __attribute__((nothrow))
#  define WSAEVENTS_DECLSPEC_deprecated __attribute__((deprecated))
#  define WSAEVENTS_DECLSPEC_selectany __attribute__((weak))
#  define WSAEVENTS_DECLSPEC_novtable
#  define WSAEVENTS_DECLSPEC_restrict
#  define WSAEVENTS_DECLSPEC_noalias
#  define WSAEVENTS_DECLSPEC_align(n) __attribute__((aligned(n)))
#endif

/* MSVC's sized integer keywords. */
#ifndef __int8
#  define __int8 char
#endif
#ifndef __int16
#  define __int16 short
#endif
#ifndef __int32
#  define __int32 int
#endif
#ifndef __int64
#  define __int64 long long
#endif

/* The common SAL annotations (sal.h), which document and check nothing here. */
#ifndef _In_
#  define _In_
#  define _In_opt_
#  define _In_z_
#  define _In_opt_z_
#  define _Out_
#  define _Out_opt_
#  define _Inout_
#  define _Inout_opt_
#  define _Outptr_
#  define _Outptr_opt_
#  define _Reserved_
#  define _Check_return_
#  define _Ret_maybenull_
#  define _Ret_notnull_
#  define _Printf_format_string_
#  define _In_reads_(n)
#  define _In_reads_opt_(n)
#  define _In_reads_bytes_(n)
#  define _In_reads_bytes_opt_(n)
#  define _Out_writes_(n)
#  define _Out_writes_opt_(n)
#  define _Out_writes_bytes_(n)
#  define _Out_writes_bytes_opt_(n)
#  define _Out_writes_z_(n)
#  define _Inout_updates_(n)
#  define _Inout_updates_bytes_(n)
#  define _Success_(expr)
#  define _When_(expr, annos)
#endif

/* `inline` is C99/C++; GCC and Clang know __inline__ in every mode (C89 included). */
#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#  define WSAEVENTS_STATIC_INLINE static inline
#else
#  define WSAEVENTS_STATIC_INLINE static __inline__
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define WSAEVENTS_NORETURN __attribute__((noreturn))
#else
#  define WSAEVENTS_NORETURN
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
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))

/* SecureZeroMemory: a clear the compiler may not remove (volatile stores), as on Windows. */
WSAEVENTS_STATIC_INLINE PVOID SecureZeroMemory(PVOID ptr, SIZE_T cnt)
{
    volatile char *p = (volatile char *)ptr;
    while (cnt--) {
        *p++ = 0;
    }
    return ptr;
}
#define RtlZeroMemory ZeroMemory
#define RtlCopyMemory CopyMemory
#define RtlMoveMemory MoveMemory
#define RtlFillMemory FillMemory
#define RtlSecureZeroMemory SecureZeroMemory

/* _countof / ARRAYSIZE: the element count of an array. */
#ifndef _countof
#  define _countof(array) (sizeof(array) / sizeof((array)[0]))
#endif
#ifndef ARRAYSIZE
#  define ARRAYSIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif

/* min/max: windows.h defines them unless NOMINMAX. In C they are defined as on Windows; in
 * C++ they are not (they would break <algorithm> and std::min/std::max, which the C++
 * library headers declare after ours; on Windows programs define NOMINMAX for that). */
#if !defined(__cplusplus) && !defined(NOMINMAX)
#  ifndef max
#    define max(a, b) (((a) > (b)) ? (a) : (b))
#  endif
#  ifndef min
#    define min(a, b) (((a) < (b)) ? (a) : (b))
#  endif
#endif

/* File-system limits (minwindef.h); the file API itself is not provided. */
#ifndef MAX_PATH
#  define MAX_PATH 260
#endif

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
