/* image_load.c - row-by-row decoding with a box filter (image_load.h). */
#include "image_load.h"

#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>   /* (needs stdio.h and its size_t first) */
#include <png.h>

#include "../core/image.h"

#define PRINT_DPI 300.0
/* Interlaced PNGs cannot be read one final row at a time: those are decoded whole, up
 * to this many pixels (a 4000 x 4000 logo); a larger one is refused. */
#define MAX_WHOLE_PIXELS (16u * 1000 * 1000)

int image_print_pixels(double pt)
{
    double px = ceil(pt / 72.0 * PRINT_DPI);
    return px < 1 ? 1 : px > 20000 ? 20000 : (int)px;
}

/* ---- the box filter: source rows in, target rows out -------------------------------- */

typedef struct {
    int sw, sh, tw, th;          /* source and target sizes */
    uint32_t *sum;               /* tw x 4 channel sums of the current target row */
    uint32_t *count;             /* source pixels summed into each target pixel */
    int *column;                 /* target column of each source column */
    int row;                     /* target row being summed */
    cairo_surface_t *out;
} reducer;

static bool reducer_init(reducer *r, int sw, int sh, int max_w, int max_h)
{
    double s = fmin(1.0, fmin((double)max_w / sw, (double)max_h / sh));
    r->sw = sw;
    r->sh = sh;
    r->tw = (int)fmax(1, ceil(sw * s));
    r->th = (int)fmax(1, ceil(sh * s));
    r->row = 0;
    r->sum = calloc((size_t)r->tw * 4, sizeof *r->sum);
    r->count = calloc((size_t)r->tw, sizeof *r->count);
    r->column = malloc((size_t)sw * sizeof *r->column);
    for (int x = 0; r->column && x < sw; x++)
        r->column[x] = (int)((int64_t)x * r->tw / sw);
    r->out = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, r->tw, r->th);
    return r->sum && r->count && r->column &&
           cairo_surface_status(r->out) == CAIRO_STATUS_SUCCESS;
}

static void reducer_emit(reducer *r)
{
    uint32_t *dst = (uint32_t *)(void *)(cairo_image_surface_get_data(r->out) +
                                         (size_t)r->row * cairo_image_surface_get_stride(r->out));
    for (int x = 0; x < r->tw; x++) {
        uint32_t n = r->count[x] ? r->count[x] : 1, *s = r->sum + (size_t)x * 4;
        uint32_t a = (s[3] + n / 2) / n, red = (s[0] + n / 2) / n, g = (s[1] + n / 2) / n,
                 b = (s[2] + n / 2) / n;
        dst[x] = a << 24 | red << 16 | g << 8 | b;
        s[0] = s[1] = s[2] = s[3] = 0;
        r->count[x] = 0;
    }
}

/* One source row of RGBA bytes (straight alpha), summed premultiplied (cairo's form). */
static void reducer_add(reducer *r, int y, const unsigned char *rgba)
{
    int ty = (int)((int64_t)y * r->th / r->sh);
    while (ty > r->row) {
        reducer_emit(r);
        r->row++;
    }
    for (int x = 0; x < r->sw; x++) {
        const unsigned char *p = rgba + (size_t)x * 4;
        int tx = r->column[x];
        uint32_t *s = r->sum + (size_t)tx * 4, a = p[3];
        if (a == 255) {   /* opaque: premultiplying changes nothing */
            s[0] += p[0];
            s[1] += p[1];
            s[2] += p[2];
        } else {
            s[0] += (p[0] * a + 127) / 255;
            s[1] += (p[1] * a + 127) / 255;
            s[2] += (p[2] * a + 127) / 255;
        }
        s[3] += a;
        r->count[tx]++;
    }
}

static cairo_surface_t *reducer_finish(reducer *r, bool ok)
{
    if (ok) {
        while (r->row < r->th) {
            reducer_emit(r);
            r->row++;
        }
        cairo_surface_mark_dirty(r->out);
    }
    free(r->sum);
    free(r->count);
    free(r->column);
    if (!ok) {
        cairo_surface_destroy(r->out);
        return NULL;
    }
    return r->out;
}

/* ---- PNG ------------------------------------------------------------------------ */

/* Buffers a decode owns: released by the caller whether or not the decoder jumped out
 * (libpng and libjpeg report errors by longjmp, so the function that calls setjmp keeps
 * nothing of its own in locals it changes afterwards). */
typedef struct {
    reducer r;
    unsigned char *row, *whole;
    png_bytep *rows;
    JSAMPLE *line;
} decode_bufs;

