/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rig's own guest programs share beyond the series' test helpers
 * (tools/testing/selftests/mysyscall/mysyscall.h in the patched tree: the
 * calls, /dev/kmsg, the negative control, the ABIs).
 */
#ifndef MYSYSCALL_RIG_H
#define MYSYSCALL_RIG_H

#include "mysyscall.h"

/*
 * Run @argv[0] with @argv, its stdout and stderr into @out (NUL-terminated,
 * cut at @size - 1 bytes); return its wait status, or -1.
 */
static inline int run_program(char *const argv[], char *out, size_t size)
{
	int fds[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (len < (ssize_t)size - 1 &&
	       (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

#endif /* MYSYSCALL_RIG_H */
