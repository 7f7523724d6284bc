/*
 * wsaevents_select.h -- Winsock's select() and WSAPoll(): fd_set, FD_SET, FD_CLR, FD_ISSET,
 * FD_ZERO, __WSAFDIsSet, struct timeval, WSAPOLLFD and the POLL* flags, with Windows'
 * definitions and values.
 *
 * Internal to the wsaevents compat headers (Linux/macOS only): included by <winsock2.h>.
 *
 * Coexistence with the C library, in either include order. The C library has its own
 * fd_set (a bit mask), FD_SET & co., select(), struct pollfd, POLLIN & co. (other values)
 * and poll(); <sys/types.h> brings the select ones into most programs. A program must never
 * get those by accident, so this header:
 *   - includes <sys/time.h>, <sys/select.h> and <poll.h> itself, first, so that whatever
 *     the order, they have been seen (their include guards keep later includes empty);
 *   - then renames the C library's names to ours: `#define fd_set wsaevents_fd_set`,
 *     `#define pollfd wsaevents_pollfd`, and (in C) `#define select wsaevents_select`,
 *     `#define __WSAFDIsSet wsaevents___WSAFDIsSet`; in C++ select and __WSAFDIsSet are
 *     inline functions taking Winsock's fd_set, overloads the C library's select cannot
 *     match;
 *   - #undefs the C library's FD_SET, FD_CLR, FD_ISSET, FD_ZERO and POLL* macros and
 *     defines Winsock's.
 * struct timeval is the C library's: it has Windows' fields, tv_sec and tv_usec, which are
 * `long` on Windows and time_t / suseconds_t here (64-bit on LP64), so initialisers and
 * assignments port unchanged; only code assuming sizeof(struct timeval) == 8 does not.
 *
 * FD_SETSIZE is 64 unless the program defines it before including <winsock2.h> (as on
 * Windows). The C library's FD_SETSIZE (1024) is recognised and replaced. A program that
 * defines FD_SETSIZE after a C library header that brought <sys/select.h> gets the C
 * compiler's "FD_SETSIZE redefined" warning from its own #define (that header came first),
 * and its value is used.
 */
#ifndef WSAEVENTS_SELECT_H
#define WSAEVENTS_SELECT_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER)
#  error "wsaevents_select.h is for Linux/macOS only (a Windows toolchain uses its own headers)"
#endif

/* ---- The C library's headers, now, with the program's FD_SETSIZE kept aside ------------- */
#if defined(__GNUC__) || defined(__clang__)
#  pragma push_macro("FD_SETSIZE")
#  undef FD_SETSIZE
#endif
#include <sys/time.h>
#include <sys/select.h>
#include <poll.h>
#if defined(__GNUC__) || defined(__clang__)
#  undef FD_SETSIZE
#  pragma pop_macro("FD_SETSIZE")
#endif

/* An FD_SETSIZE already defined may be the C library's (its header came first): glibc's is
 * `__FD_SETSIZE`, Darwin's `__DARWIN_FD_SETSIZE`. Swapping that name for a value no program
 * picks tells them apart from the program's own. */
#if defined(FD_SETSIZE) && defined(__FD_SETSIZE) && (defined(__GNUC__) || defined(__clang__))
#  pragma push_macro("__FD_SETSIZE")
#  undef __FD_SETSIZE
#  define __FD_SETSIZE (-7031)
#  if FD_SETSIZE == -7031
#    define WSAEVENTS_FD_SETSIZE_IS_LIBC
#  endif
#  undef __FD_SETSIZE
#  pragma pop_macro("__FD_SETSIZE")
#endif
#if defined(FD_SETSIZE) && defined(__DARWIN_FD_SETSIZE) && (defined(__GNUC__) || defined(__clang__))
#  pragma push_macro("__DARWIN_FD_SETSIZE")
#  undef __DARWIN_FD_SETSIZE
#  define __DARWIN_FD_SETSIZE (-7031)
#  if FD_SETSIZE == -7031
#    define WSAEVENTS_FD_SETSIZE_IS_LIBC
#  endif
#  undef __DARWIN_FD_SETSIZE
#  pragma pop_macro("__DARWIN_FD_SETSIZE")
#endif
#ifdef WSAEVENTS_FD_SETSIZE_IS_LIBC
#  undef FD_SETSIZE
#  undef WSAEVENTS_FD_SETSIZE_IS_LIBC
#endif
#ifndef FD_SETSIZE
#  define FD_SETSIZE 64
#endif

