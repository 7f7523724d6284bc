/*
 * wsaevents_crt.h -- the Microsoft C run-time names Windows socket code uses (Linux/macOS).
 *
 * Internal to the wsaevents compat headers: included by <windows.h> (and so by
 * <winsock2.h>) and by <tchar.h>. On Windows these come from the CRT's <string.h>,
 * <stdio.h>, <stdlib.h>, <time.h>; here they are WSAEVENTS_STATIC_INLINE functions with Windows'
 * behaviour, named wsaevents_<name> and mapped by macros (so they never collide with a C
 * library that has a function of the same name, such as C11 Annex K's localtime_s with
 * the other argument order):
 *
 *   _stricmp _strnicmp stricmp strnicmp _strcmpi strcmpi _strdup _strlwr _strupr _itoa
 *   _ltoa _ultoa _snprintf _vsnprintf _snprintf_s _vsnprintf_s sprintf_s vsprintf_s
 *   strcpy_s strncpy_s strcat_s strncat_s memcpy_s strtok_s fopen_s localtime_s
 *   gmtime_s _wcsicmp _wcsnicmp _wcsdup wcscpy_s wcscat_s swprintf_s _atoi64 _strtoi64
 *   _strtoui64 __min __max; errno_t, _TRUNCATE, STRUNCATE, _MAX_PATH.
 *
 * The *_s functions call the invalid-parameter handler where Windows does (a NULL buffer,
 * a buffer too small without _TRUNCATE): as Windows' default handler, it ends the process
 * (a message on stderr, then abort()). In C++, the array overloads Windows declares exist
 * too: `char buf[64]; sprintf_s(buf, "%d", n); strcpy_s(buf, src);`.
 */
#ifndef WSAEVENTS_CRT_H
#define WSAEVENTS_CRT_H

#include "wsaevents_base.h"

#ifndef _ERRNO_T_DEFINED
#  define _ERRNO_T_DEFINED
#  if !defined(_ERRNO_T) && !defined(__errno_t_defined) && !defined(_ERRNO_T_DEFINED_)
typedef int errno_t;
#  endif
#endif
#ifndef _TRUNCATE
#  define _TRUNCATE ((size_t)-1)
#endif
#ifndef STRUNCATE
#  define STRUNCATE 80
#endif
#ifndef _MAX_PATH
#  define _MAX_PATH 260
#endif
#ifndef __min
#  define __min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef __max
#  define __max(a, b) (((a) > (b)) ? (a) : (b))
#endif

/* va_copy is C99/C++11; GCC and Clang have __va_copy in every mode. */
#ifdef va_copy
#  define WSAEVENTS_VA_COPY va_copy
#else
#  define WSAEVENTS_VA_COPY __va_copy
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __cplusplus
/* POSIX's reentrant time functions, which strict C modes (-std=c11) do not declare; the
 * same prototypes as the C library's. (C++ compilers always declare them.) */
struct tm *localtime_r(const time_t *__restrict timer, struct tm *__restrict result);
struct tm *gmtime_r(const time_t *__restrict timer, struct tm *__restrict result);
#endif

/* Windows' default invalid-parameter handler ends the process; so does this one. */
WSAEVENTS_NORETURN WSAEVENTS_STATIC_INLINE void wsaevents_invalid_parameter_(const char *function)
{
    fprintf(stderr, "invalid parameter passed to %s: the process ends (as on Windows)\n",
            function);
    fflush(stderr);
    abort();
}

/* ---- Case-insensitive comparison (tolower, as the CRT in the "C" locale) ------------------ */
WSAEVENTS_STATIC_INLINE int wsaevents__strnicmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; a++, b++, n--) {
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb || ca == 0) {
            return ca - cb;
        }
    }
    return 0;
}
WSAEVENTS_STATIC_INLINE int wsaevents__stricmp(const char *a, const char *b)
{
    return wsaevents__strnicmp(a, b, (size_t)-1);
}
WSAEVENTS_STATIC_INLINE int wsaevents__wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n)
{
    for (; n > 0; a++, b++, n--) {
        wint_t ca = towlower((wint_t)*a), cb = towlower((wint_t)*b);
        if (ca != cb || ca == 0) {
            return (int)ca - (int)cb;
        }
    }
    return 0;
}
WSAEVENTS_STATIC_INLINE int wsaevents__wcsicmp(const wchar_t *a, const wchar_t *b)
{
    return wsaevents__wcsnicmp(a, b, (size_t)-1);
}
#define _stricmp wsaevents__stricmp
#define _strnicmp wsaevents__strnicmp
#define stricmp wsaevents__stricmp
#define strnicmp wsaevents__strnicmp
#define _strcmpi wsaevents__stricmp
#define strcmpi wsaevents__stricmp
#define _wcsicmp wsaevents__wcsicmp
#define _wcsnicmp wsaevents__wcsnicmp

