/* pdf_stream.c - stream data in and out, through libdeflate (see pdf_stream.h). */
#include "pdf_stream.h"

#include <stdbool.h>
#include <stdlib.h>

#include <libdeflate.h>

/* A /FlateDecode stream without parameters (what cairo and pdf_stream_put write),
 * inflated by libdeflate; NULL for anything else, which libqpdf then decodes. */
static guint8 *inflate_raw(qpdf_data q, qpdf_oh s, size_t *len)
{
    qpdf_oh dict = qpdf_oh_get_dict(q, s);
    if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Filter"), "/FlateDecode") ||
        !qpdf_oh_is_null(q, qpdf_oh_get_key(q, dict, "/DecodeParms")))
        return NULL;
    unsigned char *raw = NULL;
    size_t n = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if (qpdf_oh_get_stream_data(q, s, qpdf_dl_none, &filtered, &raw, &n) & QPDF_ERRORS) {
        free(raw);
        return NULL;
    }
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    guint8 *out = NULL;
    /* Content streams inflate to 3-6 times their size: grow until it fits (a bound
     * keeps a hostile stream from taking all memory; libqpdf decodes those). */
    for (size_t cap = MAX(4 * n, 4096); d && cap <= MAX(64 * n, (size_t)1 << 20); cap *= 2) {
        out = g_realloc(out, cap);
        enum libdeflate_result r = libdeflate_zlib_decompress(d, raw, n, out, cap, len);
        if (r == LIBDEFLATE_SUCCESS)
            break;
        g_free(out);
        out = NULL;
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
            break;
    }
    if (d)
        libdeflate_free_decompressor(d);
    free(raw);
    return out;
}

guint8 *pdf_stream_bytes(qpdf_data q, qpdf_oh s, size_t *len)
{
    *len = 0;
    if (!qpdf_oh_is_stream(q, s))
        return NULL;
    guint8 *fast = inflate_raw(q, s, len);
    if (fast)
        return fast;
    unsigned char *buf = NULL;
    QPDF_BOOL filtered = QPDF_FALSE;
    if ((qpdf_oh_get_stream_data(q, s, qpdf_dl_generalized, &filtered, &buf, len) &
         QPDF_ERRORS) || !filtered) {
        free(buf);
        *len = 0;
        return NULL;
    }
    guint8 *copy = g_memdup2(buf, *len);
    free(buf);
    return copy;
}

void pdf_stream_put(qpdf_data q, qpdf_oh stream, const char *data, size_t len)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    size_t cap = c ? libdeflate_zlib_compress_bound(c, len) : 0;
    unsigned char *z = c ? g_malloc(cap) : NULL;
    size_t n = c ? libdeflate_zlib_compress(c, data, len, z, cap) : 0;
    if (n)
        qpdf_oh_replace_stream_data(q, stream, z, n, qpdf_oh_new_name(q, "/FlateDecode"),
                                    qpdf_oh_new_null(q));
    else
        qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)data, len,
                                    qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    g_free(z);
    if (c)
        libdeflate_free_compressor(c);
}