/* ---- The C library's names, out of the way ---------------------------------------------- */
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO
#define fd_set wsaevents_fd_set
#define pollfd wsaevents_pollfd

#undef POLLIN
#undef POLLPRI
#undef POLLOUT
#undef POLLERR
#undef POLLHUP
#undef POLLNVAL
#undef POLLRDNORM
#undef POLLRDBAND
#undef POLLWRNORM
#undef POLLWRBAND
#undef POLLMSG
#undef POLLREMOVE
#undef POLLRDHUP

#ifdef __cplusplus
extern "C" {
#endif

/* ---- fd_set and its macros (winsock2.h) ------------------------------------------------- */
typedef struct fd_set {
    u_int fd_count;               /* how many are set */
    SOCKET fd_array[FD_SETSIZE];  /* an array of SOCKETs */
} fd_set;
typedef struct fd_set FD_SET, *PFD_SET, *LPFD_SET;

/* As Windows' winsock2.h: FD_SET adds a socket once, and not past FD_SETSIZE; FD_CLR moves
 * the later entries down. Windows writes them as statement macros; here the macros call
 * inline functions with the same loops (so that gcc's -Wmaybe-uninitialized does not flag
 * the loop over a freshly zeroed set, and an int argument draws no -Wsign-compare). */
#if defined(__GNUC__) || defined(__clang__)
#  define WSAEVENTS_INLINE static __inline__
#else
#  define WSAEVENTS_INLINE static inline
#endif

WSAEVENTS_INLINE void wsaevents_fd_remove_(SOCKET fd, fd_set *set)
{
    u_int i;
    for (i = 0; i < set->fd_count; i++) {
        if (set->fd_array[i] == fd) {
            while (i < set->fd_count - 1) {
                set->fd_array[i] = set->fd_array[i + 1];
                i++;
            }
            set->fd_count--;
            break;
        }
    }
}

WSAEVENTS_INLINE void wsaevents_fd_add_(SOCKET fd, fd_set *set, u_int setsize)
{
    u_int i;
    for (i = 0; i < set->fd_count; i++) {
        if (set->fd_array[i] == fd) {
            return;
        }
    }
    if (set->fd_count < setsize) {
        set->fd_array[set->fd_count] = fd;
        set->fd_count++;
    }
}

/* FD_SETSIZE is the program's, at the place FD_SET is used, as with Windows' macro. */
#define FD_CLR(fd, set) wsaevents_fd_remove_((SOCKET)(fd), (fd_set *)(set))
#define FD_SET(fd, set) wsaevents_fd_add_((SOCKET)(fd), (fd_set *)(set), FD_SETSIZE)
#define FD_ZERO(set) (((fd_set *)(set))->fd_count = 0)

#define FD_ISSET(fd, set) __WSAFDIsSet((SOCKET)(fd), (fd_set *)(set))

/* ---- struct timeval: the C library's (see the top of this file) ------------------------- */
typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;
#ifndef timerisset
#  define timerisset(tvp) ((tvp)->tv_sec || (tvp)->tv_usec)
#endif
#ifndef timerclear
#  define timerclear(tvp) ((tvp)->tv_sec = (tvp)->tv_usec = 0)
#endif
#ifndef timercmp
#  define timercmp(tvp, uvp, cmp)                                                           \
      ((tvp)->tv_sec cmp (uvp)->tv_sec ||                                                   \
       ((tvp)->tv_sec == (uvp)->tv_sec && (tvp)->tv_usec cmp (uvp)->tv_usec))
#endif

/* ---- WSAPoll (Windows' values) ------------------------------------------------------------ */
#define POLLRDNORM 0x0100
#define POLLRDBAND 0x0200
#define POLLIN (POLLRDNORM | POLLRDBAND)
#define POLLPRI 0x0400
#define POLLWRNORM 0x0010
#define POLLOUT (POLLWRNORM)
#define POLLWRBAND 0x0020
#define POLLERR 0x0001
#define POLLHUP 0x0002
#define POLLNVAL 0x0004

typedef struct pollfd {
    SOCKET fd;
    SHORT events;
    SHORT revents;
} WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;

WSAEVENTS_STATIC_ASSERT(sizeof(WSAPOLLFD) == 2 * sizeof(SOCKET), "WSAPOLLFD layout (Win64)");

/* ---- Functions ------------------------------------------------------------------------------ */

/**
 * select, exported as wsaevents_select: Windows' select. nfds is ignored; each given set
 * is rewritten to its ready sockets and the result is how many entries they hold (0 on
 * timeout). readfds: data, the peer's FIN or a reset, a connection to accept; writefds: a
 * connected socket with room to send (a non-blocking connect done); exceptfds: urgent data
 * (not SO_OOBINLINE), a failed connect. No socket in any set: SOCKET_ERROR, WSAEINVAL; a
 * value that is not a socket: WSAENOTSOCK (sets unchanged). timeout NULL blocks, {0, 0}
 * polls, and is not modified. The sockets' network-event records are not touched.
 */
int WSAAPI wsaevents_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                            const struct timeval *timeout);
/** __WSAFDIsSet, exported as wsaevents___WSAFDIsSet: what FD_ISSET calls. */
int WSAAPI wsaevents___WSAFDIsSet(SOCKET fd, fd_set *set);
/**
 * WSAPoll: the number of sockets with a non-zero revents, 0 on timeout, or SOCKET_ERROR.
 * events may only hold POLLRDNORM, POLLRDBAND, POLLWRNORM (POLLIN, POLLOUT): anything
 * else, POLLPRI included, is WSAEINVAL. POLLHUP (FIN, reset) and POLLERR (failed connect)
 * are reported whether asked for or not; an fd that is negative or not a socket gets
 * POLLNVAL and is not counted (WSAENOTSOCK if no fd is a socket). timeout in
 * milliseconds, negative blocks. The sockets' network-event records are not touched.
 */
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);