/* ---- Duplicates, case, numbers ------------------------------------------------------------ */
WSAEVENTS_STATIC_INLINE char *wsaevents__strdup(const char *s)
{
    size_t n;
    char *d;
    if (s == NULL) {
        return NULL;
    }
    n = strlen(s) + 1;
    d = (char *)malloc(n);
    return d ? (char *)memcpy(d, s, n) : NULL;
}
WSAEVENTS_STATIC_INLINE wchar_t *wsaevents__wcsdup(const wchar_t *s)
{
    size_t n;
    wchar_t *d;
    if (s == NULL) {
        return NULL;
    }
    n = (wcslen(s) + 1) * sizeof(wchar_t);
    d = (wchar_t *)malloc(n);
    return d ? (wchar_t *)memcpy(d, s, n) : NULL;
}
WSAEVENTS_STATIC_INLINE char *wsaevents__strlwr(char *s)
{
    char *p;
    for (p = s; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
    }
    return s;
}
WSAEVENTS_STATIC_INLINE char *wsaevents__strupr(char *s)
{
    char *p;
    for (p = s; *p; p++) {
        *p = (char)toupper((unsigned char)*p);
    }
    return s;
}
/* _ultoa/_ltoa/_itoa: radix 2..36, lower-case digits; a '-' only for negative values in
 * radix 10 (other radixes show the two's complement), as the CRT does. */
