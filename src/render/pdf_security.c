/* pdf_security.c - passwords, permissions, and AES-256 through libqpdf. */
#include "pdf_security.h"

#include <string.h>

#include <glib.h>
#include <qpdf/qpdf-c.h>

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

/* libqpdf's own words for its first error. */
static void qpdf_why(qpdf_data q, const char *what, char *why, size_t why_len)
{
    const char *detail = NULL;
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        detail = qpdf_get_error_message_detail(q, e);
    }
    snprintf(why, why_len, "%s%s%s", what, detail && *detail ? ": " : "",
             detail ? detail : "");
}

bool pdf_encrypt_aes256(const char *pdf, size_t len, const cp_pdf_security *sec, FILE *out,
                        char *why, size_t why_len)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = false;
    if (qpdf_read_memory(q, "document.pdf", pdf, (unsigned long long)len, NULL) &
        QPDF_ERRORS) {
        qpdf_why(q, "the PDF to encrypt could not be read", why, why_len);
        goto done;
    }
    if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
        qpdf_why(q, "cannot start writing the encrypted PDF", why, why_len);
        goto done;
    }
    /* The writer's streams are copied as they are (already compressed): only
     * encrypted, never decoded and compressed again, so the pages stay the writer's
     * and encryption costs little. */
    qpdf_set_decode_level(q, qpdf_dl_none);
    qpdf_set_compress_streams(q, QPDF_FALSE);
    qpdf_set_object_stream_mode(q, qpdf_o_preserve);
    unsigned p = sec->permissions;
    qpdf_set_r6_encryption_parameters2(
        q, sec->user_password, sec->owner_password,
        QPDF_TRUE,                               /* accessibility: always */
        (p & PDF_PERM_COPY) != 0,                /* extract */
        (p & PDF_PERM_EDIT) != 0,                /* assemble */
        (p & PDF_PERM_ANNOTATE) != 0,            /* annotate and fill forms */
        (p & PDF_PERM_ANNOTATE) != 0,            /* fill forms */
        (p & PDF_PERM_EDIT) != 0,                /* modify other */
        (p & PDF_PERM_PRINT) ? qpdf_r3p_full : qpdf_r3p_none,
        QPDF_TRUE);                              /* the metadata too */
    if (qpdf_write(q) & QPDF_ERRORS) {
        qpdf_why(q, "the encrypted PDF could not be written", why, why_len);
        goto done;
    }
    size_t n = qpdf_get_buffer_length(q);
    const unsigned char *bytes = qpdf_get_buffer(q);
    if (!bytes || fwrite(bytes, 1, n, out) != n) {
        snprintf(why, why_len, "the encrypted PDF could not be written");
        goto done;
    }
    ok = true;
done:
    qpdf_cleanup(&q);
    return ok;
}

bool pdf_encrypt_filter(void *ctx, const char *pdf, size_t len, FILE *out, char *why,
                        size_t why_len)
{
    return pdf_encrypt_aes256(pdf, len, ctx, out, why, why_len);
}
