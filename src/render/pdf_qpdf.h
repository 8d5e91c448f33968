/* pdf_qpdf.h - what libqpdf does for us: AES-256 encryption (pdf_security.h) and
 * object streams, on a finished file.
 *
 * libqpdf is loaded when a file needs it, not linked: loading it and the TLS library
 * it brings (gnutls, p11-kit, nettle...) cost 9 ms of CPU per run, 10 % of writing a
 * report and most of a run that only checks data or prints an error, and only a
 * protected or a merged file uses it. It is loaded by the soname the build found with
 * pkg-config (the Makefile passes it), so the library is the one the program was built
 * against; a machine without it gets an error naming it, for those files only. */
#ifndef CP_PDF_QPDF_H
#define CP_PDF_QPDF_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "pdf_security.h"

/* `pdf` written again by libqpdf: encrypted when `sec` is not NULL, its objects packed
 * into compressed object streams when `compact`. NULL with a sentence in `why` when
 * libqpdf cannot be loaded, cannot read the file, or cannot write it. */
GString *pdf_qpdf_pass(const char *pdf, size_t len, const cp_pdf_security *sec, bool compact,
                       char *why, size_t why_len);

#endif
