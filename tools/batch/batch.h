/*
 * batch.h - between the parts of tfr-batch (tfr-batch.c and the files
 * of tools/batch): what a batch is asked to do, the jobs it found, and
 * the state of a run. See tfr-batch(1).
 */
#ifndef TFR_BATCH_H
#define TFR_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* What the command line asked for. */
typedef struct {
	char *indir, *outdir;     /* trailing slashes removed */
	const char *pipeline;     /* a /bin/sh command line */
	char *suffix;             /* ".png": a dot put before a bare word */
	int keep_ext;             /* x.wav -> x.wav.png */
	char **exts;              /* lower case, no dot; NULL: every file */
	size_t nexts;
	long jobs;                /* 0: the default (cores, or parallel's) */
	int force, dry_run, quiet, verbose;
	const char **sshlogins;   /* passed to GNU parallel as they are */
	size_t nsshlogins;
	int use_parallel;         /* hand the jobs to GNU parallel */
	uint64_t stamp;           /* hash of what makes an output */
} batch_opts;

typedef enum {
	JOB_SKIP,      /* up to date */
	JOB_TODO,      /* to run */
	JOB_RUNNING,
	JOB_MADE,
	JOB_FAILED,
	JOB_STOPPED    /* interrupted by a signal to tfr-batch */
} batch_job_state;

typedef struct {
	char *in_rel, *out_rel;   /* under INDIR and OUTDIR: "a/b/x.wav" */
	char *in_path, *out_path; /* INDIR/in_rel, OUTDIR/out_rel */
	batch_job_state state;
	struct timespec in_mtime; /* the input as it was when the job began */
	off_t in_size;
	char *temp;               /* the output while the job runs */
	int lock_fd;              /* the temporary, locked while it runs */
	char **made;              /* the files it made under OUTDIR (the
	                             output, or pages...), NULL-ended */
	int err_fd;               /* its standard error, or -1 */
	pid_t pid;
	char *why;                /* a failure's lines, '\n'-separated */
} batch_job;

/* The files found, in the order they run (a sorted walk), and the
 * folders that could not be read (failures too). */
typedef struct {
	batch_job *v;
	size_t n, cap;
	char **bad_dirs;          /* "path: reason" */
	size_t nbad_dirs;
} batch_list;

typedef struct batch_manifest batch_manifest;

/* A run in progress: counts for the progress line and the report. */
typedef struct {
	const batch_opts *o;
	batch_list *list;
	batch_manifest *m;
	size_t total, done, failed;
	size_t files;              /* output files made (pages count each) */
	double t0;
	int progress;             /* a progress line on a terminal */
	int line_shown;
	mode_t umask;
	int stop;                 /* the signal that stops the run, or 0 */
} batch_state;

/* ---- batch_name.c: names of files, for every part ---- */

/* "a/b/x.wav" joined to a folder. */
char *batch_join(const char *dir, const char *rel);
/* A name as messages print it: control characters as '?'. */
const char *batch_shown(const char *name);

/* ---- batch_plan.c: the files, their outputs' names, the checks ---- */

/* Walk INDIR (sorted, links followed, loops refused, OUTDIR and hidden
 * names left out) into list; refuse (exit 2) outputs that collide or
 * would replace an input. */
void batch_plan(const batch_opts *o, batch_list *list, batch_manifest *m);
/* Mark what is up to date (JOB_SKIP) and what must run (JOB_TODO). */
void batch_plan_todo(const batch_opts *o, batch_list *list,
                     const batch_manifest *m);
void batch_list_free(batch_list *list);

/* ---- batch_stamp.c: what made each output (OUTDIR/.tfr-batch) ---- */

/* The hash that a pipeline and suffix stamp their outputs with. */
uint64_t batch_stamp_of(const char *pipeline);
/* Read OUTDIR's manifest (none: empty). */
batch_manifest *batch_manifest_load(const char *outdir);
/* Did this job's outputs (every file it made) come from this input,
 * unchanged since, through the same pipeline, and are they all there? */
