/* diag_capture.h - the per-test fixture several unit tests share: an arena and the
 * diagnostics printed during the test, captured in memory.
 * Include after <cmocka.h>. Functions are static inline: each test binary has its own
 * copy, and one that does not use them all is not warned about.
 *
 * A test file with nothing to add takes diag_capture as its fixture and
 * diag_capture_setup and diag_capture_teardown as its cmocka setup and teardown (or
 * calls diag_capture_setup from its own setup). One with more to keep puts a
 * diag_capture first in its own fixture and calls diag_capture_open and
 * diag_capture_close on it. */
#ifndef CP_TEST_DIAG_CAPTURE_H
#define CP_TEST_DIAG_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/diag.h"

typedef struct {
    cp_arena *arena;
    char *out; /* everything diag printed */
    size_t out_len;
    FILE *stream;
} diag_capture;

/* Starts a test: a fresh arena, diag printing into out, its error count reset. */
static inline void diag_capture_open(diag_capture *c)
{
    c->arena = arena_new();
    c->stream = open_memstream(&c->out, &c->out_len);
    diag_set_stream(c->stream);
    diag_reset();
}

/* Ends it: diag back on stderr, the output and the arena freed. */
static inline void diag_capture_close(diag_capture *c)
{
    diag_set_stream(NULL);
    fclose(c->stream);
    free(c->out);
    arena_free(c->arena);
}

/* Everything printed so far; valid until the next message is printed. (Short, as the
 * tests call it inside their asserts.) */
static inline const char *output(diag_capture *c)
{
    fflush(c->stream);
    return c->out ? c->out : "";
}

/* cmocka setup and teardown for a fixture that is a diag_capture and nothing more. */
static inline int diag_capture_setup(void **state)
{
    diag_capture *c = calloc(1, sizeof *c);
    diag_capture_open(c);
    *state = c;
    return 0;
}

static inline int diag_capture_teardown(void **state)
{
    diag_capture_close(*state);
    free(*state);
    return 0;
}

#endif
