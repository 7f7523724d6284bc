/* Tiny check helpers shared by the C tests: print what is checked, exit(1) on the first
 * mismatch with a clear message. */
#ifndef WSAEVENTS_TEST_CHECK_H
#define WSAEVENTS_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_count;

/* Flushed, so that a program killed for hanging still shows which section it was in. */
#define SECTION(name) (printf("== %s\n", name), fflush(stdout))

#define EXPECT_EQ(what, got, want)                                                            \
    do {                                                                                      \
        long long got_ = (long long)(got), want_ = (long long)(want);                         \
        check_count++;                                                                        \
        if (got_ != want_) {                                                                  \
            fprintf(stderr, "FAIL %s:%d: %s: got %lld (0x%llx), want %lld (0x%llx)\n",         \
                    __FILE__, __LINE__, what, got_, (unsigned long long)got_, want_,          \
                    (unsigned long long)want_);                                               \
            exit(1);                                                                          \
        }                                                                                     \
    } while (0)

#define EXPECT_TRUE(what, cond)                                                               \
    do {                                                                                      \
        check_count++;                                                                        \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: expected %s\n", __FILE__, __LINE__, what, #cond); \
            exit(1);                                                                          \
        }                                                                                     \
    } while (0)

#define EXPECT_STR(what, got, want)                                                           \
    do {                                                                                      \
        const char *got_ = (got), *want_ = (want);                                            \
        check_count++;                                                                        \
        if (got_ == NULL || strcmp(got_, want_) != 0) {                                       \
            fprintf(stderr, "FAIL %s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,  \
                    what, got_ ? got_ : "(null)", want_);                                     \
            exit(1);                                                                          \
        }                                                                                     \
    } while (0)

#define DONE()                                                                                \
    do {                                                                                      \
        printf("ok: %d checks\n", check_count);                                               \
        return 0;                                                                             \
    } while (0)

#endif
