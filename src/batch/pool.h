/* pool.h - worker processes that make one report at a time.
 *
 * Each worker is a forked process with a socket to the parent. It sets itself up once
 * (the caller's init: fonts, caches) and then serves tasks one by one: the parent sends
 * a row, the worker sends back what happened. One task in flight per worker keeps the
 * bookkeeping exact: when a worker dies (a crash, SIGKILL, the out-of-memory killer) the
 * parent knows which row it was making. That row is given once more to a fresh worker;
 * a second death fails the row and the batch goes on. A task that runs longer than
 * POOL_TASK_SECONDS is treated the same way (the worker is killed).
 *
 * Workers ignore SIGINT (a terminal sends it to the whole process group): the parent
 * decides how to stop, and kills them itself. They also die with the parent. */
#ifndef CP_POOL_H
#define CP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../model/node.h"

enum { POOL_TASK_SECONDS = 300 };

typedef struct {
    size_t row;            /* 1-based roster row */
    int line;              /* its roster line */
    int attempt;           /* 1, or 2 for the retry after a worker died */
    const char *career;    /* id or path */
    const char *path;      /* output file */
    const char *password;  /* per-student password, or NULL */
    const cp_node *student;
} cp_task;

typedef enum {
    TASK_OK,
    TASK_FAILED,     /* bad data for this row: error says why */
    TASK_NO_SPACE,   /* the output could not be written for lack of space */
    TASK_CRASHED,    /* the worker died twice on this row */
} cp_task_status;

typedef struct {
    size_t row;
    cp_task_status status;
    unsigned pages;
    unsigned long long bytes;
    char path[4096];       /* the task's output path */
    char error[1024];
} cp_task_result;

/* In a worker: set up once (false = the worker cannot start; it exits with status 3),
 * then make one report per call, and tear down when the parent has no more work (the
 * worker's fonts and data, so that memory checkers see a clean exit). */
typedef bool (*pool_init_fn)(void *ctx);
typedef void (*pool_task_fn)(void *ctx, const cp_task *task, cp_arena *a,
                             cp_task_result *res);
typedef void (*pool_fini_fn)(void *ctx);

typedef struct cp_pool cp_pool;

/* Up to `workers` processes, started when first needed. `close_fd` (or -1) is closed
 * in every worker (the parent's signal pipe). */
cp_pool *pool_new(int workers, pool_init_fn init, pool_task_fn run, pool_fini_fn fini,
                  void *ctx, int close_fd);

/* Called in the parent each time a worker dies while making a report (before the
 * retry): the caller removes what the worker may have left, e.g. a temporary file. */
void pool_on_death(cp_pool *p, void (*fn)(void *ctx, size_t row, const char *path));

/* Whether a new task can be given now (a worker is free and no retry is waiting). */
bool pool_ready(const cp_pool *p);
/* Gives the task to a free worker (pool_ready() must be true). False when no worker
 * could be started. */
bool pool_submit(cp_pool *p, const cp_task *task);
/* Tasks given and not yet answered (retries included). */
size_t pool_pending(const cp_pool *p);

/* Waits up to timeout_ms for an answer, or until wake_fd (-1: none) is readable.
 * 1 = *res filled; 0 = nothing yet; -1 = workers fail to start (after a message). */
int pool_wait(cp_pool *p, int timeout_ms, int wake_fd, cp_task_result *res);

/* Kills every worker now and reaps it. The output paths of the tasks they had (and of
 * waiting retries) are passed to `dropped` so the caller can record them and remove
 * their temporary files. */
void pool_kill(cp_pool *p, void (*dropped)(void *ctx, size_t row, const char *path),
               void *ctx);

/* Lets idle workers exit and frees the pool (call when nothing is pending). Adds the
 * CPU time of the workers reaped to the process's children times (getrusage). */
void pool_free(cp_pool *p);

/* Process ids of the live workers (for tests and benchmarks): fills up to n, returns
 * how many. */
size_t pool_pids(const cp_pool *p, pid_t *out, size_t n);

#endif