#ifdef __cplusplus
} /* extern "C" */

/* C++: functions, not macros (see winsock2.h): overloads of the C library's select,
 * which a Winsock fd_set argument cannot match. The non-const timeval one also takes NULL;
 * the const one (Windows' signature) is a template restricted to struct timeval, so that
 * NULL never makes the two ambiguous. A call with all three sets NULL (WSAEINVAL on
 * Windows) is then ambiguous with the C library's select: a compile error, never the C
 * library's select by accident. */
inline int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                  struct timeval *timeout)
{
    return wsaevents_select(nfds, readfds, writefds, exceptfds, timeout);
}
template <class T> struct wsaevents_is_timeval_;
template <> struct wsaevents_is_timeval_<struct timeval> { typedef int type; };
template <class T>
inline typename wsaevents_is_timeval_<T>::type select(int nfds, fd_set *readfds,
                                                      fd_set *writefds, fd_set *exceptfds,
                                                      const T *timeout)
{
    return wsaevents_select(nfds, readfds, writefds, exceptfds, timeout);
}
inline int __WSAFDIsSet(SOCKET fd, fd_set *set) { return wsaevents___WSAFDIsSet(fd, set); }

#else /* C */
#  define select wsaevents_select
#  define __WSAFDIsSet wsaevents___WSAFDIsSet
#endif

#endif /* WSAEVENTS_SELECT_H */
