/* student.c - a roster row's report: shared pages once, the student's own per row.
 *
 * Laying a whole report out and writing it costs tens of milliseconds, nearly all of
 * it for pages that are the same for every student of a career. So the first student
 * of each career (language, layout, set of student blocks) costs that once: the
 * template is laid out and written, and its PDF objects are kept. Every student after
 * that costs only their own blocks: laid out alone, drawn into a small overlay PDF and
 * assembled with the template's objects (src/render/pdf_assemble.h). */
#include "app.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/outfile.h"
#include "../render/cairo_out.h"
#include "../render/pdf_assemble.h"

/* A template kept for the process; `pdf` NULL means "this layout cannot share pages":
 * remembered too, so that it is not tried again for every student. */
typedef struct {
    cp_template layout;
    cp_pdf_template *pdf;
    char *whole;             /* a layout without student blocks: the finished file */
    size_t whole_len;
} shared_pages;

static void shared_free(gpointer p)
{
    shared_pages *sp = p;
    pdf_template_free(sp->pdf);
    free(sp->whole);
    g_free(sp);
}

/* Only a cairo PDF can be assembled; print finishing reworks whole pages. The
 * environment variable is for checking: every report laid out whole must look the
 * same as its assembled twin (tests/cli/batch.sh). */
static bool can_share(const cp_options *o, const char *path)
{
    const char *off = getenv("CAREERPDF_WHOLE");
    return o->backend == BACKEND_CAIRO && !strcmp(app_format(o, path), "pdf") &&
           !o->tile && o->bleed_mm <= 0 && !(off && *off && strcmp(off, "0"));
}

static char *template_key(const cp_options *o, const cp_job *job, const char *career_ref,
                          unsigned mask)
{
    return g_strdup_printf("%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%x", career_ref,
                           node_str(job->strings, "lang") ? node_str(job->strings, "lang")
                                                          : "",
                           o->layout ? o->layout : "report", o->paper ? o->paper : "",
                           o->grayscale, mask);
}

static shared_pages *make_template(cp_session *s, const cp_job *job, unsigned mask)
{
    shared_pages *sp = g_new0(shared_pages, 1);
    cp_template_status st = layout_template(s->arena, job, mask, &sp->layout);
    if (st == TEMPLATE_ERROR) {
        g_free(sp);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    if (st != TEMPLATE_OK || !cairo_pdf_bytes(sp->layout.doc, true, &buf, &len))
        return sp;
    if (sp->layout.n_frames == 0) {   /* every student gets the same pages */
        sp->whole = buf;
        sp->whole_len = len;
        return sp;
    }
    sp->pdf = pdf_template_new(buf, len, sp->layout.n_frames);
    free(buf);
    return sp;
}

/* The template for this student's set of blocks: from the cache, else made now. */
static shared_pages *template_for(cp_session *s, const cp_options *o, const cp_job *job,
                                  const char *career_ref, unsigned mask)
{
    if (!s->templates)
        s->templates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, shared_free);
    char *key = template_key(o, job, career_ref, mask);
    shared_pages *sp = g_hash_table_lookup(s->templates, key);
    if (sp) {
        g_free(key);
        return sp;
    }
    sp = make_template(s, job, mask);
    if (sp)
        g_hash_table_insert(s->templates, key, sp);
    else
        g_free(key);
    return sp;
}

static bool write_bytes(const char *bytes, size_t len, const char *path,
                        const cp_template *t, size_t *pages, bool *written)
{
    cp_outfile out;
    if (!outfile_open(&out, path))
        return false;
    if (fwrite(bytes, 1, len, out.fp) != len) {
        cp_loc loc = {path, 0, 0};
        int err = errno;
        diag_error(&loc, NULL, "could not write the pdf (disk full or not writable?)");
        outfile_abort(&out);
        errno = err;
        return false;
    }
    if (!outfile_commit(&out))
        return false;
    *pages = dl_page_count(t->doc);
    *written = true;
    return true;
}

/* Template plus overlay into `path`; *written false (and no message) when this student
 * needs the whole layout after all. */
static bool write_assembled(cp_arena *a, cp_session *s, const cp_options *o,
                            const cp_job *job, const char *career_ref, const char *path,
                            size_t *pages, bool *written)
{
    *written = false;
    cp_parts *parts = layout_parts(a, job);
    if (!parts)
        return false;
    shared_pages *sp = template_for(s, o, job, career_ref, layout_parts_mask(parts));
    if (!sp)
        return false;
    if (sp->whole)
        return write_bytes(sp->whole, sp->whole_len, path, &sp->layout, pages, written);
    dl_doc *overlay = sp->pdf ? layout_overlay(a, parts, &sp->layout) : NULL;
    if (!overlay)
        return true;
    char *buf = NULL;
    size_t len = 0;
    cp_outfile out;
    if (!cairo_pdf_bytes(overlay, false, &buf, &len)) {
        diag_error(NULL, NULL, "could not draw the student's pages with cairo");
        free(buf);
        return false;
    }
    if (!outfile_open(&out, path)) {
        free(buf);
        return false;
    }
    if (!pdf_assemble(sp->pdf, buf, len, out.fp)) {
        cp_loc loc = {path, 0, 0};
        int err = errno;
        diag_error(&loc, NULL, "could not write the pdf (disk full or not writable?)");
        outfile_abort(&out);
        errno = err;
        free(buf);
        return false;
    }
    free(buf);
    if (!outfile_commit(&out))
        return false;
    *pages = dl_page_count(sp->layout.doc);
    *written = true;
    return true;
}

bool app_write_student(cp_arena *a, cp_session *s, const cp_options *o,
                       const char *career_ref, const cp_node *student, const char *path,
                       const cp_write_extra *extra, size_t *pages)
{
    cp_job job;
    if (!app_job(s, o, career_ref, o->layout, student, &job))
        return false;
    bool written = false;
    if (can_share(o, path) && !(extra && (extra->password || extra->source_yaml)) &&
        !write_assembled(a, s, o, &job, career_ref, path, pages, &written))
        return false;
    if (written)
        return true;
    dl_doc *doc = layout_document(a, &job);
    if (!doc || !app_write(doc, o, path, extra))
        return false;
    *pages = dl_page_count(doc);
    return true;
}
