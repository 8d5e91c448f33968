/* watch.c - `careerpdf --career FILE --watch`: build again whenever an input changes.
 *
 * The inputs of one document: the career file and its translations (ID.LANG.yaml
 * beside it), the layout (its folder and the layouts folder, for `extends:`), the labels
 * (content/strings/), the schemas (content/schema/) and the layout's logo. Editors save
 * by writing a new file and renaming it over the old one, which ends a watch on the
 * file itself, so the folders are watched (inotify) and an event counts when it names a
 * .yaml file (not a hidden or lock file: ".#x.yaml") or the logo. Events that come
 * within QUIET_MS of each other are one change (an editor's save is several events).
 *
 * Every build starts from a fresh session: the session keeps what it loaded for the
 * whole process, which is what a batch wants and the opposite of what a watch wants.
 * One line per build on stderr, like `typst watch`:
 *
 *   careerpdf: 14:02:07 wrote ai-engineer.pdf: 6 pages in 212 ms
 *   careerpdf: FILE:LINE:COL: error: ...            (the build's own messages)
 *   careerpdf: 14:02:31 build failed; watching for changes
 *
 * and it keeps going after errors, until SIGINT or SIGTERM (exit 0). */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/diag.h"

#define QUIET_MS 150

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct {
    int fd;
    char *logo;          /* absolute or relative path of the logo, or NULL */
    int logo_wd;
    char *logo_name;     /* its base name */
} watcher;

static void now_text(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, n, "%H:%M:%S", &tm);
}

static int add_dir(watcher *w, const char *dir)
{
    int wd = inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                             IN_DELETE | IN_MOVED_FROM | IN_ATTRIB);
    return wd;
}

static char *dir_of(cp_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? arena_strndup(a, path, slash == path ? 1 : (size_t)(slash - path))
                 : arena_strdup(a, ".");
}

/* The folders to watch for this document; false after a message. */
static bool watch_inputs(watcher *w, cp_arena *a, cp_session *s, const cp_options *o)
{
    const char *career = career_path(a, &s->lib, o->career);
    const char *dirs[5] = {
        dir_of(a, career),
        arena_printf(a, "%s/strings", s->lib.content_dir),
        arena_printf(a, "%s/schema", s->lib.content_dir),
        s->lib.layouts_dir,
        NULL,
    };
    const char *layout_dir = NULL;
    diag_set_quiet(1);   /* a broken layout is for the first build to report */
    const cp_node *layout = layout_load(a, &s->lib, o->layout ? o->layout : "report",
                                        &layout_dir);
    diag_set_quiet(0);
    dirs[4] = layout_dir;
    for (size_t i = 0; i < 5; i++) {
        if (dirs[i] && add_dir(w, dirs[i]) < 0) {
            cp_loc loc = {dirs[i], 0, 0};
            diag_error(&loc, NULL, "cannot watch this folder: %s", strerror(errno));
            return false;
        }
    }
    const char *logo = node_str(node_at(layout, "theme"), "logo");
    if (logo && layout_dir) {
        w->logo = logo[0] == '/' ? arena_strdup(a, logo)
                                 : arena_printf(a, "%s/%s", layout_dir, logo);
        w->logo_name = strrchr(w->logo, '/') ? strrchr(w->logo, '/') + 1 : w->logo;
        w->logo_wd = add_dir(w, dir_of(a, w->logo));
    }
    return true;
}

static bool relevant(const watcher *w, const struct inotify_event *e)
{
    if (!e->len || e->name[0] == '.' || e->name[0] == '#')
        return false;
    size_t n = strlen(e->name);
    if (n > 5 && !strcmp(e->name + n - 5, ".yaml"))
        return true;
    return w->logo_name && e->wd == w->logo_wd && !strcmp(e->name, w->logo_name);
}

/* Reads what is pending; true when some event names an input. */
static bool drain(const watcher *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool hit = false;
    ssize_t n;
    while ((n = read(w->fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            hit |= relevant(w, e);
            p += sizeof *e + e->len;
        }
    return hit;
}

/* Waits for a change to the inputs, then for QUIET_MS without one. False on a signal. */
static bool wait_for_change(const watcher *w)
{
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    bool changed = false;
    while (!stop) {
        int r = poll(&p, 1, changed ? QUIET_MS : -1);
        if (r < 0 && errno != EINTR)
            return false;
        if (r == 0 && changed)
            return true;
        if (r > 0)
            changed |= drain(w);
    }
    return false;
}

static void build_once(const cp_options *o, cp_watch_build build)
{
    char when[16], written[PATH_MAX] = "";
    size_t pages = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cp_arena *a = arena_new();
    cp_session s;
    int rc = session_open(&s, o, a) ? build(&s, o, &pages, written, sizeof written)
                                    : EXIT_BAD;
    session_close(&s);
    arena_free(a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    now_text(when, sizeof when);
    if (rc == EXIT_OK && !o->quiet)
        fprintf(stderr, "careerpdf: %s wrote %s: %zu page%s in %ld ms\n", when, written,
                pages, pages == 1 ? "" : "s", ms);
    else if (rc != EXIT_OK)
        fprintf(stderr, "careerpdf: %s build failed; watching for changes\n", when);
}

int app_watch(cp_session *s, const cp_options *o, cp_watch_build build)
{
    watcher w = {.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), .logo_wd = -1};
    if (w.fd < 0) {
        diag_error(NULL, NULL, "cannot watch files: %s", strerror(errno));
        return EXIT_BAD;
    }
    cp_arena *a = arena_new();
    if (!watch_inputs(&w, a, s, o)) {
        close(w.fd);
        arena_free(a);
        return EXIT_BAD;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (!o->quiet)
        fprintf(stderr, "careerpdf: watching %s; Ctrl-C stops\n", o->career);
    build_once(o, build);
    while (wait_for_change(&w))
        build_once(o, build);
    close(w.fd);
    arena_free(a);
    return EXIT_OK;
}
