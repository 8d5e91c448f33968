/* batch.c - a roster in, one report per row out: checks, names, workers, manifest.
 *
 * The parent locks the output folder, reads the roster through once (it must be
 * readable to the end, and it counts how many rows want each file name), then reads it
 * again row by row: it checks what it can without laying anything out (a name, a
 * career, ratings in range, a free file name or a kept report of the same identity),
 * gives the row to a free worker, and records every answer in the manifest. Only the
 * parent decides file names, in roster order and from the rows themselves, so every
 * run and every shard (each reads the whole roster but makes only its own rows) gives
 * a row the same name. */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "../core/outfile.h"
#include "../core/testing.h"
#include "../core/xalloc.h"
#include "careers.h"
#include "columns.h"
#include "folder.h"
#include "identity.h"
#include "manifest.h"
#include "../render/merge.h"
#include "names.h"
#include "pool.h"
#include "progress.h"
#include "roster.h"
#include "roster_stdin.h"
#include "summary.h"

#define RATING_PREFIX "rate:"

/* The signal handler can only reach globals: the signal that asked us to stop, and
 * the write end of the pipe that wakes the parent's poll(). */
static volatile sig_atomic_t stop_signal;
static int wake_pipe[2] = {-1, -1};

typedef struct {
    size_t seq;
    int line;
    char *name, *career, *file, *digest;
} in_flight;

typedef struct {
    cp_session *s;
    const cp_options *o;
    const char *roster;      /* as the user named it */
    const char *out_dir;     /* NULL with --merge alone */
    const char *pattern;
    cp_arena *a;             /* lives as long as the run */
    cp_names *names;
    GHashTable *careers;     /* career id → known? */
    cp_careers *index;       /* careers by role and title, for values that are not ids */
    cp_identity *identity;   /* what every report is made from (src/batch/identity.h) */
    GHashTable *previous;    /* file → identity, from the manifest this run replaces */
    cp_names *tally;         /* how many rows want each file name */
    const char *password_key;   /* --password-column as a column key, or NULL */
    cp_folder_lock *lock;
    GHashTable *skills;      /* career → its skill names (strv), NULL if it won't load */
    cp_manifest *manifest;
    cp_summary *summary;     /* --summary FILE.json (summary.h), or NULL */
    const char *path;        /* the roster file (a temporary copy for --roster -) */
    cp_progress progress;
    GHashTable *flight;      /* row → in_flight */
    size_t seq, written, skipped, failed, interrupted, not_started;
    bool disk_full;
    bool nothing_written;    /* --merge stopped: no merged file, so no manifest either */
    time_t started;
    /* in a worker */
    cp_session ws;
    cp_arena *wa;
} batch;

/* --- messages ---------------------------------------------------------------------------- */

