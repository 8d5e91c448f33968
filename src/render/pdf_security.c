/* pdf_security.c - passwords, permissions, and AES-256 through libqpdf (the pass itself
 * is pdf_finish.c's, which also finishes the tags when asked). */
#include "pdf_security.h"

#include <string.h>

#include <glib.h>

#include "pdf_finish.h"

bool pdf_parse_permissions(const char *csv, unsigned *out)
{
    static const struct { const char *word; unsigned bit; } WORDS[] = {
        {"print", PDF_PERM_PRINT}, {"copy", PDF_PERM_COPY},
        {"edit", PDF_PERM_EDIT},   {"annotate", PDF_PERM_ANNOTATE},
        {"none", 0},
    };
    if (!csv) {
        *out = PDF_PERM_PRINT;
        return true;
    }
    unsigned bits = 0;
    gchar **parts = g_strsplit(csv, ",", -1);
    bool ok = true;
    for (gchar **p = parts; *p && ok; p++) {
        g_strstrip(*p);
        if (!**p && !parts[1])
            break; /* "" alone: read only */
        ok = false;
        for (size_t i = 0; i < G_N_ELEMENTS(WORDS) && !ok; i++)
            if (!strcmp(*p, WORDS[i].word)) {
                bits |= WORDS[i].bit;
                ok = true;
            }
    }
    g_strfreev(parts);
    if (ok)
        *out = bits;
    return ok;
}

bool pdf_password_ok(const char *password, const char **why)
{
    size_t n = password ? strlen(password) : 0;
    *why = NULL;
    if (n == 0)
        *why = "the password is empty";
    else if (n > PDF_PASSWORD_MAX)
        *why = "the password is longer than 32 characters, the most every reader takes "
               "(PDF 1.4 ignores the rest; some AES-256 readers cut it to 32)";
    for (size_t i = 0; i < n && !*why; i++)
        if ((unsigned char)password[i] < 0x20 || (unsigned char)password[i] > 0x7e)
            *why = "the password has a character other than printable ASCII (readers "
                   "differ in how they turn such characters into bytes)";
    return *why == NULL;
}

void pdf_derive_owner_password(const char *user, char *out)
{
    /* A prefix, not a suffix, so that a password of the full length still gives a
     * different owner password. */
    snprintf(out, PDF_PASSWORD_MAX + 1, "%s%s", PDF_OWNER_PREFIX, user);
}

bool pdf_encrypt_aes256(const char *pdf, size_t len, const cp_pdf_security *sec, FILE *out,
                        char *why, size_t why_len)
{
    pdf_finish_opts f = {NULL, sec, false};
    return pdf_finish(pdf, len, &f, out, why, why_len);
}

bool pdf_encrypt_filter(void *ctx, const char *pdf, size_t len, FILE *out, char *why,
                        size_t why_len)
{
    return pdf_encrypt_aes256(pdf, len, ctx, out, why, why_len);
}
