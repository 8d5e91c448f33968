/* book.c - careerpdf --all --merge FILE: every career as one handbook. */
#include "app.h"

#include "../layout/handbook.h"

/* Each chapter is laid out with the report layout as a chapter of the book. Careers,
 * labels and the layout come through app_job, as for a single report, so each file is
 * read and checked once however many chapters use it. */
static bool lay_out_chapter(cp_arena *a, cp_session *s, const cp_options *o, const char *id,
                            const char *layout, hb_chapter *out, cp_job *front)
{
    cp_job *job = ARENA_NEW(a, cp_job);
    if (!app_job(s, o, id, layout, NULL, job))
        return false;
    job->chapter = true;
    *out = (hb_chapter){id, job->career, layout_document(a, job)};
    if (!front->career) {
        *front = *job;
        front->chapter = false;
    }
    return out->doc != NULL;
}

int app_handbook(cp_session *s, const cp_options *o)
{
    const char *path = o->merge ? o->merge : o->output;
    if (!path) {
        diag_error(NULL, NULL, "--all needs --merge FILE (or -o FILE), expected e.g. "
                   "--all --merge handbook.pdf");
        return EXIT_BAD;
    }
    cp_arena *a = arena_new();
    const char **ids = career_ids(a, &s->lib);
    size_t n = 0;
    while (ids[n])
        n++;
    hb_chapter *ch = ARENA_ARRAY(a, hb_chapter, n ? n : 1);
    cp_job front = {0};
    bool ok = n > 0;
    for (size_t i = 0; i < n; i++)
        ok &= lay_out_chapter(a, s, o, ids[i], o->layout ? o->layout : "report", &ch[i],
                              &front);
    dl_doc *book = ok ? handbook_document(a, &front, ch, n) : NULL;
    ok = book && app_write(book, o, path, NULL);
    arena_free(a);
    return ok ? EXIT_OK : EXIT_BAD;
}
