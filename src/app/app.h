/* app.h - what every command shares: the options, the session (data + fonts, set up
 * once per process) and the two steps of making one document: lay out, write. */
#ifndef CP_APP_H
#define CP_APP_H

#include <stdbool.h>

#include "../core/outfile.h"
#include "../layout/layout.h"
#include "../model/docs.h"
#include "../render/pdf_finish.h"
#include "../render/pdf_security.h"

enum { EXIT_OK = 0, EXIT_SOME_FAILED = 1, EXIT_BAD = 2 };

typedef enum { BACKEND_CAIRO, BACKEND_HARU } cp_backend;

typedef struct {
    /* what to make */
    const char *career, *layout, *paper, *lang, *format;
    const char *output;          /* -o; "-" = stdout */
    double dpi;
    int page;                    /* 1-based; 0 = all */
    bool grayscale, quiet, force;
    /* where the data is */
    const char *content_dir, *layouts_dir;
    /* modes */
    bool check, list, all;
    char **check_paths;
    int n_check_paths;
    /* batch (src/batch) */
    const char *roster, *out_dir, *merge, *name_pattern;
    int jobs;                    /* 0 = all cores */
    int shard_k, shard_n;        /* --shard K/N; 0/0 = everything */
    bool skip_existing;
    const char **columns;        /* --column FIELD=HEADER, in the order given */
    int n_columns;
    const char *columns_file;    /* --columns FILE: the same mappings as YAML */
    const char *roster_encoding; /* --roster-encoding CHARSET (iconv); NULL = UTF-8 */
    /* print (posters) */
    const char *tile;            /* --tile A4|Letter */
    double bleed_mm;
    /* second writer (src/render/haru_out) */
    cp_backend backend;
    const char *password, *owner_password, *permissions, *password_column;
    bool attach_source;
    /* scripts and authors (--json, --summary, --schema, --watch) */
    bool json, json_schema, watch;
    const char *summary;         /* --summary FILE.json ("-": stdout) */
    const char *schema;          /* --schema NAME */
} cp_options;

typedef struct {
    cp_library lib;
    cp_fonts *fonts;             /* session_fonts(): set up on first use */
    bool fonts_failed;
    /* Careers, labels and layouts already loaded and checked, kept for the process:
     * a batch worker reads each file once, not once per student. */
    cp_arena *arena;
    GHashTable *loaded;
    /* Shared pages of personalised reports (src/app/student.c), made on first use. */
    GHashTable *templates;
} cp_session;

/* Finds the data, loads schema and icons. False after a message. */
bool session_open(cp_session *s, const cp_options *o, cp_arena *a);
/* The fonts, set up on first use: a batch parent that only reads the roster never pays
 * for them, and forks workers with no font-library threads behind them. NULL after a
 * message. */
cp_fonts *session_fonts(cp_session *s);
void session_close(cp_session *s);

/* Loads the career, its labels and the layout (each once per process) into a job for
 * the layout engine. False after a message. */
bool app_job(cp_session *s, const cp_options *o, const char *career_ref,
             const char *layout_name, const cp_node *student, cp_job *job);

/* Loads the career, its labels and the layout, and lays the document out.
 * `student` is a roster row (mapping) or NULL. NULL after a message. */
dl_doc *app_lay_out(cp_arena *a, cp_session *s, const cp_options *o, const char *career_ref,
                    const char *layout_name, const cp_node *student);

/* Print finishing for single renders: --bleed, then --tile (src/layout/sheets.h).
 * Returns the document unchanged when neither is asked for; NULL after a message. */
dl_doc *app_print_sheets(cp_session *s, const cp_options *o, dl_doc *doc);

typedef struct {
    const char *password;        /* per-student password for the haru writer, or NULL */
    const char *source_yaml;     /* --attach-source: career file path */
    const char *row_yaml;        /* --attach-source: the roster row as YAML text */
} cp_write_extra;

/* The password protection a document gets from --password (or the row's
 * --password-column), --owner-password and --permissions. p->on is false when none
 * is asked for. False after a message (a bad password, permissions without one...);
 * messages never show a password. One policy for every writer. */
typedef struct {
    cp_pdf_security sec;
    char owner[PDF_PASSWORD_MAX + 1];
    bool on;
    const pdf_a11y *a11y;      /* a document to finish for accessibility, or NULL */
    pdf_finish_opts finish;    /* what the output filter gets */
} cp_protection;
bool app_protection(const cp_options *o, const cp_write_extra *extra, cp_protection *p);
/* Opens an output file that is finished for accessibility (p->a11y) and encrypted
 * (AES-256) when it is committed, as `p` asks (src/render/pdf_finish.h); `p` (may be NULL) must live until the commit. */
bool app_open_output(cp_outfile *out, const char *path, cp_protection *p);

/* Writes the document in the format and with the writer the options ask for, whole or
 * not at all (temporary file + rename). PNG/SVG of several pages: NAME-1.png ... */
bool app_write(const dl_doc *doc, const cp_options *o, const char *path,
               const cp_write_extra *extra);

/* A roster row's report, written to `path` (src/app/student.c). When the options allow
 * it (a cairo PDF without print finishing) the pages every student of the career
 * shares are made once per process and only the student's own blocks are laid out and
 * drawn per student (src/layout/layout.h, templates); otherwise, or when the student's
 * blocks do not fit their frames, the document is laid out whole. Either way the pages
 * look the same. *pages gets the page count. False after a message. */
bool app_write_student(cp_arena *a, cp_session *s, const cp_options *o,
                       const char *career_ref, const cp_node *student, const char *path,
                       const cp_write_extra *extra, size_t *pages);

/* A roster row's document, before writing: the career's shared template plus the
 * student's overlay when the layout and options allow it, else the document laid out
 * whole. The template lives as long as the session. False after a message. */
typedef struct {
    const cp_template *shared;   /* with `overlay` (NULL when the template has no frames) */
    dl_doc *overlay;
    dl_doc *whole;               /* when shared is NULL */
    void *handle;                /* the session's record of the template */
} cp_student_doc;
bool app_student_doc(cp_arena *a, cp_session *s, const cp_options *o,
                     const char *career_ref, const cp_node *student, cp_student_doc *out);

/* --all: every career in one handbook (src/app/book.c). */
int app_handbook(cp_session *s, const cp_options *o);

/* The output format the options ask for (--format, else the output's extension). */
const char *app_format(const cp_options *o, const char *path);

#endif
