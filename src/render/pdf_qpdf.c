/* pdf_qpdf.c - encryption and object streams through libqpdf, loaded on first use
 * (pdf_qpdf.h). */
#include "pdf_qpdf.h"

#include <dlfcn.h>

#include <qpdf/qpdf-c.h>

#ifndef CP_QPDF_SONAME
#error "build with the Makefile: it defines CP_QPDF_SONAME from libqpdf's pkg-config"
#endif

/* The functions used, each looked up once; the declarations come from qpdf-c.h, so a
 * change of signature between versions fails the build, not the run. */
#define QPDF_FUNCTIONS(X) \
    X(qpdf_init) X(qpdf_cleanup) X(qpdf_silence_errors) X(qpdf_set_suppress_warnings) \
    X(qpdf_read_memory) X(qpdf_has_error) X(qpdf_get_error) \
    X(qpdf_get_error_message_detail) X(qpdf_init_write_memory) X(qpdf_set_decode_level) \
    X(qpdf_set_compress_streams) X(qpdf_set_object_stream_mode) \
    X(qpdf_set_deterministic_ID) X(qpdf_set_r6_encryption_parameters2) X(qpdf_write) \
    X(qpdf_get_buffer_length) X(qpdf_get_buffer)

static struct {
    bool tried, ok;
#define QPDF_FIELD(name) __typeof__(name) *name;
    QPDF_FUNCTIONS(QPDF_FIELD)
#undef QPDF_FIELD
} lib;

/* Loads libqpdf once per process (the handle stays open: the library is the process's
 * from then on, as a linked one would be). */
static bool load(char *why, size_t why_len)
{
    if (!lib.tried) {
        lib.tried = true;
        void *h = dlopen(CP_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
        lib.ok = h != NULL;
#define QPDF_LOOKUP(name) \
        if (lib.ok) { \
            *(void **)(&lib.name) = dlsym(h, #name); \
            lib.ok = lib.name != NULL; \
        }
        QPDF_FUNCTIONS(QPDF_LOOKUP)
#undef QPDF_LOOKUP
    }
    if (!lib.ok)
        snprintf(why, why_len, "cannot load %s (the qpdf library, Debian package libqpdf29), "
                 "which encrypts protected files and packs merged ones: install it",
                 CP_QPDF_SONAME);
    return lib.ok;
}

/* libqpdf's own words for its first error. */
static void qpdf_why(qpdf_data q, const char *what, char *why, size_t why_len)
{
    const char *detail = NULL;
    if (lib.qpdf_has_error(q)) {
        qpdf_error e = lib.qpdf_get_error(q);
        detail = lib.qpdf_get_error_message_detail(q, e);
    }
    snprintf(why, why_len, "%s%s%s", what, detail && *detail ? ": " : "",
             detail ? detail : "");
}

static void set_encryption(qpdf_data q, const cp_pdf_security *sec)
{
    unsigned p = sec->permissions;
    lib.qpdf_set_r6_encryption_parameters2(
        q, sec->user_password, sec->owner_password,
        QPDF_TRUE,                               /* accessibility: always */
        (p & PDF_PERM_COPY) != 0,                /* extract */
        (p & PDF_PERM_EDIT) != 0,                /* assemble */
        (p & PDF_PERM_ANNOTATE) != 0,            /* annotate and fill forms */
        (p & PDF_PERM_ANNOTATE) != 0,            /* fill forms */
        (p & PDF_PERM_EDIT) != 0,                /* modify other */
        (p & PDF_PERM_PRINT) ? qpdf_r3p_full : qpdf_r3p_none,
        QPDF_TRUE);                              /* the metadata too */
}

GString *pdf_qpdf_pass(const char *pdf, size_t len, const cp_pdf_security *sec, bool compact,
                       char *why, size_t why_len)
{
    if (!load(why, why_len))
        return NULL;
    qpdf_data q = lib.qpdf_init();
    lib.qpdf_silence_errors(q);
    lib.qpdf_set_suppress_warnings(q, QPDF_TRUE);
    GString *out = NULL;
    if (lib.qpdf_read_memory(q, "document.pdf", pdf, (unsigned long long)len, NULL) &
        QPDF_ERRORS) {
        qpdf_why(q, "the PDF to finish could not be read", why, why_len);
        goto done;
    }
    if (lib.qpdf_init_write_memory(q) & QPDF_ERRORS) {
        qpdf_why(q, "cannot start writing the finished PDF", why, why_len);
        goto done;
    }
    /* The streams are copied as they are (already compressed): never decoded and
     * compressed again. */
    lib.qpdf_set_decode_level(q, qpdf_dl_none);
    lib.qpdf_set_compress_streams(q, QPDF_FALSE);
    lib.qpdf_set_object_stream_mode(q, compact ? qpdf_o_generate : qpdf_o_disable);
    lib.qpdf_set_deterministic_ID(q, sec ? QPDF_FALSE : QPDF_TRUE);
    if (sec)
        set_encryption(q, sec);
    if (lib.qpdf_write(q) & QPDF_ERRORS) {
        qpdf_why(q, "the finished PDF could not be written", why, why_len);
        goto done;
    }
    out = g_string_new_len((const char *)lib.qpdf_get_buffer(q),
                           (gssize)lib.qpdf_get_buffer_length(q));
done:
    lib.qpdf_cleanup(&q);
    return out;
}