WSAEVENTS_STATIC_INLINE char *wsaevents__ultoa_(ULONGLONG v, char *buf, int radix, int neg)
{
    char tmp[72];
    int i = 0, j = 0;
    if (radix < 2 || radix > 36) {
        buf[0] = 0;
        return buf;
    }
    do {
        int d = (int)(v % (unsigned)radix);
        tmp[i++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= (unsigned)radix;
    } while (v);
    if (neg) {
        buf[j++] = '-';
    }
    while (i > 0) {
        buf[j++] = tmp[--i];
    }
    buf[j] = 0;
    return buf;
}
WSAEVENTS_STATIC_INLINE char *wsaevents__itoa(int value, char *buf, int radix)
{
    if (radix == 10 && value < 0) {
        return wsaevents__ultoa_((ULONGLONG)0 - (ULONGLONG)(LONGLONG)value, buf, 10, 1);
    }
    return wsaevents__ultoa_((unsigned int)value, buf, radix, 0);
}
/* long is 32-bit on Windows: _ltoa/_ultoa take the value as the 32-bit LONG/ULONG. */
WSAEVENTS_STATIC_INLINE char *wsaevents__ltoa(LONG value, char *buf, int radix)
{
    return wsaevents__itoa((int)value, buf, radix);
}
WSAEVENTS_STATIC_INLINE char *wsaevents__ultoa(ULONG value, char *buf, int radix)
{
    return wsaevents__ultoa_(value, buf, radix, 0);
}
#define _strdup wsaevents__strdup
#define _wcsdup wsaevents__wcsdup
#define _strlwr wsaevents__strlwr
#define _strupr wsaevents__strupr
#define _itoa wsaevents__itoa
#define _ltoa wsaevents__ltoa
#define _ultoa wsaevents__ultoa
#define _atoi64(s) atoll(s)
#define _strtoi64(s, e, b) strtoll((s), (e), (b))
#define _strtoui64(s, e, b) strtoull((s), (e), (b))

/* ---- Formatted output --------------------------------------------------------------------- */

/* _vsnprintf / _snprintf: Windows' legacy contract. The text fits (shorter than count):
 * written with its NUL, length returned. Exactly count characters: written WITHOUT a NUL,
 * count returned. Longer: the first count characters written, no NUL, -1 returned. */
WSAEVENTS_STATIC_INLINE int wsaevents__vsnprintf(char *buf, size_t count, const char *fmt, va_list ap)
{
    va_list ap2;
    int len;
    char *tmp;
    WSAEVENTS_VA_COPY(ap2, ap);
    len = vsnprintf(buf, count, fmt, ap);
    if (len < 0 || (size_t)len < count) {
        va_end(ap2);
        return len;
    }
    /* Truncated: Windows stores count characters and no NUL. */
    tmp = (char *)malloc((size_t)len + 1);
    if (tmp != NULL) {
        vsnprintf(tmp, (size_t)len + 1, fmt, ap2);
        memcpy(buf, tmp, count);
        free(tmp);
    }
    va_end(ap2);
    return (size_t)len == count ? len : -1;
}
WSAEVENTS_STATIC_INLINE int wsaevents__snprintf(char *buf, size_t count, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = wsaevents__vsnprintf(buf, count, fmt, ap);
    va_end(ap);
    return r;
}

/* vsprintf_s / sprintf_s: the length written; a NULL buffer or format, a zero size, or a
 * text that does not fit (with its NUL) call the invalid-parameter handler. */
WSAEVENTS_STATIC_INLINE int wsaevents_vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap)
{
    int len;
    if (buf == NULL || size == 0 || fmt == NULL) {
        wsaevents_invalid_parameter_("vsprintf_s");
    }
    len = vsnprintf(buf, size, fmt, ap);
    if (len < 0 || (size_t)len >= size) {
        buf[0] = 0;
        wsaevents_invalid_parameter_("sprintf_s");
    }
    return len;
}
WSAEVENTS_STATIC_INLINE int wsaevents_sprintf_s(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = wsaevents_vsprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

/* _vsnprintf_s / _snprintf_s: at most count characters (all that fit with _TRUNCATE), always
 * NUL-terminated; -1 when truncated. A text longer than the buffer when count does not
 * allow truncation calls the invalid-parameter handler. */
WSAEVENTS_STATIC_INLINE int wsaevents__vsnprintf_s(char *buf, size_t size, size_t count, const char *fmt,
                                         va_list ap)
{
    size_t limit;
    int len;
    if (buf == NULL || size == 0 || fmt == NULL) {
        wsaevents_invalid_parameter_("_vsnprintf_s");
    }
    limit = (count == _TRUNCATE || count >= size) ? size - 1 : count;
    {
        va_list ap2;
        char *tmp;
        WSAEVENTS_VA_COPY(ap2, ap);
        len = vsnprintf(NULL, 0, fmt, ap2);
        va_end(ap2);
        if (len < 0) {
            buf[0] = 0;
            return -1;
        }
        if ((size_t)len <= limit) {
            vsnprintf(buf, size, fmt, ap);
            return len;
        }
        if (count != _TRUNCATE && count >= size) {
            buf[0] = 0;
            wsaevents_invalid_parameter_("_snprintf_s");
        }
        tmp = (char *)malloc((size_t)len + 1);
        if (tmp == NULL) {
            buf[0] = 0;
            return -1;
        }
        vsnprintf(tmp, (size_t)len + 1, fmt, ap);
        memcpy(buf, tmp, limit);
        buf[limit] = 0;
        free(tmp);
        return -1;
    }
}
WSAEVENTS_STATIC_INLINE int wsaevents__snprintf_s(char *buf, size_t size, size_t count, const char *fmt,
                                        ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = wsaevents__vsnprintf_s(buf, size, count, fmt, ap);
    va_end(ap);
    return r;
}

WSAEVENTS_STATIC_INLINE int wsaevents_swprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, ...)
{
    va_list ap;
    int r;
    if (buf == NULL || size == 0 || fmt == NULL) {
        wsaevents_invalid_parameter_("swprintf_s");
    }
    va_start(ap, fmt);
    r = vswprintf(buf, size, fmt, ap);
    va_end(ap);
    if (r < 0) {
        buf[0] = 0;
        wsaevents_invalid_parameter_("swprintf_s");
    }
    return r;
}

#define _vsnprintf wsaevents__vsnprintf
#define _snprintf wsaevents__snprintf
#define vsprintf_s wsaevents_vsprintf_s
#define sprintf_s wsaevents_sprintf_s
#define _vsnprintf_s wsaevents__vsnprintf_s
#define _snprintf_s wsaevents__snprintf_s
#define swprintf_s wsaevents_swprintf_s

/* ---- Bounded copies ------------------------------------------------------------------------ */

/* strcpy_s: 0. NULL dest or size 0: EINVAL via the handler; NULL src: dest emptied,
 * handler; src too long: dest emptied, handler (ERANGE). */
