/* xalloc.h - heap allocation that never returns NULL.
 *
 * careerpdf's policy for running out of memory (see arena.h): there is nothing useful
 * to return, so the process says so and aborts; a batch worker that dies is restarted
 * by its parent, which then fails only that row. Memory that outlives a document, or
 * is freed item by item, comes from here; the rest comes from an arena. */
#ifndef CP_XALLOC_H
#define CP_XALLOC_H

#include <stddef.h>
#include <stdio.h>

/* Prints "careerpdf: error: out of memory" and aborts: for allocators of other
 * libraries that report failure with NULL. */
_Noreturn void xalloc_die(void);

/* As malloc, calloc, realloc and strdup, but never NULL (zero sizes included, so a
 * NULL result never has to be told apart from an empty allocation). */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* open_memstream, which fails only when it cannot allocate. */
FILE *xopen_memstream(char **buf, size_t *len);

#endif
