/* pdf_bytes.h - looking into a PDF held in memory, for the writer tests.
 * Include after <cmocka.h>. Functions are static: each test binary has its own copy. */
#ifndef CP_TEST_PDF_BYTES_H
#define CP_TEST_PDF_BYTES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t len;
} buffer;

/* memmem is a GNU extension; the output holds NUL bytes, so strstr will not do. */
static const char *find(const char *from, const buffer *b, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *end = b->data + b->len; from + k <= end; from++)
        if (memcmp(from, needle, k) == 0)
            return from;
    return NULL;
}

static bool contains(const buffer *b, const char *needle)
{
    return find(b->data, b, needle) != NULL;
}

static int count(const buffer *b, const char *needle)
{
    int n = 0;
    for (const char *p = b->data; (p = find(p, b, needle)); p++)
        n++;
    return n;
}

/* The last startxref points at a cross-reference table whose every in-use entry points
 * at "N 0 obj": the cheap check that caught cairo 1.16's broken files. */
static void assert_xref_ok(const buffer *b)
{
    const char *key = NULL;
    for (const char *p = b->data; (p = find(p, b, "startxref")); p++)
        key = p;
    assert_non_null(key);
    long off = strtol(key + strlen("startxref"), NULL, 10);
    assert_true(off > 0 && (size_t)off + 4 < b->len);
    assert_memory_equal(b->data + off, "xref", 4);
    const char *p = b->data + off + 4;
    long first, n;
    assert_int_equal(sscanf(p, "%ld %ld", &first, &n), 2);
    p = strchr(p + 1, '\n') + 1;
    for (long i = 0; i < n; i++, p += 20) {
        long at = strtol(p, NULL, 10);
        if (p[17] != 'n')
            continue;
        char head[32];
        snprintf(head, sizeof head, "%ld 0 obj", first + i);
        assert_true((size_t)at < b->len);
        assert_memory_equal(b->data + at, head, strlen(head));
    }
}

#endif
