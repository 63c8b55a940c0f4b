/*
 * musllookup: the lab's musl client, what an Alpine image's program does to resolve a name.
 * Resolves each name on the command line with getaddrinfo (AF_UNSPEC, SOCK_STREAM, no flags),
 * one after the other, and prints one JSON line per name: the addresses or the EAI_* code and
 * musl's text for it, and how long it took. Linked statically against musl:
 *   musl-gcc -static -O2 -o musllookup musllookup.c
 * Names are the lab's own (plain ASCII), so they are printed without JSON escaping.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static const char *eai_name(int e) {
  switch (e) {
  case EAI_NONAME: return "EAI_NONAME";
  case EAI_AGAIN: return "EAI_AGAIN";
  case EAI_FAIL: return "EAI_FAIL";
  case EAI_NODATA: return "EAI_NODATA";
  case EAI_SYSTEM: return "EAI_SYSTEM";
  default: return "EAI_OTHER";
  }
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    double start = seconds();
    int e = getaddrinfo(argv[i], NULL, &hints, &res);
    double took = seconds() - start;
    printf("{\"name\":\"%s\",\"addresses\":[", argv[i]);
    if (e == 0) {
      int first = 1;
      for (struct addrinfo *a = res; a; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN];
        const void *addr = a->ai_family == AF_INET ? (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr
                                                   : (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr;
        if (!inet_ntop(a->ai_family, addr, text, sizeof text)) continue;
        printf("%s\"%s\"", first ? "" : ",", text);
        first = 0;
      }
      freeaddrinfo(res);
      printf("],\"seconds\":%.3f}\n", took);
    } else {
      failed = 1;
      printf("],\"code\":\"%s\",\"error\":\"%s\",\"seconds\":%.3f}\n", eai_name(e), gai_strerror(e), took);
    }
    fflush(stdout);
  }
  return failed;
}