static void row_error(batch *b, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_error(batch *b, int line, const char *fmt, ...)
{
    progress_clear(&b->progress);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "careerpdf: %s:%d: error: ", b->roster, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The first error a row's job collected, as the rest of the row's line: the row's own
 * location is already in front of it, so a cell of this roster is named by its data
 * path only, and another file by its place. Read from the diagnostic's values, never
 * from printed text. */
static void clean_message(const char *roster, const cp_diag_list *found, char *out,
                          size_t n)
{
    const cp_diag *d = NULL;
    for (size_t i = 0; i < diag_list_len(found) && !d; i++)
        if (diag_list_get(found, i)->severity == DIAG_ERROR)
            d = diag_list_get(found, i);
    if (!d) {
        snprintf(out, n, "the report could not be made");
        return;
    }
    char where[600] = "";
    bool own = d->file && !strcmp(d->file, diag_path(roster));
    if (d->file && !own && d->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", d->file, d->line, d->col);
    else if (d->file && !own)
        snprintf(where, sizeof where, "%s: ", d->file);
    snprintf(out, n, "%s%s%s%s%s%s%s", where, d->path ? d->path : "",
             d->path && *d->path ? ": " : "", d->message, d->hint ? " (" : "",
             d->hint ? d->hint : "", d->hint ? ")" : "");
}

/* --- the record of each row -------------------------------------------------------------- */

static void record(batch *b, size_t seq, size_t row, int line, const char *name,
                   const char *career, const char *file, unsigned pages,
                   unsigned long long bytes, const char *status, const char *error,
                   const char *digest)
{
    /* A row without a report names no file: none was written under its name. */
    bool made = !strcmp(status, "ok") || !strcmp(status, "skipped");
    if (!made)
        file = digest = NULL;
    cp_manifest_entry e = {row, line, name, career, file, pages, bytes, status, error, digest};
    if (b->manifest)
        manifest_add(b->manifest, seq, &e);
    if (b->summary)
        summary_add(b->summary, seq, &e);
    if (!strcmp(status, "ok"))
        b->written++;
    else if (!strcmp(status, "skipped"))
        b->skipped++;
    else if (!strcmp(status, "interrupted"))
        b->interrupted++;
    else if (!strcmp(status, "not-started"))
        b->not_started++;
    else
        b->failed++;
    if (made || !strcmp(status, "failed"))
        progress_step(&b->progress);
}

/* --- checks before a row is given to a worker -------------------------------------------- */

typedef enum { PLAN_OTHER_SHARD, PLAN_FAILED, PLAN_KEEP, PLAN_MAKE } plan_kind;

typedef struct {
    size_t row;
    int line;
    const cp_node *student;
    const char *name, *career, *career_id, *file, *path, *error, *digest;
} plan;

static const char *trimmed(cp_arena *a, const char *s)
{
    if (!s)
        return "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return arena_strndup(a, s, n);
}

/* Careers named in a roster are ids (or roles and titles that name one), never paths:
 * a roster cannot make careerpdf read files outside the content folder. */
static bool career_known(batch *b, const char *id)
{
    gpointer v;
    if (g_hash_table_lookup_extended(b->careers, id, NULL, &v))
        return GPOINTER_TO_INT(v);
    bool ok = career_id_valid(id) &&
              access(career_path(b->a, &b->s->lib, id), R_OK) == 0;
    g_hash_table_insert(b->careers, g_strdup(id), GINT_TO_POINTER(ok));
    return ok;
}

static const char *id_of(cp_arena *a, const char *ref)
{
    const char *base = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
    return arena_strndup(a, base, strcspn(base, "."));
}

/* The career id a row's value names: the id as written, else by id, role or title in
 * any case (src/batch/careers.h); NULL with *why. */
static const char *career_of(batch *b, cp_arena *a, const char *value, const char **why)
{
    *why = NULL;
    if (career_known(b, value))
        return value;
    if (!b->index)
        b->index = careers_new(&b->s->lib);
    return careers_find(b->index, value, why, a);
}

/* A row's name, career and file name before any check; the same in the survey before
 * the run and in the run, so both count the same names. */
typedef struct {
    const char *name, *career_value, *career_id, *career_why, *file;
} row_basics;

static void basics(batch *b, cp_arena *a, const cp_roster_row *rr, row_basics *rb)
{
    const cp_options *o = b->o;
    memset(rb, 0, sizeof *rb);
    rb->name = trimmed(a, node_str(rr->node, "name"));
    rb->career_value = trimmed(a, node_str(rr->node, "career"));
    if (*rb->career_value) {
        rb->career_id = career_of(b, a, rb->career_value, &rb->career_why);
        if (!rb->career_id)   /* the row fails; its name still uses what it says */
            rb->career_id = rb->career_value;
    } else {
        rb->career_id = o->career ? id_of(a, o->career) : "";
    }
    if (*rb->name && b->names)
        rb->file = name_for_row(a, b->pattern, rr->node, rb->career_id, rr->row);
}

/* Self-ratings: empty (not rated) or a number from 0 to 5. */
static const char *bad_rating(cp_arena *a, const cp_node *student)
{
    for (size_t i = 0; i < student->len; i++) {
        if (strncmp(student->keys[i], RATING_PREFIX, strlen(RATING_PREFIX)))
            continue;
        const char *v = trimmed(a, student->items[i]->text);
        char *end;
        double x = strtod(v, &end);
        if (*v && (*end || !isfinite(x) || x < 0 || x > 5))
            return arena_printf(a, "%s: '%s' is not a rating, expected a number from 0 to "
                                "5 (or an empty cell)", student->keys[i], v);
    }
    return NULL;
}

/* Skill names of a career's base file, loaded once per career. */
static const char *const *skill_names(batch *b, const char *career, size_t *n)
{
    gpointer v = NULL;
    if (!g_hash_table_lookup_extended(b->skills, career, NULL, &v)) {
        diag_set_quiet(1);   /* a broken career is reported by the row that uses it */
        cp_arena *a = arena_new();
        const cp_node *c = career_load(a, &b->s->lib, career);
        const cp_node *sk = node_get(c, "skills");
        GPtrArray *names = g_ptr_array_new();
        for (size_t i = 0; node_is_seq(sk) && i < sk->len; i++)
            g_ptr_array_add(names, g_strdup(node_str(sk->items[i], "name") ?
                                            node_str(sk->items[i], "name") : ""));
        g_ptr_array_add(names, NULL);
        v = g_ptr_array_free(names, FALSE);
        arena_free(a);
        diag_set_quiet(0);
        g_hash_table_insert(b->skills, g_strdup(career), v);
    }
    *n = g_strv_length(v);
    return (const char *const *)v;
}

static plan_kind prepare(batch *b, cp_arena *a, const cp_roster_row *rr, plan *p)
{
    const cp_options *o = b->o;
    memset(p, 0, sizeof *p);
    p->row = rr->row;
    p->line = rr->line;
    p->student = rr->node;
    bool mine = shard_has(rr->row, o->shard_k, o->shard_n);
    if (!rr->node) {
        p->error = rr->error;
        return mine ? PLAN_FAILED : PLAN_OTHER_SHARD;
    }
    row_basics rb;
    basics(b, a, rr, &rb);
    p->name = rb.name;
    p->career_id = rb.career_id;
    p->career = *rb.career_value ? rb.career_id : o->career ? o->career : "";
    /* Names are claimed for every row with a name, in roster order and on every shard,
     * so each row's file name is the same whoever makes it. A name several rows want
     * gets each row's own digest, so it follows the row wherever the row moves. */
    if (rb.file) {
        const char *want = rb.file;
        if (names_tallied(b->tally, want) > 1)
            want = name_with_suffix(a, want, arena_strndup(a, identity_of_row(
                                        a, rr->node, b->password_key), 7));
        p->file = names_claim(b->names, a, want);
        p->path = arena_printf(a, "%s/%s", b->out_dir, p->file);
    }
    if (!mine)
        return PLAN_OTHER_SHARD;
    if (!*p->name)
        p->error = "name: empty, expected the student's name";
    else if (!*p->career)
        p->error = "career: empty, expected a career id (see careerpdf --list) or "
                   "--career ID for every row";
    else if (rb.career_why)
        p->error = arena_printf(a, "career: %s", rb.career_why);
    else
        p->error = bad_rating(a, rr->node);
    if (p->error)
        return PLAN_FAILED;
    size_t nskills;
    const char *const *skills = skill_names(b, p->career, &nskills);
    p->student = roster_rate_by_index(a, rr->node, skills, nskills);
    p->digest = identity_of_report(b->identity, a, p->career, rr->node);
    if (p->path && access(p->path, F_OK) == 0 && !o->force) {
        /* Kept only when made from this very row and inputs; a protected file cannot
         * say which password it has (none is ever recorded), so it is made again. */
        const char *had = g_hash_table_lookup(b->previous, p->file);
        const char *pw = b->password_key ? node_str(rr->node, b->password_key) : NULL;
        bool has_password = o->password || (pw && *pw);
        if (o->skip_existing && had && !strcmp(had, p->digest) && !has_password)
            return PLAN_KEEP;
        if (o->skip_existing)
            return PLAN_MAKE;
        p->error = arena_printf(a, "%s already exists, expected --force to replace it or "
                                "--skip-existing to keep it", p->path);
        return PLAN_FAILED;
    }
    return PLAN_MAKE;
}

/* --- in a worker ------------------------------------------------------------------------- */

static bool worker_init(void *ctx)
{
    batch *b = ctx;
    /* This process's own fonts and data: nothing of the parent's font map is touched
     * after fork (it may have been mid-use by a library thread). */
    b->wa = arena_new();
    return session_open(&b->ws, b->o, b->wa) && session_fonts(&b->ws) != NULL;
}

static void worker_fini(void *ctx)
{
    batch *b = ctx;
    session_close(&b->ws);
    arena_free(b->wa);
}

/* Test hook (test build only, core/testing.h), used by tests/cli/batch.sh: with
 * CAREERPDF_TEST_CRASH_ROW=N the
 * worker making row N the first time dies by SIGKILL halfway through writing it (its
 * temporary file exists), as an out-of-memory kill would; the retry succeeds. With
 * N:always every attempt dies, so the row fails and the batch goes on. With N:stop the
 * worker stops itself (SIGSTOP) at that point instead, so that a test can stop the run
 * while a report is half written; should it be continued, it dies all the same. */
static void test_hook_crash(const cp_task *t)
{
#ifndef CAREERPDF_TESTING
    (void)t;
#else
    const char *row = testing_setting("CAREERPDF_TEST_CRASH_ROW");
    char *rest;
    if (!row || strtoul(row, &rest, 10) != t->row ||
        (t->attempt != 1 && strcmp(rest, ":always")))
        return;
    cp_outfile f;
    if (outfile_open(&f, t->path)) {
        fputs("%PDF-1.5\n% half a report\n", f.fp);
        fflush(f.fp);
    }
    if (!strcmp(rest, ":stop"))
        raise(SIGSTOP);
    raise(SIGKILL);
#endif
}

/* A failed write is the disk's fault (not the row's) when the disk is full. */
static bool out_of_space(const char *path, int err)
{
    if (err == ENOSPC || err == EDQUOT)
        return true;
    char *dir = g_path_get_dirname(path);
    struct statvfs st;
    bool full = statvfs(dir, &st) == 0 && (unsigned long long)st.f_bavail * st.f_frsize <
                                              (1u << 20);
    g_free(dir);
    return full;
}

/* The roster row as a YAML mapping of double-quoted strings, for --attach-source. The
 * password column stays out: a password is never written anywhere. */
static const char *row_as_yaml(cp_arena *a, const cp_node *row, const char *password_column)
{
    GString *y = g_string_new("# The roster row this report was made for.\n");
    for (size_t i = 0; node_is_map(row) && i < row->len; i++) {
        const char *key = row->keys[i], *value = row->items[i]->text;
        if (!value || (password_column && !strcmp(key, password_column)))
            continue;
        g_string_append_c(y, '"');
        for (int part = 0; part < 2; part++) {
            for (const char *p = part ? value : key; *p; p++) {
                if (*p == '"' || *p == '\\')
                    g_string_append_c(y, '\\');
                if (*p == '\n')
                    g_string_append(y, "\\n");
                else if (*p == '\t')
                    g_string_append(y, "\\t");
                else if ((unsigned char)*p < 0x20)
                    g_string_append_printf(y, "\\x%02x", (unsigned char)*p);
                else
                    g_string_append_c(y, *p);
            }
            g_string_append(y, part ? "\"\n" : "\": \"");
        }
    }
    const char *out = arena_strdup(a, y->str);
    g_string_free(y, TRUE);
    return out;
}

static void worker_task(void *ctx, const cp_task *t, cp_arena *a, cp_task_result *res)
{
    batch *b = ctx;
    test_hook_crash(t);
    cp_diag_list *found = diag_list_new(), *was = diag_collect(found);
    diag_reset();
    cp_write_extra extra = {.password = t->password};
    if (b->o->attach_source) {
        extra.source_yaml = career_path(a, &b->ws.lib, t->career);
        extra.row_yaml = row_as_yaml(a, t->student, b->password_key);
    }
    errno = 0;
    size_t pages = 0;
    bool ok = app_write_student(a, &b->ws, b->o, t->career, t->student, t->path, &extra,
                                &pages);
    struct stat st;
    if (ok && stat(t->path, &st) == 0) {
        res->pages = (unsigned)pages;
        res->bytes = (unsigned long long)st.st_size;
    } else if (!ok && out_of_space(t->path, errno)) {
        res->status = TASK_NO_SPACE;
    }
    diag_collect(was);
    if (!ok) {
        if (res->status != TASK_NO_SPACE)
            res->status = TASK_FAILED;
        clean_message(b->roster, found, res->error, sizeof res->error);
    }
    diag_list_free(found);
}

/* --- answers ----------------------------------------------------------------------------- */

static void flight_free(gpointer p)
{
    in_flight *f = p;
    g_free(f->name);
    g_free(f->career);
    g_free(f->file);
    g_free(f->digest);
    g_free(f);
}

/* Temporary files a killed worker left: outfile names them ".NAME.tmp.XXXXXX". */
static void remove_temps(const char *path)
{
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *prefix = g_strdup_printf(".%s.tmp.", base);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (!strncmp(e->d_name, prefix, strlen(prefix))) {
            char *p = g_build_filename(dir, e->d_name, NULL);
            unlink(p);
            g_free(p);
        }
    if (d)
        closedir(d);
    g_free(prefix);
    g_free(base);
    g_free(dir);
}

static void finished(batch *b, const cp_task_result *res)
{
    in_flight *f = g_hash_table_lookup(b->flight, GSIZE_TO_POINTER(res->row));
    if (!f)
        return;
    if (res->status == TASK_OK) {
        record(b, f->seq, res->row, f->line, f->name, f->career, f->file, res->pages,
               res->bytes, "ok", NULL, f->digest);
    } else {
        if (res->status == TASK_NO_SPACE)
            b->disk_full = true;
        row_error(b, f->line, "%s", res->status == TASK_NO_SPACE
                  ? "no space left on the output disk" : res->error);
        record(b, f->seq, res->row, f->line, f->name, f->career, f->file, 0, 0, "failed",
               res->status == TASK_NO_SPACE ? "no space left on the output disk" : res->error,
               NULL);
    }
    g_hash_table_remove(b->flight, GSIZE_TO_POINTER(res->row));
}

static void worker_died(void *ctx, size_t row, const char *path)
{
    (void)ctx;
    (void)row;
    remove_temps(path);
}

static void dropped(void *ctx, size_t row, const char *path)
{
    batch *b = ctx;
    remove_temps(path);
    in_flight *f = g_hash_table_lookup(b->flight, GSIZE_TO_POINTER(row));
    struct stat st;
    /* Killed after its rename: the file is whole (rename is atomic), and new. */
    bool done = stat(path, &st) == 0 && st.st_mtime >= b->started;
    if (f && done)
        record(b, f->seq, row, f->line, f->name, f->career, f->file, 0,
               (unsigned long long)st.st_size, "ok", NULL, f->digest);
    else if (f)
        record(b, f->seq, row, f->line, f->name, f->career, f->file, 0, 0, "interrupted",
               "the run was stopped while this report was being made", NULL);
    g_hash_table_remove(b->flight, GSIZE_TO_POINTER(row));
}

/* Rows decided without a worker: failed checks, kept files. */
static void decided(batch *b, plan_kind k, const plan *p)
{
    size_t seq = b->seq++;
    if (k == PLAN_KEEP) {
        record(b, seq, p->row, p->line, p->name, p->career_id, p->file, 0, 0, "skipped",
               NULL, p->digest);
        return;
    }
    row_error(b, p->line, "%s", p->error);
    record(b, seq, p->row, p->line, p->name, p->career_id, p->file, 0, 0, "failed", p->error,
           NULL);
}

/* --- signals ----------------------------------------------------------------------------- */

static void on_signal(int sig)
{
    int saved = errno;
    stop_signal = sig;
    if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static void catch_signals(void)
{
    if (pipe(wake_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            int fl = fcntl(wake_pipe[i], F_GETFL);
            fcntl(wake_pipe[i], F_SETFL, fl | O_NONBLOCK);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* After cleaning up, end the way the signal would have: the shell then knows the run
 * was interrupted (and a loop around careerpdf stops too). */
static _Noreturn void die_by_signal(int sig)
{
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

/* --- set-up ------------------------------------------------------------------------- */

static bool make_dirs(const char *dir)
{
    char *p = g_strdup(dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0777);
            *s = '/';
        }
    mkdir(p, 0777);
    struct stat st;
    bool ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    g_free(p);
    return ok;
}

/* The folder must take new files (checked by making one: permission bits say nothing
 * for root, or on a read-only mount). */
static bool dir_writable(const char *dir, int *err)
{
    char *probe = g_strdup_printf("%s/.careerpdf-probe.XXXXXX", dir);
    int fd = mkstemp(probe);
    *err = errno;
    if (fd >= 0) {
        close(fd);
        unlink(probe);
    }
    g_free(probe);
    return fd >= 0;
}

static const char *manifest_path(batch *b)
{
    const cp_options *o = b->o;
    char shard[64] = "";
    if (o->shard_n)
        snprintf(shard, sizeof shard, "-%d-of-%d", o->shard_k, o->shard_n);
    if (b->out_dir)
        return arena_printf(b->a, "%s/manifest%s.csv", b->out_dir, shard);
    const char *m = o->merge;
    size_t n = strlen(m);
    if (n > 4 && !g_ascii_strcasecmp(m + n - 4, ".pdf"))
        n -= 4;
    return arena_printf(b->a, "%.*s%s.manifest.csv", (int)n, m, shard);
}

static int usage(const char *fmt, const char *arg)
{
    fputs("careerpdf: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return EXIT_BAD;
}

/* Flags and roster columns that make the run impossible: exit 2 before any work. */
static int check_setup(batch *b, cp_roster *r)
{
    const cp_options *o = b->o;
    const char *why;
    if (!o->out_dir && !o->merge)
        return usage("%s", "--roster needs --out-dir DIR (one file per student) or "
                           "--merge FILE (one print file)");
    if (o->out_dir && o->merge)
        return usage("%s", "--out-dir and --merge together: a run writes one file per "
                           "student or one print file, expected one of them (run twice "
                           "for both)");
    if (o->format && strcmp(o->format, "pdf"))
        return usage("--format %s: a roster run writes PDF files, expected --format pdf",
                     o->format);
    if (!name_pattern_ok(b->pattern, &why))
        return usage("--name-pattern: %s", why);
    const char *guess;
    if (!roster_has_field(r, "name"))
        return usage("%s", arena_printf(b->a, "%s: the header has no 'name' column, "
                     "expected one (with career, grade, school... beside it) or the column "
                     "that holds the names mapped with --column name=\"%s\"", b->roster,
                     (guess = columns_guess(r, "name")) ? guess : "HEADER"));
    if (!o->career && !roster_has_field(r, "career"))
        return usage("%s", arena_printf(b->a, "%s: the header has no 'career' column, "
                     "expected one, the column that holds the careers mapped with --column "
                     "career=\"%s\", or --career ID for every row", b->roster,
                     (guess = columns_guess(r, "career")) ? guess : "HEADER"));
    /* One merged file has one password, and is drawn by the cairo writer. */
    if (o->merge && o->password_column)
        return usage("%s", "--password-column with --merge: one merged file has one "
                           "password; expected --password PW, or --out-dir DIR for one "
                           "file (and password) per student");
    if (o->merge && o->backend == BACKEND_HARU)
        return usage("%s", "--backend haru with --merge: the merged print file is drawn by "
                           "the cairo writer; expected no --backend (--password encrypts "
                           "it with AES-256)");
    if (o->merge && o->attach_source)
        return usage("%s", "--attach-source with --merge: the merged print file cannot "
                           "carry attachments; expected --out-dir DIR --backend haru");
    cp_protection prot;   /* a bad --password is bad usage, not 10,000 bad rows */
    if (!o->password_column &&
        !app_protection(o, NULL, &prot))
        return EXIT_BAD;
    if (o->password_column && !roster_has_column(r, b->password_key))
        return usage("--password-column: the roster has no column '%s'",
                     o->password_column);
    if (o->career && !career_load(b->a, &b->s->lib, o->career))
        return EXIT_BAD;   /* a bad --career is bad usage, not 10,000 bad rows */
    return -1;
}

/* --- one file per student ---------------------------------------------------------------- */

static void submit(batch *b, cp_pool *pool, const plan *p)
{
    const char *pw = b->password_key ? node_str(p->student, b->password_key) : NULL;
    cp_task t = {.row = p->row, .line = p->line, .attempt = 1, .career = p->career,
                 .path = p->path, .password = pw && *pw ? pw : NULL, .student = p->student};
    in_flight *f = g_new0(in_flight, 1);
    f->seq = b->seq++;
    f->line = p->line;
    f->name = g_strdup(p->name);
    f->career = g_strdup(p->career_id);
    f->file = g_strdup(p->file);
    f->digest = g_strdup(p->digest);
    g_hash_table_insert(b->flight, GSIZE_TO_POINTER(p->row), f);
    if (!pool_submit(pool, &t)) {
        cp_task_result res = {.row = p->row, .status = TASK_FAILED};
        snprintf(res.error, sizeof res.error, "no worker process could be started");
        finished(b, &res);
    }
}

/* Reads rows while a worker is free; false at the end of the roster. *broken is set
 * when the roster could not be read on. */
static bool feed_workers(batch *b, cp_roster *r, cp_pool *pool, bool *broken)
{
    while (pool_ready(pool)) {
        cp_arena *a = arena_new();
        cp_roster_row rr;
        int got = roster_next(r, a, &rr);
        if (got <= 0) {
            *broken = got < 0;
            arena_free(a);
            return false;
        }
        plan p;
        plan_kind k = prepare(b, a, &rr, &p);
        if (k == PLAN_MAKE)
            submit(b, pool, &p);
        else if (k != PLAN_OTHER_SHARD)
            decided(b, k, &p);
        arena_free(a);   /* the task was copied into the worker's message */
    }
    return true;
}

/* A stopped run (a signal, a full disk) still lists every row of its own: those it
 * never began are "not-started", so the manifest shows what is left to do. False when
 * the roster cannot be read on. */
static bool not_started(batch *b, cp_roster *r)
{
    const char *why = b->disk_full ? "not started: the output disk is full"
                                   : "not started: the run was stopped";
    int got;
    cp_roster_row rr;
    do {
        cp_arena *a = arena_new();
        got = roster_next(r, a, &rr);
        plan p;
        if (got > 0 && prepare(b, a, &rr, &p) != PLAN_OTHER_SHARD)
            record(b, b->seq++, p.row, p.line, p.name, p.career_id, p.file, 0, 0,
                   "not-started", why, NULL);
        arena_free(a);
    } while (got > 0);
    return got == 0;
}

static int run_files(batch *b, cp_roster *r)
{
    int jobs = b->o->jobs > 0 ? b->o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    cp_pool *pool = pool_new(jobs > 0 ? jobs : 1, worker_init, worker_task, worker_fini, b,
                             wake_pipe[0]);
    pool_on_death(pool, worker_died);
    bool more = true, broken = false, fatal = false;
    cp_task_result res;
    for (;;) {
        if (more && !b->disk_full && !stop_signal)
            more = feed_workers(b, r, pool, &broken);
        if ((!more || b->disk_full) && pool_pending(pool) == 0)
            break;
        int got = pool_wait(pool, 250, wake_pipe[0], &res);
        if (got > 0)
            finished(b, &res);
        if (stop_signal || got < 0) {
            fatal = got < 0;
            pool_kill(pool, dropped, b);
            break;
        }
    }
    pool_free(pool);
    if (more && !fatal && !broken)
        broken = !not_started(b, r);
    return fatal || broken ? EXIT_BAD : -1;
}

/* --- one merged file --------------------------------------------------------------------- */

/* One student's report, laid out here and appended to the merged file; false (with
 * the reason in p->error) when it cannot be made. */
static bool merge_one(batch *b, cp_merge *m, cp_arena *a, plan *p, size_t *pages)
{
    cp_diag_list *found = diag_list_new(), *was = diag_collect(found);
    cp_student_doc d;
    bool ok = app_student_doc(a, b->s, b->o, p->career, p->student, &d);
    diag_collect(was);
    if (ok) {
        size_t first, blanks;
        if (d.shared) {
            *pages = dl_page_count(d.shared->doc);
            merge_add_shared(m, d.shared->doc, d.overlay, p->row, p->name, &first, &blanks);
        } else {
            *pages = dl_page_count(d.whole);
            merge_add(m, d.whole, p->row, p->name, &first, &blanks);
        }
    } else {
        char why[1024];
        clean_message(b->roster, found, why, sizeof why);
        p->error = arena_strdup(a, why);
    }
    diag_list_free(found);
    return ok;
}

static int run_merge(batch *b, cp_roster *r)
{
    const char *base = strrchr(b->roster, '/') ? strrchr(b->roster, '/') + 1 : b->roster;
    cp_protection prot;
    if (!app_protection(b->o, NULL, &prot))
        return EXIT_BAD;
    cp_merge *m = merge_open(b->o->merge, arena_printf(b->a, "Career reports: %s", base),
                             prot.on ? &prot.sec : NULL);
    if (!m)
        return EXIT_BAD;
    const char *file = strrchr(b->o->merge, '/') ? strrchr(b->o->merge, '/') + 1
                                                  : b->o->merge;
    int got = 1;
    while (got > 0 && !stop_signal) {
        cp_arena *a = arena_new();
        cp_roster_row rr;
        plan p;
        size_t pages;
        got = roster_next(r, a, &rr);
        plan_kind k = got > 0 ? prepare(b, a, &rr, &p) : PLAN_OTHER_SHARD;
        if (k == PLAN_MAKE && merge_one(b, m, a, &p, &pages))
            record(b, b->seq++, p.row, p.line, p.name, p.career_id, file, (unsigned)pages,
                   0, "ok", NULL, p.digest);
        else if (k == PLAN_MAKE || k == PLAN_FAILED)
            decided(b, PLAN_FAILED, &p);
        arena_free(a);
    }
    /* The merged file is whole or absent; without it the manifest would record reports
     * that exist nowhere, so it goes too. */
    b->nothing_written = stop_signal || got < 0;
    if (b->nothing_written) {
        merge_abort(m);
        return EXIT_BAD;
    }
    if (!merge_commit(m)) {
        b->nothing_written = b->written > 0;
        return EXIT_SOME_FAILED;
    }
    return -1;
}

/* --- the run ----------------------------------------------------------------------------- */

static long long worker_peak_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_CHILDREN, &ru) == 0 ? ru.ru_maxrss : 0;
}

static void summary(batch *b, double seconds, const char *manifest)
{
    progress_clear(&b->progress);
    if (b->o->quiet)
        return;
    char took[32];
    progress_duration(took, sizeof took, seconds);
    /* Only files that exist are counted as written: with --merge the reports are
     * pages of one file, written only when the whole file is. */
    if (b->o->merge)
        fprintf(stderr, "careerpdf: %zu reports %s, %zu failed", b->written,
                b->nothing_written ? "made but not written" : "merged", b->failed);
    else
        fprintf(stderr, "careerpdf: %zu written, %zu skipped, %zu failed", b->written,
                b->skipped, b->failed);
    if (b->interrupted || b->not_started || stop_signal)
        fprintf(stderr, ", interrupted (%zu stopped, %zu not started)", b->interrupted,
                b->not_started);
    fprintf(stderr, " in %s (%.0f reports/s", took,
            seconds > 0 ? (double)b->written / seconds : 0.0);
    if (!b->o->merge && worker_peak_kb() > 0)
        fprintf(stderr, ", worker peak memory %lld MB", worker_peak_kb() / 1024);
    if (b->o->merge && !b->nothing_written)
        fprintf(stderr, "); file: %s; manifest: %s\n", b->o->merge, manifest);
    else if (b->nothing_written)
        fprintf(stderr, "); nothing written\n");
    else
        fprintf(stderr, "); manifest: %s\n", manifest);
    if (b->disk_full)
        fprintf(stderr, "careerpdf: stopped: the output disk is full; free some space and "
                "run again with --skip-existing to finish\n");
    else if (b->interrupted || stop_signal)
        fprintf(stderr, "careerpdf: run again with --skip-existing to finish\n");
}

/* --summary FILE.json: the facts of the line above, and every row's (summary.h). */
static bool write_summary(batch *b, double seconds, const char *manifest)
{
    cp_summary_totals t = {
        .roster = b->roster, .out_dir = b->out_dir, .merge = b->o->merge,
        .manifest = b->nothing_written ? NULL : manifest,
        .shard_k = b->o->shard_k, .shard_n = b->o->shard_n, .written = b->written,
        .skipped = b->skipped, .failed = b->failed, .interrupted = b->interrupted,
        .disk_full = b->disk_full, .stopped = stop_signal != 0, .seconds = seconds,
    };
    cp_summary *s = b->summary;
    b->summary = NULL;
    return summary_commit(s, &t);
}

/* The roster with the fields the options map: what every pass reads. */
static cp_roster *open_roster(batch *b, bool report)
{
    cp_roster *r = roster_open(b->path, b->roster, b->o->roster_encoding);
    if (!report)
        diag_set_quiet(1);   /* said once already, by the first pass */
    bool ok = r && columns_apply(b->a, r, b->o, b->roster);
    diag_set_quiet(0);
    if (!ok) {
        roster_close(r);
        return NULL;
    }
    return r;
}

/* Reads the roster through before any work: it must be readable to the end (in its
 * encoding), and each file name is counted, so that names several rows want can be
 * told apart by the rows' own content. The number of rows, or -1 after a message. */
static long survey(batch *b, cp_roster *r)
{
    long n = 0;
    int got;
    cp_roster_row rr;
    cp_arena *a = arena_new();
    while ((got = roster_next(r, a, &rr)) == 1) {
        n++;
        row_basics rb;
        if (b->names && rr.node) {
            basics(b, a, &rr, &rb);
            if (rb.file)
                names_tally(b->tally, rb.file);
        }
        if (n % 4096 == 0) {   /* keep memory flat on long rosters */
            arena_free(a);
            a = arena_new();
        }
    }
    arena_free(a);
    return got < 0 ? -1 : n;
}

/* Checks of the flags, columns, layout and roster before anything is written: exit 2
 * (nothing written) or -1 to go on, with the row count in *total. */
static int look_before(batch *b, long *total)
{
    const cp_options *o = b->o;
    cp_roster *r = open_roster(b, true);
    if (!r)
        return EXIT_BAD;
    int rc = check_setup(b, r);
    const char *layout_dir = NULL;
    const cp_node *layout = rc < 0 ? layout_load(b->a, &b->s->lib, o->layout ? o->layout
                                                                              : "report",
                                                 &layout_dir)
                                   : NULL;
    if (rc < 0 && (!layout || !columns_check(b->a, r, o, b->roster, b->pattern, layout)))
        rc = EXIT_BAD;
    if (rc < 0 && (*total = survey(b, r)) < 0)
        rc = EXIT_BAD;
    if (rc < 0)
        b->identity = identity_new(&b->s->lib, o, layout, layout_dir, b->password_key);
    roster_close(r);
    return rc;
}

/* The output folder: made, writable, locked for this run, cleared of what killed runs
 * left, and not holding an earlier run unless asked to go on with it. */
static int take_folder(batch *b, const char *mpath)
{
    const cp_options *o = b->o;
    int err = 0;
    if (b->out_dir && (!make_dirs(b->out_dir) || !dir_writable(b->out_dir, &err))) {
        cp_loc loc = {b->out_dir, 0, 0};
        diag_error(&loc, NULL, "cannot write into this folder: %s",
                   strerror(err ? err : errno));
        return EXIT_BAD;
    }
    char *dir = b->out_dir ? g_strdup(b->out_dir) : g_path_get_dirname(o->merge);
    bool alone = false;
    if (!b->out_dir && !make_dirs(dir)) {
        cp_loc loc = {dir, 0, 0};
        diag_error(&loc, NULL, "cannot create this folder: %s", strerror(errno));
    } else if ((b->lock = folder_lock(dir, o->shard_k, o->shard_n, &alone)) && alone) {
        char *stem = NULL;
        if (!b->out_dir) {
            char *base = g_path_get_basename(o->merge);
            size_t n = strlen(base);
            stem = g_strndup(base, n > 4 && !g_ascii_strcasecmp(base + n - 4, ".pdf") ? n - 4
                                                                                  : n);
            g_free(base);
        }
        folder_clean(dir, stem);
        g_free(stem);
    }
    g_free(dir);
    if (!b->lock)
        return EXIT_BAD;
    /* A folder holding an earlier run: say so once, rather than failing every row and
     * replacing the record of that run. */
    if (b->out_dir && !o->force && !o->skip_existing && access(mpath, F_OK) == 0) {
        cp_loc loc = {mpath, 0, 0};
        diag_error(&loc, NULL, "this folder holds an earlier run, expected --skip-existing "
                   "to finish it or --force to make every report again");
        return EXIT_BAD;
    }
    b->previous = o->skip_existing && !o->force ? identity_previous(mpath)
                                                : g_hash_table_new(g_str_hash, g_str_equal);
    if (o->summary && !(b->summary = summary_open(o->summary)))
        return EXIT_BAD;
    return (b->manifest = manifest_open(mpath)) ? -1 : EXIT_BAD;
}

static int start(batch *b)
{
    long total = 0;
    int rc = look_before(b, &total);
    const char *mpath = rc < 0 ? manifest_path(b) : NULL;
    if (rc < 0)
        rc = take_folder(b, mpath);
    cp_roster *r = rc < 0 ? open_roster(b, false) : NULL;
    if (rc < 0 && !r)
        rc = EXIT_BAD;
    if (rc >= 0) {
        if (b->manifest)
            manifest_abort(b->manifest);
        b->manifest = NULL;
        if (b->summary)
            summary_abort(b->summary);
        b->summary = NULL;
        return rc;
    }
    size_t k = (size_t)b->o->shard_k, n = (size_t)b->o->shard_n;
    size_t mine = n ? ((size_t)total >= k ? ((size_t)total - k) / n + 1 : 0) : (size_t)total;
    catch_signals();
    progress_start(&b->progress, mine, b->o->quiet);
    rc = b->o->merge ? run_merge(b, r) : run_files(b, r);
    roster_close(r);
    if (b->nothing_written)
        manifest_abort(b->manifest);
    else if (!manifest_commit(b->manifest) && rc < 0)
        rc = EXIT_SOME_FAILED;
    b->manifest = NULL;
    summary(b, progress_now() - b->progress.start, mpath);
    if (b->summary && !write_summary(b, progress_now() - b->progress.start, mpath) && rc < 0)
        rc = EXIT_SOME_FAILED;
    for (int i = 0; i < 2; i++)
        if (wake_pipe[i] >= 0)
            close(wake_pipe[i]);
    if (stop_signal) {
        folder_unlock(b->lock);
        die_by_signal(stop_signal);
    }
    if (rc >= 0)
        return rc;
    return b->failed || b->disk_full ? EXIT_SOME_FAILED : EXIT_OK;
}

int batch_run(cp_session *s, const cp_options *o)
{
    batch b = {.s = s, .o = o, .roster = o->roster, .out_dir = o->out_dir, .path = o->roster,
               .pattern = o->name_pattern ? o->name_pattern : NAME_DEFAULT_PATTERN};
    if (b.out_dir && !*b.out_dir)
        b.out_dir = ".";
    b.a = arena_new();
    b.started = time(NULL);
    b.careers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    b.skills = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)g_strfreev);
    b.flight = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, flight_free);
    if (!o->merge) {
        b.names = names_new();
        b.tally = names_new();
    }
    if (o->password_column)
        b.password_key = column_key(b.a, o->password_column, strlen(o->password_column));
    if (!strcmp(o->roster, "-")) {   /* --roster -: standard input (roster_stdin.h) */
        b.roster = ROSTER_STDIN_NAME;
        b.path = roster_stdin_copy(b.a);
    }
    int rc = b.path ? start(&b) : EXIT_BAD;
    if (b.path && b.path != o->roster)
        unlink(b.path);   /* --roster -: the copy, read by every pass, goes at the end */
    folder_unlock(b.lock);
    careers_free(b.index);
    identity_free(b.identity);
    if (b.previous)
        g_hash_table_destroy(b.previous);
    names_free(b.tally);
    names_free(b.names);
    g_hash_table_destroy(b.flight);
    g_hash_table_destroy(b.careers);
    g_hash_table_destroy(b.skills);
    arena_free(b.a);
    return rc;
}
