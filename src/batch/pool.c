/* pool.c - forked workers, a socket each, length-prefixed messages. */
#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "../core/diag.h"
#include "../core/xalloc.h"

enum { EXIT_INIT_FAILED = 3, MAX_MESSAGE = 256 << 20 };

/* --- messages ---------------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
} wbuf;

static void w_bytes(wbuf *w, const void *p, size_t n)
{
    if (w->len + n > w->cap) {
        w->cap = (w->len + n) * 2 + 256;
        w->buf = xrealloc(w->buf, w->cap);
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void w_u32(wbuf *w, uint32_t v) { w_bytes(w, &v, sizeof v); }
static void w_u64(wbuf *w, uint64_t v) { w_bytes(w, &v, sizeof v); }

/* NULL and "" differ: NULL is written as length UINT32_MAX. */
static void w_str(wbuf *w, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    w_u32(w, n);
    if (s)
        w_bytes(w, s, n);
}

/* Starts a message: room for its length, filled in by w_end(). */
static void w_begin(wbuf *w) { w->len = 0; w_u32(w, 0); }
static void w_end(wbuf *w) { uint32_t n = (uint32_t)(w->len - 4); memcpy(w->buf, &n, 4); }

typedef struct {
    const char *p;
    size_t left;
    bool ok;
} rbuf;

