/*
 * tchar.h -- Microsoft's generic-text mappings, for wsaevents (Linux/macOS).
 *
 * Without _UNICODE (the default, and _MBCS), the _t names are the char functions:
 * _TCHAR is char, _T("x") is "x", _tmain is main, _tprintf is printf, _tcslen is strlen.
 * With _UNICODE they are the wchar_t functions: _T("x") is L"x", _tprintf is wprintf, and
 * _tmain receives its arguments as wchar_t strings (converted from the UTF-8 command
 * line) through a main() this header defines. Note for _UNICODE: wchar_t is 32-bit here,
 * and the C library's wide printf family reads %s as a char string (Microsoft's reads a
 * wide one): write %ls for a wide string, which both accept.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <tchar.h>.
 */
#ifndef WSAEVENTS_TCHAR_H
#define WSAEVENTS_TCHAR_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  if defined(_MSC_VER) && !defined(__clang__)
#    error "wsaevents/include is for Linux/macOS: do not put it on MSVC's include path"
#  endif
#  include_next <tchar.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#include "wsaevents_crt.h"

#ifdef _UNICODE

#ifdef __cplusplus
extern "C" {
#endif
/* The command line as wchar_t strings, for the _tmain of a _UNICODE program (not a
 * Windows function). */
wchar_t **wsaevents_wide_argv(int argc, char **argv);
#ifdef __cplusplus
}
#endif

/* `int _tmain(int argc, _TCHAR *argv[]) { ... }` becomes a declaration of the program's
 * function, a main() that converts the arguments and calls it, and its definition. */
#define _tmain                                                                                \
    wsaevents_tmain_(int, wchar_t **);                                                       \
    int main(int argc, char **argv) { return wsaevents_tmain_(argc, wsaevents_wide_argv(argc, argv)); } \
    int wsaevents_tmain_

WSAEVENTS_STATIC_INLINE int wsaevents__stprintf(wchar_t *buf, const wchar_t *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vswprintf(buf, (size_t)INT_MAX / sizeof(wchar_t), fmt, ap);
    va_end(ap);
    return r;
}

typedef wchar_t _TCHAR;
typedef wchar_t _TSCHAR;
typedef wchar_t _TUCHAR;
typedef wchar_t _TXCHAR;
typedef wint_t _TINT;
#define __T(x) L##x
#define _TEOF WEOF

#define _tprintf wprintf
#define _ftprintf fwprintf
#define _stprintf wsaevents__stprintf
#define _stprintf_s swprintf_s
#define _sntprintf swprintf
#define _vtprintf vwprintf
#define _vftprintf vfwprintf
#define _vsntprintf vswprintf
#define _tscanf wscanf
#define _ftscanf fwscanf
#define _stscanf swscanf
#define _fputts fputws
#define _fgetts fgetws
#define _fputtc fputwc
#define _fgettc fgetwc
#define _puttchar putwchar
#define _gettchar getwchar
#define _tcslen wcslen
#define _tcscpy wcscpy
#define _tcsncpy wcsncpy
#define _tcscat wcscat
#define _tcsncat wcsncat
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcsspn wcsspn
#define _tcscspn wcscspn
#define _tcspbrk wcspbrk
#define _tcsdup _wcsdup
#define _tcscpy_s wcscpy_s
#define _tcscat_s wcscat_s
#define _tcstol wcstol
#define _tcstoul wcstoul
#define _tcstod wcstod
#define _ttoi(s) ((int)wcstol((s), NULL, 10))
#define _tstoi _ttoi
#define _ttol(s) ((LONG)wcstol((s), NULL, 10))
#define _tstol _ttol
#define _tcsftime wcsftime
#define _istalpha iswalpha
#define _istdigit iswdigit
#define _istalnum iswalnum
#define _istspace iswspace
#define _istupper iswupper
#define _istlower iswlower
#define _istxdigit iswxdigit
#define _istpunct iswpunct
#define _istprint iswprint
#define _totlower towlower
#define _totupper towupper

#else /* ANSI (and _MBCS) */

#define _tmain main

typedef char _TCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef char _TXCHAR;
typedef int _TINT;
#define __T(x) x
#define _TEOF EOF

#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf sprintf
#define _stprintf_s sprintf_s
#define _sntprintf _snprintf
#define _vtprintf vprintf
#define _vftprintf vfprintf
#define _vsntprintf _vsnprintf
#define _tscanf scanf
#define _ftscanf fscanf
#define _stscanf sscanf
#define _fputts fputs
#define _fgetts fgets
#define _fputtc fputc
#define _fgettc fgetc
#define _puttchar putchar
#define _gettchar getchar
#define _tcslen strlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscat strcat
#define _tcsncat strncat
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcspbrk strpbrk
#define _tcstok strtok
#define _tcstok_s strtok_s
#define _tcsdup _strdup
#define _tcscpy_s strcpy_s
#define _tcsncpy_s strncpy_s
#define _tcscat_s strcat_s
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstod strtod
#define _ttoi atoi
#define _tstoi atoi
#define _ttol(s) ((LONG)atol(s))
#define _tstol _ttol
#define _tcsftime strftime
#define _tfopen fopen
#define _tgetenv getenv
#define _tsystem system
#define _tremove remove
#define _trename rename
#define _istalpha isalpha
#define _istdigit isdigit
#define _istalnum isalnum
#define _istspace isspace
#define _istupper isupper
#define _istlower islower
#define _istxdigit isxdigit
#define _istpunct ispunct
#define _istprint isprint
#define _totlower tolower
#define _totupper toupper

#endif /* _UNICODE */

#define _T(x) __T(x)
#define _TEXT(x) __T(x)

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_TCHAR_H */