WSAEVENTS_STATIC_INLINE errno_t wsaevents_strcpy_s(char *dest, size_t size, const char *src)
{
    size_t n;
    if (dest == NULL || size == 0) {
        wsaevents_invalid_parameter_("strcpy_s");
    }
    if (src == NULL) {
        dest[0] = 0;
        wsaevents_invalid_parameter_("strcpy_s");
    }
    n = strlen(src);
    if (n >= size) {
        dest[0] = 0;
        wsaevents_invalid_parameter_("strcpy_s");
    }
    memcpy(dest, src, n + 1);
    return 0;
}
/* strncpy_s: copies min(count, strlen(src)) characters and a NUL: 0; with count _TRUNCATE,
 * what fits, and STRUNCATE if that is not all; otherwise not fitting calls the handler. */
WSAEVENTS_STATIC_INLINE errno_t wsaevents_strncpy_s(char *dest, size_t size, const char *src, size_t count)
{
    size_t n = 0;
    if (dest == NULL || size == 0) {
        wsaevents_invalid_parameter_("strncpy_s");
    }
    if (count == 0) {
        dest[0] = 0;
        return 0;
    }
    if (src == NULL) {
        dest[0] = 0;
        wsaevents_invalid_parameter_("strncpy_s");
    }
    while (n < count && src[n]) {
        n++;
    }
    if (n >= size) {
        if (count == _TRUNCATE) {
            memcpy(dest, src, size - 1);
            dest[size - 1] = 0;
            return STRUNCATE;
        }
        dest[0] = 0;
        wsaevents_invalid_parameter_("strncpy_s");
    }
    memcpy(dest, src, n);
    dest[n] = 0;
    return 0;
}
/* strcat_s / strncat_s: as strcpy_s / strncpy_s, appending to a NUL-terminated dest (dest
 * not terminated within size: emptied, handler). */
WSAEVENTS_STATIC_INLINE errno_t wsaevents_strncat_s(char *dest, size_t size, const char *src, size_t count)
{
    size_t used = 0, n = 0;
    if (dest == NULL || size == 0) {
        wsaevents_invalid_parameter_("strcat_s");
    }
    while (used < size && dest[used]) {
        used++;
    }
    if (used == size || (src == NULL && count != 0)) {
        dest[0] = 0;
        wsaevents_invalid_parameter_("strcat_s");
    }
    if (count == 0) {
        return 0;
    }
    while (n < count && src[n]) {
        n++;
    }
    if (used + n >= size) {
        if (count == _TRUNCATE) {
            memcpy(dest + used, src, size - 1 - used);
            dest[size - 1] = 0;
            return STRUNCATE;
        }
        dest[0] = 0;
        wsaevents_invalid_parameter_("strcat_s");
    }
    memcpy(dest + used, src, n);
    dest[used + n] = 0;
    return 0;
}
WSAEVENTS_STATIC_INLINE errno_t wsaevents_strcat_s(char *dest, size_t size, const char *src)
{
    if (src == NULL) {
        if (dest != NULL && size != 0) {
            dest[0] = 0;
        }
        wsaevents_invalid_parameter_("strcat_s");
    }
    return wsaevents_strncat_s(dest, size, src, strlen(src));
}
WSAEVENTS_STATIC_INLINE errno_t wsaevents_wcscpy_s(wchar_t *dest, size_t size, const wchar_t *src)
{
    size_t n;
    if (dest == NULL || size == 0) {
        wsaevents_invalid_parameter_("wcscpy_s");
    }
    if (src == NULL || (n = wcslen(src)) >= size) {
        dest[0] = 0;
        wsaevents_invalid_parameter_("wcscpy_s");
    }
    memcpy(dest, src, (n + 1) * sizeof(wchar_t));
    return 0;
}
WSAEVENTS_STATIC_INLINE errno_t wsaevents_wcscat_s(wchar_t *dest, size_t size, const wchar_t *src)
{
    size_t used = 0, n;
    if (dest == NULL || size == 0) {
        wsaevents_invalid_parameter_("wcscat_s");
    }
    while (used < size && dest[used]) {
        used++;
    }
    if (used == size || src == NULL || used + (n = wcslen(src)) >= size) {
        dest[0] = 0;
        wsaevents_invalid_parameter_("wcscat_s");
    }
    memcpy(dest + used, src, (n + 1) * sizeof(wchar_t));
    return 0;
}
/* memcpy_s: 0; NULL dest, or NULL src / too small a dest (dest zeroed): the handler. */
WSAEVENTS_STATIC_INLINE errno_t wsaevents_memcpy_s(void *dest, size_t size, const void *src, size_t count)
{
    if (count == 0) {
        return 0;
    }
    if (dest == NULL) {
        wsaevents_invalid_parameter_("memcpy_s");
    }
    if (src == NULL || size < count) {
        memset(dest, 0, size);
        wsaevents_invalid_parameter_("memcpy_s");
    }
    memcpy(dest, src, count);
    return 0;
}
/* strtok_s: strtok with the caller's context (POSIX's strtok_r). */
WSAEVENTS_STATIC_INLINE char *wsaevents_strtok_s(char *str, const char *delim, char **context)
{
    char *end;
    if (str == NULL) {
        str = *context;
    }
    if (str == NULL) {
        return NULL;
    }
    str += strspn(str, delim);
    if (*str == 0) {
        *context = str;
        return NULL;
    }
    end = str + strcspn(str, delim);
    if (*end) {
        *end++ = 0;
    }
    *context = end;
    return str;
}
#define strcpy_s wsaevents_strcpy_s
#define strncpy_s wsaevents_strncpy_s
#define strcat_s wsaevents_strcat_s
#define strncat_s wsaevents_strncat_s
#define wcscpy_s wsaevents_wcscpy_s
#define wcscat_s wsaevents_wcscat_s
#define memcpy_s wsaevents_memcpy_s
#define strtok_s wsaevents_strtok_s

