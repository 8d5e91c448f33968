/* arena.h - one allocation arena per document.
 *
 * Everything that lives as long as a document (model nodes, strings, layout pieces,
 * display-list items) is carved out of one arena and released by one arena_free().
 * Objects owned by a library (PangoLayout, cairo paths) register a cleanup that runs
 * when the arena is freed, so ownership never has to be tracked item by item. */
#ifndef CP_ARENA_H
#define CP_ARENA_H

#include <stddef.h>

typedef struct cp_arena cp_arena;

cp_arena *arena_new(void);
void arena_free(cp_arena *a);

/* Zeroed, 16-byte aligned memory; aborts on exhaustion (an out-of-memory batch worker
 * is restarted by its parent, there is nothing useful to return). */
void *arena_alloc(cp_arena *a, size_t size);
#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_alloc((a), sizeof(type) * (n)))

char *arena_strdup(cp_arena *a, const char *s);
char *arena_strndup(cp_arena *a, const char *s, size_t n);
char *arena_printf(cp_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Run fn(ptr) when the arena is freed (in reverse order of registration). */
void arena_on_free(cp_arena *a, void (*fn)(void *), void *ptr);

/* Bytes handed out so far (for benchmarks and limits). */
size_t arena_used(const cp_arena *a);

/* A growable array of pointers whose storage lives in the arena. */
typedef struct {
    void **items;
    size_t len, cap;
} cp_vec;

void vec_push(cp_arena *a, cp_vec *v, void *item);

#endif