static void r_bytes(rbuf *r, void *out, size_t n)
{
    if (!r->ok || r->left < n) {
        r->ok = false;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
}

static uint32_t r_u32(rbuf *r) { uint32_t v = 0; r_bytes(r, &v, sizeof v); return v; }
static uint64_t r_u64(rbuf *r) { uint64_t v = 0; r_bytes(r, &v, sizeof v); return v; }

static const char *r_str(rbuf *r, cp_arena *a)
{
    uint32_t n = r_u32(r);
    if (n == UINT32_MAX || !r->ok)
        return NULL;
    if (r->left < n) {
        r->ok = false;
        return NULL;
    }
    const char *s = arena_strndup(a, r->p, n);
    r->p += n;
    r->left -= n;
    return s;
}

static bool write_full(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

static bool read_full(int fd, void *out, size_t n)
{
    char *p = out;
    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* One whole message (malloc'd, without its length prefix), or NULL at end or error. */
static char *read_message(int fd, size_t *len)
{
    uint32_t n;
    if (!read_full(fd, &n, sizeof n) || n > MAX_MESSAGE)
        return NULL;
    char *buf = malloc(n ? n : 1);
    if (!buf || !read_full(fd, buf, n)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The attempt number sits at a fixed place so a retry only patches it. */
#define ATTEMPT_OFFSET (4 + 8 + 4)

static void encode_task(wbuf *w, const cp_task *t)
{
    w_begin(w);
    w_u64(w, t->row);
    w_u32(w, (uint32_t)t->line);
    w_u32(w, (uint32_t)t->attempt);
    w_str(w, t->career);
    w_str(w, t->path);
    w_str(w, t->password);
    const cp_node *s = t->student;
    w_str(w, s ? s->loc.file : NULL);
    w_u32(w, s ? (uint32_t)s->len : 0);
    for (size_t i = 0; s && i < s->len; i++) {
        w_str(w, s->keys[i]);
        w_str(w, s->items[i]->text);
        w_u32(w, (uint32_t)s->items[i]->loc.line);
        w_u32(w, (uint32_t)s->items[i]->loc.col);
    }
    w_end(w);
}

static bool decode_task(rbuf *r, cp_arena *a, cp_task *t)
{
    t->row = r_u64(r);
    t->line = (int)r_u32(r);
    t->attempt = (int)r_u32(r);
    t->career = r_str(r, a);
    t->path = r_str(r, a);
    t->password = r_str(r, a);
    const char *file = r_str(r, a);
    uint32_t n = r_u32(r);
    if (!r->ok || n > 100000)
        return false;
    cp_node *m = node_new_map(a, n, (cp_loc){file, t->line, 1}, "");
    for (uint32_t i = 0; i < n && r->ok; i++) {
        const char *key = r_str(r, a);
        const char *text = r_str(r, a);
        cp_loc loc = {file, 0, 0};
        loc.line = (int)r_u32(r);
        loc.col = (int)r_u32(r);
        node_add_scalar(a, m, key, text, loc);
    }
    t->student = m;
    return r->ok && t->career && t->path && m->len == n;
}

static void encode_result(wbuf *w, const cp_task_result *res)
{
    w_begin(w);
    w_u64(w, res->row);
    w_u32(w, (uint32_t)res->status);
    w_u32(w, res->pages);
    w_u64(w, res->bytes);
    w_str(w, res->error);
    w_end(w);
}

static bool decode_result(rbuf *r, cp_arena *a, cp_task_result *res)
{
    res->row = r_u64(r);
    res->status = (cp_task_status)r_u32(r);
    res->pages = r_u32(r);
    res->bytes = r_u64(r);
    const char *err = r_str(r, a);
    snprintf(res->error, sizeof res->error, "%s", err ? err : "");
    return r->ok;
}

/* --- the pool ---------------------------------------------------------------------------- */

typedef struct {
    char *msg;          /* the encoded task, kept for a retry */
    size_t len;
    size_t row;
    char *path;
} held_task;

typedef struct {
    pid_t pid;          /* 0 = slot free */
    int fd;
    bool busy;
    held_task task;
    time_t started;
    bool timed_out;
} worker;

struct cp_pool {
    worker *w;
    int n;
    pool_init_fn init;
    pool_fini_fn fini;
    pool_task_fn run;
    void *ctx;
    int close_fd;
    void (*on_death)(void *ctx, size_t row, const char *path);
    held_task *retry;   /* tasks whose worker died once, waiting for another */
    size_t nretry;
    wbuf out;
};

cp_pool *pool_new(int workers, pool_init_fn init, pool_task_fn run, pool_fini_fn fini,
                  void *ctx, int close_fd)
{
    cp_pool *p = xcalloc(1, sizeof *p);
    p->n = workers < 1 ? 1 : workers;
    p->w = xcalloc((size_t)p->n, sizeof *p->w);
    p->init = init;
    p->run = run;
    p->fini = fini;
    p->ctx = ctx;
    p->close_fd = close_fd;
    p->retry = xcalloc((size_t)p->n + 1, sizeof *p->retry);
    return p;
}

void pool_on_death(cp_pool *p, void (*fn)(void *ctx, size_t row, const char *path))
{
    p->on_death = fn;
}

static void held_free(held_task *t)
{
    free(t->msg);
    free(t->path);
    memset(t, 0, sizeof *t);
}

static _Noreturn void worker_main(cp_pool *p, int fd, pid_t parent)
{
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)   /* the parent died before the line above */
        _exit(0);
    if (!p->init(p->ctx))
        _exit(EXIT_INIT_FAILED);
    wbuf out = {0};
    for (;;) {
        size_t len;
        char *msg = read_message(fd, &len);
        if (!msg) {   /* the parent closed our socket: no more work */
            free(out.buf);
            if (p->fini)
                p->fini(p->ctx);
            _exit(0);
        }
        cp_arena *a = arena_new();
        rbuf r = {msg, len, true};
        cp_task t = {0};
        cp_task_result res;
        memset(&res, 0, sizeof res);
        if (decode_task(&r, a, &t)) {
            res.row = t.row;
            p->run(p->ctx, &t, a, &res);
        } else {
            res.status = TASK_FAILED;
            snprintf(res.error, sizeof res.error, "internal error: a garbled task");
        }
        encode_result(&out, &res);
        free(msg);
        arena_free(a);
        if (!write_full(fd, out.buf, out.len))
            _exit(0);
    }
}

static bool spawn(cp_pool *p, worker *w)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        diag_error(NULL, NULL, "cannot start a worker: %s", strerror(errno));
        return false;
    }
    fflush(NULL);   /* or buffered output would be written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        diag_error(NULL, NULL, "cannot start a worker: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return false;
    }
    if (pid == 0) {
        /* Only our own channel stays open, so every worker sees the parent go away. */
        for (int i = 0; i < p->n; i++)
            if (p->w[i].pid)
                close(p->w[i].fd);
        if (p->close_fd >= 0)
            close(p->close_fd);
        close(sv[0]);
        worker_main(p, sv[1], parent);
    }
    close(sv[1]);
    w->pid = pid;
    w->fd = sv[0];
    w->busy = false;
    return true;
}

static worker *free_worker(cp_pool *p, bool start)
{
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid && !p->w[i].busy)
            return &p->w[i];
    for (int i = 0; start && i < p->n; i++)
        if (!p->w[i].pid)
            return spawn(p, &p->w[i]) ? &p->w[i] : NULL;
    return NULL;
}

bool pool_ready(const cp_pool *p)
{
    if (p->nretry)
        return false;
    for (int i = 0; i < p->n; i++)
        if (!p->w[i].pid || !p->w[i].busy)
            return true;
    return false;
}

size_t pool_pending(const cp_pool *p)
{
    size_t n = p->nretry;
    for (int i = 0; i < p->n; i++)
        n += p->w[i].pid && p->w[i].busy;
    return n;
}

/* Hands a held task to a worker. A send that fails means the worker died: the task
 * stays with it and the death is noticed (and handled) by pool_wait. */
static void give(worker *w, held_task *t)
{
    w->task = *t;
    memset(t, 0, sizeof *t);
    w->busy = true;
    w->timed_out = false;
    w->started = time(NULL);
    write_full(w->fd, w->task.msg, w->task.len);
}

bool pool_submit(cp_pool *p, const cp_task *task)
{
    worker *w = free_worker(p, true);
    if (!w)
        return false;
    encode_task(&p->out, task);
    held_task t = {xmalloc(p->out.len), p->out.len, task->row, xstrdup(task->path)};
    memcpy(t.msg, p->out.buf, p->out.len);
    give(w, &t);
    return true;
}

static void death_reason(int status, bool timed_out, char *buf, size_t n)
{
    if (timed_out)
        snprintf(buf, n, "making this report took longer than %d s, twice", POOL_TASK_SECONDS);
    else if (WIFSIGNALED(status))
        snprintf(buf, n, "the process making this report died twice (signal %d: %s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(buf, n, "the process making this report stopped twice (exit status %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* A worker's channel ended: reap it; its task is retried once, then reported. */
static int worker_died(cp_pool *p, worker *w, cp_task_result *res)
{
    int status = 0;
    close(w->fd);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    bool busy = w->busy;
    w->busy = false;
    if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_INIT_FAILED) {
        diag_error(NULL, NULL, "a worker could not set up its fonts and data");
        held_free(&w->task);
        return -1;
    }
    if (!busy)
        return 0;
    if (p->on_death)
        p->on_death(p->ctx, w->task.row, w->task.path);
    uint32_t attempt;
    memcpy(&attempt, w->task.msg + ATTEMPT_OFFSET, sizeof attempt);
    if (attempt < 2) {
        attempt = 2;
        memcpy(w->task.msg + ATTEMPT_OFFSET, &attempt, sizeof attempt);
        p->retry[p->nretry++] = w->task;
        memset(&w->task, 0, sizeof w->task);
        return 0;
    }
    memset(res, 0, sizeof *res);
    res->row = w->task.row;
    res->status = TASK_CRASHED;
    snprintf(res->path, sizeof res->path, "%s", w->task.path);
    death_reason(status, w->timed_out, res->error, sizeof res->error);
    held_free(&w->task);
    return 1;
}

static int answer(cp_pool *p, worker *w, cp_task_result *res)
{
    size_t len;
    char *msg = read_message(w->fd, &len);
    if (!msg)
        return worker_died(p, w, res);
    cp_arena *a = arena_new();
    rbuf r = {msg, len, true};
    memset(res, 0, sizeof *res);
    bool ok = decode_result(&r, a, res);
    arena_free(a);
    free(msg);
    if (!ok || !w->busy) {   /* nonsense from a worker: treat it as dead */
        kill(w->pid, SIGKILL);
        return worker_died(p, w, res);
    }
    snprintf(res->path, sizeof res->path, "%s", w->task.path);
    held_free(&w->task);
    w->busy = false;
    return 1;
}

static void serve_retries(cp_pool *p)
{
    worker *w;
    while (p->nretry && (w = free_worker(p, true)))
        give(w, &p->retry[--p->nretry]);
}

static void watchdog(cp_pool *p)
{
    time_t now = time(NULL);
    for (int i = 0; i < p->n; i++) {
        worker *w = &p->w[i];
        if (w->pid && w->busy && !w->timed_out && now - w->started > POOL_TASK_SECONDS) {
            w->timed_out = true;
            kill(w->pid, SIGKILL);
        }
    }
}

int pool_wait(cp_pool *p, int timeout_ms, int wake_fd, cp_task_result *res)
{
    serve_retries(p);
    struct pollfd fds[p->n + 1];
    worker *who[p->n + 1];
    nfds_t n = 0;
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid) {
            fds[n] = (struct pollfd){p->w[i].fd, POLLIN, 0};
            who[n++] = &p->w[i];
        }
    if (wake_fd >= 0) {
        fds[n] = (struct pollfd){wake_fd, POLLIN, 0};
        who[n++] = NULL;
    }
    int k = poll(fds, n, timeout_ms);
    watchdog(p);
    if (k <= 0)
        return 0;
    for (nfds_t i = 0; i < n; i++) {
        if (!who[i] || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        int got = answer(p, who[i], res);
        if (got != 0)
            return got;
    }
    serve_retries(p);
    return 0;
}

void pool_kill(cp_pool *p, void (*dropped)(void *ctx, size_t row, const char *path),
               void *ctx)
{
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid)
            kill(p->w[i].pid, SIGKILL);
    for (int i = 0; i < p->n; i++) {
        worker *w = &p->w[i];
        if (!w->pid)
            continue;
        close(w->fd);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        if (w->busy && dropped)
            dropped(ctx, w->task.row, w->task.path);
        held_free(&w->task);
        w->pid = 0;
        w->busy = false;
    }
    while (p->nretry) {
        held_task *t = &p->retry[--p->nretry];
        if (dropped)
            dropped(ctx, t->row, t->path);
        held_free(t);
    }
}

void pool_free(cp_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid)
            close(p->w[i].fd);   /* end of input: the worker exits */
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid) {
            while (waitpid(p->w[i].pid, NULL, 0) < 0 && errno == EINTR)
                ;
            held_free(&p->w[i].task);
        }
    for (size_t i = 0; i < p->nretry; i++)
        held_free(&p->retry[i]);
    free(p->retry);
    free(p->out.buf);
    free(p->w);
    free(p);
}

size_t pool_pids(const cp_pool *p, pid_t *out, size_t n)
{
    size_t k = 0;
    for (int i = 0; i < p->n && k < n; i++)
        if (p->w[i].pid)
            out[k++] = p->w[i].pid;
    return k;
}
