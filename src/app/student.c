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
#include "../core/testing.h"
#include "../render/cairo_out.h"
#include "../render/pdf_assemble.h"
#include "../render/pdf_finish.h"

/* A template kept for the process; `pdf` NULL means "this layout cannot share pages":
 * remembered too, so that it is not tried again for every student. */
typedef struct {
    cp_template layout;
    bool usable;             /* the layout can share its pages */
    bool written;            /* the PDF below was tried */
    cp_pdf_template *pdf;    /* NULL when cairo's file could not be parsed */
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

/* Pages can be shared when the writer is cairo and nothing reworks whole documents:
 * print finishing, or an option only the haru writer takes (app_write refuses it with
 * a message). Encryption is no reason not to: it happens to the finished file. The
 * test build's CAREERPDF_WHOLE=1 (core/testing.h) lays every report out whole, for
 * checking that each looks the same as its assembled twin (tests/cli/shared.sh). */
static bool shares_pages(const cp_options *o)
{
    const char *off = testing_setting("CAREERPDF_WHOLE");
    return o->backend == BACKEND_CAIRO && !o->tile && o->bleed_mm <= 0 &&
           !o->attach_source && !(off && *off && strcmp(off, "0"));
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
    sp->usable = st == TEMPLATE_OK;
    return sp;
}

/* cairo's file in *buf (a template, or a student's overlay) replaced by its finished
 * twin (src/render/pdf_finish.h): tags completed, artifacts marked, languages and text
 * layer written. False (with *buf freed) when the finisher cannot read it. */
static bool finish_a11y(const dl_doc *doc, char **buf, size_t *len)
{
    char *out = NULL, why[256];
    size_t out_len = 0;
    FILE *mem = open_memstream(&out, &out_len);
    pdf_finish_opts f = {pdf_a11y_new(doc), NULL, false};
    bool ok = mem && pdf_finish(*buf, *len, &f, mem, why, sizeof why);
    if (mem && fclose(mem) != 0)
        ok = false;
    free(*buf);
    *buf = ok ? out : NULL;
    *len = ok ? out_len : 0;
    if (!ok)
        free(out);
    return ok;
}

/* The template written as PDF, once, when a file is first assembled from it. */
static void write_template(shared_pages *sp)
{
    if (sp->written || !sp->usable)
        return;
    sp->written = true;
    char *buf = NULL;
    size_t len = 0;
    if (!cairo_pdf_bytes(sp->layout.doc, true, &buf, &len))
        return;
    /* Finished once here; each student's overlay is finished on its own, and its
     * elements join the template's tree (pdf_assemble.h). A template the finisher cannot
     * read is not used: the students' reports are then laid out whole. */
    if (!finish_a11y(sp->layout.doc, &buf, &len))
        return;
    if (sp->layout.n_frames == 0) {   /* every student gets the same pages */
        sp->whole = buf;
        sp->whole_len = len;
        return;
    }
    sp->pdf = pdf_template_new(buf, len, sp->layout.n_frames);
    free(buf);
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

static bool write_bytes(const char *bytes, size_t len, const char *path, cp_protection *p)
{
    cp_outfile out;
    if (!app_open_output(&out, path, p))
        return false;
    if (fwrite(bytes, 1, len, out.fp) != len) {
        outfile_fail(&out, "pdf");
        return false;
    }
    return outfile_commit(&out);
}

bool app_student_doc(cp_arena *a, cp_session *s, const cp_options *o,
                     const char *career_ref, const cp_node *student, cp_student_doc *out)
{
    *out = (cp_student_doc){0};
    cp_job job;
    if (!app_job(s, o, career_ref, o->layout, student, &job))
        return false;
    cp_parts *parts = shares_pages(o) ? layout_parts(a, &job) : NULL;
    if (shares_pages(o) && !parts)
        return false;
    shared_pages *sp = parts ? template_for(s, o, &job, career_ref,
                                            layout_parts_mask(parts)) : NULL;
    if (parts && !sp)
        return false;
    if (sp && sp->usable) {
        out->shared = &sp->layout;
        out->overlay = layout_overlay(a, parts, &sp->layout);
        out->handle = sp;
        if (out->overlay || sp->layout.n_frames == 0)
            return true;
        out->shared = NULL;   /* the student's blocks do not fit their frames */
    }
    out->whole = layout_document(a, &job);
    return out->whole != NULL;
}

/* The shared template plus the student's overlay into `path`. */
static bool write_assembled(const cp_student_doc *d, const char *path, cp_protection *p)
{
    shared_pages *sp = d->handle;
    write_template(sp);
    if (sp->whole)
        return write_bytes(sp->whole, sp->whole_len, path, p);
    /* The template's part first: the disk stores it while cairo draws the student's
     * pages, so the commit's sync has little left to wait for (not when the file is
     * encrypted: that needs the whole document first). */
    cp_outfile out;
    if (!app_open_output(&out, path, p))
        return false;
    if (!pdf_assemble_head(sp->pdf, out.fp)) {
        outfile_fail(&out, "pdf");
        return false;
    }
    outfile_start_writeback(&out);
    char *buf = NULL;
    size_t len = 0;
    if (!cairo_pdf_bytes(d->overlay, false, &buf, &len)) {
        diag_error(NULL, NULL, "could not draw the student's pages with cairo");
        outfile_abort(&out);
        free(buf);
        return false;
    }
    /* The student's elements are finished like the template's (their languages, the
     * box's background as an artifact, the glyphs' text) before they join its tree. */
    if (!finish_a11y(d->overlay, &buf, &len)) {
        diag_error(NULL, NULL, "could not finish the student's pages for accessibility");
        outfile_abort(&out);
        return false;
    }
    bool ok = pdf_assemble_tail(sp->pdf, buf, len, out.fp);
    free(buf);
    if (!ok) {
        outfile_fail(&out, "pdf");
        return false;
    }
    return outfile_commit(&out);
}

bool app_write_student(cp_arena *a, cp_session *s, const cp_options *o,
                       const char *career_ref, const cp_node *student, const char *path,
                       const cp_write_extra *extra, size_t *pages)
{
    bool pdf = !strcmp(app_format(o, path), "pdf");
    cp_student_doc d;
    if (!app_student_doc(a, s, o, career_ref, student, &d))
        return false;
    if (d.shared && pdf) {
        write_template(d.handle);
        const shared_pages *sp = d.handle;
        if (sp->whole || sp->pdf) {
            cp_protection prot;
            if (!app_protection(o, extra, &prot))
                return false;
            *pages = dl_page_count(d.shared->doc);
            return write_assembled(&d, path, &prot);
        }
    }
    dl_doc *doc = d.whole;
    if (!doc) {   /* shared pages the writer cannot use: lay out whole after all */
        cp_job job;
        if (!app_job(s, o, career_ref, o->layout, student, &job) ||
            !(doc = layout_document(a, &job)))
            return false;
    }
    if (!app_write(doc, o, path, extra))
        return false;
    *pages = dl_page_count(doc);
    return true;
}
