/* test_image.c - image files told apart by their headers (src/core/image.c), decoded at
 * print size (src/render/image_load.c), and diagnostics kept as values (src/core/diag.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/image.h"
#include "render/image_load.h"

static char dir[] = "/tmp/cp-test-image.XXXXXX";

static const char *write_file(const char *name, const void *bytes, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

/* A JPEG's first segments: SOI, an APP0 to skip, then SOF0 with the size and the number
 * of components. */
static const char *jpeg_header(const char *name, unsigned w, unsigned h, int components)
{
    unsigned char b[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J', 'F',
                         0xFF, 0xC0, 0x00, 0x11, 0x08, (unsigned char)(h >> 8),
                         (unsigned char)h, (unsigned char)(w >> 8), (unsigned char)w,
                         (unsigned char)components};
    return write_file(name, b, sizeof b);
}

static void test_probe(void **state)
{
    (void)state;
    cp_image_info info;
    const char *why;
    /* PNG: signature, IHDR length, "IHDR", width 300, height 20. */
    const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                 'I', 'H', 'D', 'R', 0, 0, 1, 44, 0, 0, 0, 20};
    assert_true(image_probe(write_file("a.png", png, sizeof png), &info, &why));
    assert_int_equal(info.kind, IMAGE_PNG);
    assert_int_equal(info.width, 300);
    assert_int_equal(info.height, 20);

    assert_true(image_probe(jpeg_header("a.jpg", 640, 480, 3), &info, &why));
    assert_int_equal(info.kind, IMAGE_JPEG);
    assert_int_equal(info.width, 640);
    assert_int_equal(info.height, 480);

    assert_false(image_probe(jpeg_header("cmyk.jpg", 10, 10, 4), &info, &why));
    assert_non_null(strstr(why, "CMYK"));
    assert_false(image_probe(write_file("t.png", "hello\n", 6), &info, &why));
    assert_non_null(strstr(why, "neither PNG nor JPEG"));
    assert_false(image_probe(write_file("e.png", "", 0), &info, &why));
    assert_non_null(strstr(why, "empty"));
    assert_false(image_probe(write_file("cut.png", png, 12), &info, &why));
    assert_non_null(strstr(why, "cut short"));
    assert_false(image_probe(dir, &info, &why));
    assert_non_null(strstr(why, "folder"));
    assert_false(image_probe("/nonexistent/x.png", &info, &why));
}

/* A broken file is NULL, never a crash; print pixels are 300 dpi. */
static void test_load(void **state)
{
    (void)state;
    assert_null(image_load(jpeg_header("trunc.jpg", 640, 480, 3), 100, 100));
    assert_null(image_load("/nonexistent/x.png", 100, 100));
    assert_int_equal(image_print_pixels(72), 300);
    assert_int_equal(image_print_pixels(0), 1);
}

static void test_diag_values(void **state)
{
    (void)state;
    cp_diag_list *l = diag_list_new(), *was = diag_collect(l);
    cp_loc loc = {"x.yaml", 3, 7};
    diag_report(DIAG_ERROR, &loc, "blocks[2].limt", "schema.unknown-option",
                "did you mean 'limit'?", "not an option of block kind %s", "faq");
    diag_warning(NULL, NULL, "just so");
    diag_collect(was);
    assert_int_equal(diag_list_len(l), 2);
    assert_int_equal(diag_list_errors(l), 1);
    const cp_diag *d = diag_list_get(l, 0);
    assert_string_equal(d->file, "x.yaml");
    assert_int_equal(d->line, 3);
    assert_int_equal(d->col, 7);
    assert_string_equal(d->path, "blocks[2].limt");
    assert_string_equal(d->code, "schema.unknown-option");
    assert_string_equal(d->message, "not an option of block kind faq");
    assert_string_equal(d->hint, "did you mean 'limit'?");
    assert_string_equal(diag_list_get(l, 1)->code, "input");
    assert_null(diag_list_get(l, 1)->file);
    assert_string_equal(diag_last_message(), "warning: just so");
    diag_list_free(l);
}

static int cleanup(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_diag_values),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
