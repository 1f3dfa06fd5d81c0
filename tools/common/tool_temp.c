/*
 * tool_temp.c - the temporaries of unfinished outputs (see tool_temp.h).
 *
 * The paths are fixed before a slot is marked used, and unlink is
 * async-signal-safe, so the signal handler may remove them at any time.
 */
#include "tool_temp.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_PENDING = 16 };
static char pending[MAX_PENDING][PATH_MAX];
static volatile sig_atomic_t npending_used[MAX_PENDING];

void tool_temps_abandon(void)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (npending_used[i]) {
			unlink(pending[i]);
			npending_used[i] = 0;
		}
}

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (npending_used[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

int tool_temp_slot(void)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (!npending_used[i])
			return i;
	return -1;
}

int tool_temp_create(int slot, const char *name)
{
	snprintf(pending[slot], PATH_MAX, "%s", name);
	catch_signals();
	/* no signal between the file's creation and its slot's marking */
	sigset_t all, was;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &was);
	int fd = mkstemp(pending[slot]);
	if (fd >= 0)
		npending_used[slot] = 1;
	sigprocmask(SIG_SETMASK, &was, NULL);
	return fd;
}

int tool_temp_commit(int slot, const char *final)
{
	if (rename(pending[slot], final) != 0)
		return -1;
	npending_used[slot] = 0;
	return 0;
}
