// SPDX-License-Identifier: GPL-2.0
/*
 * Replays fuzz inputs through a fuzz target's LLVMFuzzerTestOneInput()
 * without libFuzzer, so that 'make check' runs every corpus and every kept
 * crasher through the real parsers with gcc alone (no clang on CI).
 *
 *   fuzz/replay-jobs DIR|FILE...
 *
 * Every regular file in each DIR (but README) is one input, in name order.
 * What the code prints on stdout (help texts) goes to /dev/null; stderr is
 * left alone, for sanitizer reports. The name of each input is written to
 * stderr before it runs, so a crash is known by the line before it. Exits
 * 0 after the last input; a crash or a broken promise (fuzz.h) aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static size_t replayed;
static int quiet_fd = -1, saved_out = -1;

static int replay_file(const char *path)
{
	struct stat st;
	uint8_t *data;
	ssize_t got = 0, n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	data = malloc(st.st_size + 1);
	while (data && got < st.st_size && (n = read(fd, data + got, st.st_size - got)) > 0)
		got += n;
	close(fd);
	if (!data || got != st.st_size) {
		fprintf(stderr, "replay: %s: cannot read it whole\n", path);
		free(data);
		return -1;
	}
	fprintf(stderr, "replay: %s\n", path);
	fflush(NULL);
	dup2(quiet_fd, 1);
	LLVMFuzzerTestOneInput(data, st.st_size);
	fflush(NULL);
	dup2(saved_out, 1);
	free(data);
	replayed++;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), ret = 0;

	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && strcmp(names[i]->d_name, "README") &&
		    !stat(path, &st) && S_ISREG(st.st_mode) && replay_file(path))
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	quiet_fd = open("/dev/null", O_WRONLY);
	saved_out = dup(1);
	if (quiet_fd < 0 || saved_out < 0) {
		perror("replay");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i])) {
			ret = 1;
		}
	}
	printf("replayed %zu inputs\n", replayed);
	return ret;
}