static bool png_rows(png_structp png, png_infop info, FILE *f, decode_bufs *b, int max_w,
                     int max_h)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_init_io(png, f);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    /* Everything as 8-bit RGBA. */
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (w == 0 || h == 0 || !reducer_init(&b->r, (int)w, (int)h, max_w, max_h))
        return false;
    if (passes > 1) {   /* interlaced: the final rows exist only after the last pass */
        if ((size_t)w * h > MAX_WHOLE_PIXELS || !(b->whole = malloc((size_t)w * h * 4)))
            return false;
        if (!(b->rows = malloc(h * sizeof *b->rows)))
            return false;
        for (png_uint_32 y = 0; y < h; y++)
            b->rows[y] = b->whole + (size_t)y * w * 4;
        png_read_image(png, b->rows);
        for (png_uint_32 y = 0; y < h; y++)
            reducer_add(&b->r, (int)y, b->whole + (size_t)y * w * 4);
        return true;
    }
    if (!(b->row = malloc((size_t)w * 4)))
        return false;
    for (png_uint_32 y = 0; y < h; y++) {
        png_read_row(png, b->row, NULL);
        reducer_add(&b->r, (int)y, b->row);
    }
    return true;
}

static cairo_surface_t *load_png(const char *path, int max_w, int max_h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    decode_bufs b = {0};
    bool ok = info && png_rows(png, info, f, &b, max_w, max_h);
    png_destroy_read_struct(&png, &info, NULL);
    free(b.row);
    free(b.whole);
    free(b.rows);
    fclose(f);
    return b.r.out ? reducer_finish(&b.r, ok) : NULL;
}

/* ---- JPEG ----------------------------------------------------------------------- */

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
} jpeg_err;

static void jpeg_fail(j_common_ptr cinfo)
{
    longjmp(((jpeg_err *)(void *)cinfo->err)->jump, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

/* The file's bytes, for cairo to embed as they are (NULL when unreadable). */
static unsigned char *slurp(FILE *f, size_t *len)
{
    if (fseek(f, 0, SEEK_END) != 0)
        return NULL;
    long n = ftell(f);
    unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (!buf || fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        return NULL;
    }
    *len = (size_t)n;
    rewind(f);
    return buf;
}

static bool jpeg_rows(struct jpeg_decompress_struct *cinfo, jpeg_err *err, FILE *f,
                      decode_bufs *b, int max_w, int max_h)
{
    if (setjmp(err->jump))
        return false;
    jpeg_stdio_src(cinfo, f);
    jpeg_read_header(cinfo, TRUE);
    cinfo->out_color_space = JCS_RGB;
    /* libjpeg scales by 1/2, 1/4 or 1/8 while decoding (cheaply, in the DCT): the
     * largest reduction that still leaves at least the pixels wanted. */
    double need = fmin(1.0, fmin((double)max_w / cinfo->image_width,
                                 (double)max_h / cinfo->image_height));
    cinfo->scale_num = 1;
    cinfo->scale_denom = need <= 0.125 ? 8 : need <= 0.25 ? 4 : need <= 0.5 ? 2 : 1;
    jpeg_start_decompress(cinfo);
    int w = (int)cinfo->output_width, h = (int)cinfo->output_height;
    if (!reducer_init(&b->r, w, h, max_w, max_h) || !(b->line = malloc((size_t)w * 3)) ||
        !(b->row = malloc((size_t)w * 4)))
        return false;
    for (int y = 0; y < h; y++) {
        JSAMPROW rows[1] = {b->line};
        jpeg_read_scanlines(cinfo, rows, 1);
        for (int x = 0; x < w; x++) {
            b->row[x * 4] = b->line[x * 3];
            b->row[x * 4 + 1] = b->line[x * 3 + 1];
            b->row[x * 4 + 2] = b->line[x * 3 + 2];
            b->row[x * 4 + 3] = 255;
        }
        reducer_add(&b->r, y, b->row);
    }
    jpeg_finish_decompress(cinfo);
    return true;
}

static cairo_surface_t *load_jpeg(const char *path, int max_w, int max_h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t len = 0;
    unsigned char *bytes = slurp(f, &len);
    struct jpeg_decompress_struct cinfo;
    jpeg_err err;
    decode_bufs b = {0};
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.emit_message = jpeg_quiet;
    jpeg_create_decompress(&cinfo);
    bool ok = bytes && jpeg_rows(&cinfo, &err, f, &b, max_w, max_h);
    jpeg_destroy_decompress(&cinfo);
    free(b.line);
    free(b.row);
    fclose(f);
    cairo_surface_t *out = b.r.out ? reducer_finish(&b.r, ok) : NULL;
    /* The PDF writer embeds these bytes as the image, unchanged. */
    if (out && cairo_surface_set_mime_data(out, CAIRO_MIME_TYPE_JPEG, bytes, len, free,
                                           bytes) == CAIRO_STATUS_SUCCESS)
        return out;
    free(bytes);
    return out;
}

cairo_surface_t *image_load(const char *path, int max_w, int max_h)
{
    cp_image_info info;
    const char *why;
    if (!path || !image_probe(path, &info, &why))
        return NULL;
    return info.kind == IMAGE_JPEG ? load_jpeg(path, max_w, max_h)
                                   : load_png(path, max_w, max_h);
}