int batch_manifest_current(const batch_manifest *m, const batch_opts *o,
                           const batch_job *j, const struct stat *in);
/* Remove the files an earlier run of this job made that this run did not
 * (pages of an input that has become shorter). */
void batch_manifest_drop_old(const batch_manifest *m, const batch_opts *o,
                             const batch_job *j);
/* Is out_rel an output that a batch made? */
int batch_manifest_has(const batch_manifest *m, const char *out_rel);
/* Record a job that made its output (appended at once, so that a killed
 * run keeps what it finished). */
void batch_manifest_add(batch_manifest *m, const batch_opts *o,
                        const batch_job *j);
/* Rewrite the manifest compactly: this run's jobs as they ended, older
 * entries of outputs that are still there. */
void batch_manifest_finish(batch_manifest *m, const batch_opts *o,
                           const batch_list *list);
void batch_manifest_free(batch_manifest *m);

/* ---- batch_run.c: running the jobs here, and what they left ---- */

void batch_state_init(batch_state *s, const batch_opts *o, batch_list *list,
                      batch_manifest *m);
/* mkdir -p of the folder that holds path; 0, or -1 with errno. */
int batch_make_folders(const char *path);
/* Create the output's folders and its temporary (in the output's
 * folder, ending in its extension; with plain_name, a name that needs
 * no quotes); its descriptor, or -1 with the job failed. */
int batch_prepare(batch_state *s, batch_job *j, int plain_name);
/* A job ended: exit status 0 puts its output in place and stamps it,
 * anything else fails it with the first lines of its standard error
 * (read from err_fd, which is closed). */
void batch_finish(batch_state *s, batch_job *j, int ok, const char *status);
/* Fail a job with a reason of our own. */
void batch_fail(batch_state *s, batch_job *j, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Run the jobs here, o->jobs at a time. */
void batch_run_local(batch_state *s);
/* Start argv[0] (path; searched in PATH with search) in a process group
 * of its own, every signal unblocked, with in, out and (err >= 0) err as
 * its standard streams: 0, or an errno value. */
int batch_spawn(pid_t *pid, const char *path, int search, char *const argv[],
                char *const env[], int in, int out, int err);
/* Stop on SIGINT, SIGTERM, SIGHUP; a signal also wakes the wait of the
 * run through batch_signal_fd(). */
void batch_signals_catch(void);
int batch_signal_fd(void);
/* Read what woke us: the stopping signal (INT, TERM, HUP), or 0. */
int batch_signal_drain(void);
/* Remove the temporaries of unfinished jobs; re-raise the stop signal. */
void batch_stopped(batch_state *s);
/* The progress line (on a terminal), and the report at the end. */
void batch_progress(batch_state *s);
void batch_say(batch_state *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int batch_report(batch_state *s);

/* ---- batch_temps.c: a job's temporaries, and stale ones ---- */

/* Lock a temporary for as long as fd is open (0, or -1). */
int batch_temp_lock(int fd);
/* Remove a temporary and the files its job made beside it. */
void batch_temp_remove(const char *temp);
/* Put a finished job's temporary and the files its job made beside it
 * (pages "T-0001.png": "OUT-0001.png") in place with mode; the temporary
 * left empty beside such files is no output and is removed. *made: the
 * final paths, NULL-ended. 0, or -1 with errno and everything removed. */
int batch_temp_place(batch_job *j, mode_t mode, char ***made);
/* Remove the temporaries of this run's outputs that no running job
 * holds (left by a killed run); how many files. */
size_t batch_sweep(const batch_opts *o, const batch_list *l);
size_t batch_temps_sweep(const char *outdir, const char *folder,
                         char *const *outs, size_t nouts);

/* ---- batch_parallel.c: the jobs through GNU parallel ---- */

/* Is GNU parallel on PATH? A usage error (exit 2) otherwise, naming the
 * option that asked for it. */
void batch_parallel_check(const char *why);
void batch_run_parallel(batch_state *s);

#endif /* TFR_BATCH_H */
