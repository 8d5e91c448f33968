/* pdf_stream.h - a PDF stream's data out of and into a libqpdf document, deflated with
 * libdeflate.
 *
 * The finisher reads and writes again the content of every page (pdf_finish.h,
 * pdf_text.h) and writes the fonts' new maps: the format is zlib's (/FlateDecode), but
 * libdeflate does the same work at the same level in about half the instructions of
 * zlib, and its output is a little smaller. */
#ifndef CP_PDF_STREAM_H
#define CP_PDF_STREAM_H

#include <stddef.h>

#include <glib.h>
#include <qpdf/qpdf-c.h>

/* A stream's decoded bytes (g_free), or NULL when `s` is not a stream or its filters
 * cannot be decoded. */
guint8 *pdf_stream_bytes(qpdf_data q, qpdf_oh s, size_t *len);

/* `data` as the content of `stream`, deflated (/FlateDecode). */
void pdf_stream_put(qpdf_data q, qpdf_oh stream, const char *data, size_t len);

#endif
