/* measure: runs a command and reports its wall time and peak RSS.
   Usage: measure RESULT_FILE command [args...]
   Writes "<exit status> <seconds> <peak RSS in KiB>" to RESULT_FILE, where the
   exit status is 128+signal if the command was killed by a signal.

   bench/run.py uses this small launcher because on Linux a child's ru_maxrss
   starts at the resident size of the process that forked it: measured straight
   from Python, every program would seem to use at least the runner's memory. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: measure RESULT_FILE command [args...]\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("measure: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("measure: exec");
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("measure: wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *f = fopen(argv[1], "w");
  if (f == NULL) {
    perror("measure: result file");
    return 2;
  }
  fprintf(f, "%d %.9f %ld\n", code, seconds, ru.ru_maxrss);
  fclose(f);
  return 0;
}
