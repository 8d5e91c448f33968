/* pngdiff - tolerant comparison of two PNG images, for the golden pixel tests.
 *
 *   pngdiff EXPECTED.png ACTUAL.png [DIFF.png]
 *   pngdiff --grey IMAGE.png
 *
 * Prints one line: the mean absolute difference per channel (0-255) and the share of
 * pixels where any channel differs by more than 64. The images match when they have the
 * same size and fewer than 1% of the pixels differ that much: small anti-aliasing
 * changes pass, a moved block or a missing line does not. When they do not match and
 * DIFF.png is given, it is written: the expected image faded, with differing pixels in
 * red. Exit status: 0 match, 1 differ, 2 cannot read an image.
 *
 * --grey checks that an image has no colour: every pixel's red, green and blue are within
 * 3 of each other (what --grayscale output must look like). Exit 0 grey, 1 not.
 *
 * Uses cairo's PNG loader only, so it builds wherever careerpdf builds. */
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THRESHOLD 64
#define MAX_SHARE 0.01

static cairo_surface_t *load(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "pngdiff: %s: %s\n", path,
                cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_flush(s);
    return s;
}

/* Channel c (0 = blue ... 3 = alpha) of a cairo pixel; RGB24 has no alpha. */
static int channel(uint32_t px, int c, int has_alpha)
{
    if (c == 3 && !has_alpha)
        return 255;
    return (int)((px >> (8 * c)) & 0xff);
}

static int grey_only(const char *path)
{
    cairo_surface_t *s = load(path);
    if (!s)
        return 2;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    long coloured = 0;
    int fx = -1, fy = -1;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            int b = channel(row[x], 0, 1), g = channel(row[x], 1, 1), r = channel(row[x], 2, 1);
            int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
            int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
            if (hi - lo > 3) {
                if (!coloured++) {
                    fx = x;
                    fy = y;
                }
            }
        }
    }
    cairo_surface_destroy(s);
    if (coloured) {
        printf("%ld coloured pixels, the first at %d,%d\n", coloured, fx, fy);
        return 1;
    }
    printf("grey: %dx%d\n", w, h);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--grey"))
        return grey_only(argv[2]);
    if (argc < 3 || argc > 4) {
        fputs("usage: pngdiff EXPECTED.png ACTUAL.png [DIFF.png] | pngdiff --grey IMAGE.png\n", stderr);
        return 2;
    }
    cairo_surface_t *a = load(argv[1]), *b = a ? load(argv[2]) : NULL;
    if (!a || !b) {
        if (a)
            cairo_surface_destroy(a);
        return 2;
    }
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        printf("size differs: %dx%d expected, %dx%d found\n", w, h,
               cairo_image_surface_get_width(b), cairo_image_surface_get_height(b));
        cairo_surface_destroy(a);
        cairo_surface_destroy(b);
        return 1;
    }
    int alpha_a = cairo_image_surface_get_format(a) == CAIRO_FORMAT_ARGB32;
    int alpha_b = cairo_image_surface_get_format(b) == CAIRO_FORMAT_ARGB32;
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    const unsigned char *da = cairo_image_surface_get_data(a);
    const unsigned char *db = cairo_image_surface_get_data(b);

    cairo_surface_t *d = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    unsigned char *dd = cairo_image_surface_get_data(d);
    int sd = cairo_image_surface_get_stride(d);

    double sum[4] = {0, 0, 0, 0};
    long differing = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *ra = (const uint32_t *)(const void *)(da + (size_t)y * sa);
        const uint32_t *rb = (const uint32_t *)(const void *)(db + (size_t)y * sb);
        uint32_t *rd = (uint32_t *)(void *)(dd + (size_t)y * sd);
        for (int x = 0; x < w; x++) {
            int worst = 0;
            for (int c = 0; c < 4; c++) {
                int delta = abs(channel(ra[x], c, alpha_a) - channel(rb[x], c, alpha_b));
                sum[c] += delta;
                if (delta > worst)
                    worst = delta;
            }
            if (worst > THRESHOLD) {
                differing++;
                rd[x] = 0xffff0000u;
            } else {
                /* faded grey of the expected pixel */
                int grey = (channel(ra[x], 0, 1) + channel(ra[x], 1, 1) + channel(ra[x], 2, 1)) / 3;
                grey = 192 + grey / 4;
                rd[x] = 0xff000000u | (uint32_t)grey << 16 | (uint32_t)grey << 8 | (uint32_t)grey;
            }
        }
    }
    cairo_surface_mark_dirty(d);
    double n = (double)w * h;
    double share = n > 0 ? differing / n : 0;
    int match = share < MAX_SHARE;
    printf("mean difference r %.2f g %.2f b %.2f a %.2f; %.3f%% of pixels differ by more "
           "than %d (limit %.0f%%)\n",
           sum[2] / n, sum[1] / n, sum[0] / n, sum[3] / n, share * 100, THRESHOLD,
           MAX_SHARE * 100);
    int rc = match ? 0 : 1;
    if (!match && argc == 4 && cairo_surface_write_to_png(d, argv[3]) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "pngdiff: cannot write %s\n", argv[3]);
        rc = 2;
    }
    cairo_surface_destroy(d);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    return rc;
}