/* ---- Files and time with Windows' argument order ----------------------------------------- */

/* fopen_s: 0 and the stream, or errno with *pFile NULL. */
WSAEVENTS_STATIC_INLINE errno_t wsaevents_fopen_s(FILE **pFile, const char *name, const char *mode)
{
    if (pFile == NULL || name == NULL || mode == NULL) {
        wsaevents_invalid_parameter_("fopen_s");
    }
    *pFile = fopen(name, mode);
    return *pFile ? 0 : errno;
}
/* localtime_s / gmtime_s (struct tm *, const time_t *): 0, or EINVAL (the handler, for
 * NULL pointers, as on Windows). Windows' order, not C11 Annex K's. */
WSAEVENTS_STATIC_INLINE errno_t wsaevents_localtime_s(struct tm *tmDest, const time_t *sourceTime)
{
    if (tmDest == NULL || sourceTime == NULL) {
        wsaevents_invalid_parameter_("localtime_s");
    }
    return localtime_r(sourceTime, tmDest) ? 0 : EINVAL;
}
WSAEVENTS_STATIC_INLINE errno_t wsaevents_gmtime_s(struct tm *tmDest, const time_t *sourceTime)
{
    if (tmDest == NULL || sourceTime == NULL) {
        wsaevents_invalid_parameter_("gmtime_s");
    }
    return gmtime_r(sourceTime, tmDest) ? 0 : EINVAL;
}
#define fopen_s wsaevents_fopen_s
#define localtime_s wsaevents_localtime_s
#define gmtime_s wsaevents_gmtime_s

#ifdef __cplusplus
} /* extern "C" */

/* The array overloads of the secure functions, as Windows' C++ headers declare them. */
template <size_t N> inline int wsaevents_sprintf_s(char (&buf)[N], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = wsaevents_vsprintf_s(buf, N, fmt, ap);
    va_end(ap);
    return r;
}
template <size_t N> inline int wsaevents_vsprintf_s(char (&buf)[N], const char *fmt, va_list ap)
{
    return wsaevents_vsprintf_s(buf, N, fmt, ap);
}
template <size_t N>
inline int wsaevents__snprintf_s(char (&buf)[N], size_t count, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = wsaevents__vsnprintf_s(buf, N, count, fmt, ap);
    va_end(ap);
    return r;
}
template <size_t N> inline errno_t wsaevents_strcpy_s(char (&dest)[N], const char *src)
{
    return wsaevents_strcpy_s(dest, N, src);
}
template <size_t N>
inline errno_t wsaevents_strncpy_s(char (&dest)[N], const char *src, size_t count)
{
    return wsaevents_strncpy_s(dest, N, src, count);
}
template <size_t N> inline errno_t wsaevents_strcat_s(char (&dest)[N], const char *src)
{
    return wsaevents_strcat_s(dest, N, src);
}
template <size_t N>
inline errno_t wsaevents_strncat_s(char (&dest)[N], const char *src, size_t count)
{
    return wsaevents_strncat_s(dest, N, src, count);
}
template <size_t N> inline errno_t wsaevents_wcscpy_s(wchar_t (&dest)[N], const wchar_t *src)
{
    return wsaevents_wcscpy_s(dest, N, src);
}
template <size_t N> inline errno_t wsaevents_wcscat_s(wchar_t (&dest)[N], const wchar_t *src)
{
    return wsaevents_wcscat_s(dest, N, src);
}
#endif /* __cplusplus */

#endif /* WSAEVENTS_CRT_H */
