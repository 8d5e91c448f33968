/* pdf_security.h - password protection of a finished PDF, and the rules for passwords
 * and permissions that every writer follows.
 *
 * The cairo writer cannot encrypt, and libharu only knows RC4 (PDF 1.4, revision 3).
 * So the default path encrypts afterwards: the writer's whole file, in memory, goes
 * through libqpdf, which writes it again with the PDF 2.0 standard security handler
 * (AES-256, revision 6). Nothing else changes: pages, tags, outline, links, metadata
 * and attachments are copied object by object, only encrypted. Single reports,
 * reports assembled from shared pages, merged print files and the handbook all pass
 * through the same function (the output module calls it when the file is committed,
 * see core/outfile.h), so no path can forget it.
 *
 * Encrypted files are not byte-identical from run to run, by design: revision 6 needs
 * random salts, a random file key and random AES initialisation vectors, and a file
 * that repeated them would give away that two reports share a password.
 *
 * All functions print nothing: the caller reports. */
#ifndef CP_PDF_SECURITY_H
#define CP_PDF_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What a cooperating reader allows once the document is open with the user password.
 * Reading, and extraction for accessibility (screen readers), are always allowed. */
enum {
    PDF_PERM_PRINT = 1u << 0,    /* print, also at high quality */
    PDF_PERM_COPY = 1u << 1,     /* copy text and pictures */
    PDF_PERM_EDIT = 1u << 2,     /* change the content, insert/delete/rotate pages */
    PDF_PERM_ANNOTATE = 1u << 3, /* add comments, fill in forms */
};

/* The longest password: PDF 1.4 (RC4, libharu) uses 32 bytes and silently drops the
 * rest. Revision 6 (AES-256) would take 127, but readers in use cut what they are given
 * to 32 (poppler's command-line tools, measured on Debian 12), so a longer password
 * would make a file some readers cannot open. */
#define PDF_PASSWORD_MAX 32

typedef struct {
    const char *user_password;   /* opens the file */
    const char *owner_password;  /* full rights; differs from the user password */
    unsigned permissions;        /* PDF_PERM_* bits */
} cp_pdf_security;

/* "print,copy,edit,annotate" (any subset, any order; "none" or "" = read only) into
 * PDF_PERM_* bits. NULL = the default, print only. False on an unknown word. */
bool pdf_parse_permissions(const char *csv, unsigned *out);

/* 1 to PDF_PASSWORD_MAX printable ASCII characters: readers differ in how they turn
 * typed non-ASCII characters into bytes, so such a password might not open the file.
 * False with *why set (static text) otherwise. */
bool pdf_password_ok(const char *password, const char **why);

/* Without an owner password of the user's, the owner password is this prefix plus the
 * user password, cut to PDF_PASSWORD_MAX bytes: the handlers need two different
 * passwords and nobody has to keep a second secret. It is no secret (the README says
 * so). Writes at most PDF_PASSWORD_MAX + 1 bytes into `out`. */
#define PDF_OWNER_PREFIX "careerpdf-owner:"
void pdf_derive_owner_password(const char *user, char *out);

/* Writes `pdf` (a whole file) to `out` encrypted with AES-256 (revision 6). False with
 * a sentence in `why` when libqpdf cannot read the file or the write fails. */
bool pdf_encrypt_aes256(const char *pdf, size_t len, const cp_pdf_security *sec, FILE *out,
                        char *why, size_t why_len);

/* The same as an output filter (core/outfile.h): `ctx` is a cp_pdf_security. */
bool pdf_encrypt_filter(void *ctx, const char *pdf, size_t len, FILE *out, char *why,
                        size_t why_len);

#endif
