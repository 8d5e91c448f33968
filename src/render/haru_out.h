/* haru_out.h - display list → PDF with libharu: the writer for password-protected
 * reports and reports that carry their source data as attachments.
 *
 * It draws the same display list as the cairo writer with the same geometry: every
 * glyph cluster goes where Pango put it, in the TrueType file Pango picked. It makes no
 * layout decisions. libharu cannot shape text, so documents with text in scripts that
 * need shaping (Devanagari, Tamil, Arabic...) are refused up front (haru_can_render),
 * never written garbled.
 *
 * All functions print nothing: the caller reports. */
#ifndef CP_HARU_OUT_H
#define CP_HARU_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "dlist.h"
#include "pdf_security.h"

/* Permission bits for haru_options.permissions: the PDF_PERM_* bits every writer
 * shares (pdf_security.h). */
enum {
    HARU_PERM_PRINT = PDF_PERM_PRINT,
    HARU_PERM_COPY = PDF_PERM_COPY,
    HARU_PERM_EDIT = PDF_PERM_EDIT,
    HARU_PERM_ANNOTATE = PDF_PERM_ANNOTATE,
};

#define HARU_MAX_ATTACH 4

typedef struct {
    /* No user password: no encryption (owner password and permissions are ignored).
     * With one, the owner password must be given and differ from it. At most 32 bytes
     * of printable ASCII each (see haru_password_ok). */
    const char *user_password, *owner_password;
    unsigned permissions;                      /* HARU_PERM_* bits */
    /* Embedded files: attach_paths[i] is read when the PDF is written and stored under
     * attach_names[i] (NULL: the file's base name). Unused slots are NULL. */
    const char *attach_paths[HARU_MAX_ATTACH];
    const char *attach_names[HARU_MAX_ATTACH];
    /* Alternatively an in-memory text (e.g. a roster row as YAML) for slot i: used
     * instead of attach_paths[i] when set; attach_names[i] is then required. */
    const char *attach_texts[HARU_MAX_ATTACH];
} haru_options;

/* Whole document as PDF: per-page sizes, vector shapes, text in embedded subset
 * TrueType fonts, images, links, named destinations, outline, page labels, metadata
 * (dates from doc->meta.date, else SOURCE_DATE_EPOCH, else 1970-01-01; never the
 * clock), optional RC4 128-bit encryption (PDF 1.4 standard security handler,
 * revision 3) and attachments. False on any libharu, file or stream error (including
 * write errors of `out`). Call haru_can_render first: a document it refuses is not
 * drawn correctly. `opt` may be NULL (no encryption, no attachments). */
bool haru_write_pdf(const dl_doc *doc, FILE *out, const haru_options *opt);

/* True when every text item can be drawn without shaping and every font is a
 * TrueType file libharu can embed. Otherwise false with *why set to a sentence naming
 * the first offending text and the reason (static storage, valid until the next
 * call), e.g.
 *   text "नमस्ते…" is in Devanagari, which the haru writer cannot shape; use
 *   --backend cairo */
bool haru_can_render(const dl_doc *doc, const char **why);

/* The passwords every writer takes: pdf_password_ok. */
bool haru_password_ok(const char *password, const char **why);

/* Releases the libharu handle and the TrueType fonts kept for the process (see
 * haru_out.c). Optional: for leak checkers and tests. */
void haru_release(void);

#endif
