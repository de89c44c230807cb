/*
 * test_http_fetch.c - one GET of a hardware document (shared/http_fetch.c)
 * against a canned HTTP server on 127.0.0.1:18447 run by this test in a
 * thread: what is sent (trimmed bearer token, Accept, If-None-Match) and
 * how every kind of answer is classified (200 JSON, wrong type, body over
 * the cap, cut short, 304, 401, a redirect that must not be followed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "source_internal.h"

#define PORT 18447

typedef struct server {
    int        lfd;
    pthread_t  thread;
    const char *answer;        /* raw HTTP answer to send */
    char       request[8192];  /* what the client sent (headers) */
} server;

static void *serve_one(void *arg)
{
    server *s = arg;
    size_t  used = 0;
    ssize_t n = 0;
    int     fd = accept(s->lfd, NULL, NULL);

    if (fd < 0)
        return NULL;
    while (used + 1 < sizeof(s->request)) {
        n = read(fd, s->request + used, sizeof(s->request) - 1 - used);
        if (n <= 0)
            break;
        used += (size_t)n;
        s->request[used] = '\0';
        if (strstr(s->request, "\r\n\r\n") != NULL)
            break;
    }
    /* MSG_NOSIGNAL: a client that gave up must not kill the test */
    if (send(fd, s->answer, strlen(s->answer), MSG_NOSIGNAL) < 0)
        (void)errno;
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

static void server_start(server *s, const char *answer)
{
    struct sockaddr_in sa;
    int                one = 1;

    memset(s, 0, sizeof(*s));
    s->answer = answer;
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(s->lfd >= 0);
    setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(PORT);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(s->lfd, 4), 0);
    assert_int_equal(pthread_create(&s->thread, NULL, serve_one, s), 0);
}

static void server_join(server *s)
{
    pthread_join(s->thread, NULL);
    close(s->lfd);
}

static char token_path[64];

static int setup(void **state)
{
    FILE *fp = NULL;

    (void)state;
    snprintf(token_path, sizeof(token_path), "/tmp/boots-test-token-%d",
             (int)getpid());
    fp = fopen(token_path, "w");
    assert_non_null(fp);
    fputs("\n  tok.en-123_XYZ \t\n\n", fp);
    fclose(fp);
    chmod(token_path, 0600);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(token_path);
    return 0;
}

/* Fetch from the canned server; returns rc, fills resp/err/request. */
static int fetch(server *s, const char *answer, const char *etag,
                 size_t max_body, boots_http_response *resp,
                 boots_error *err)
{
    boots_http_request req = { 0 };
    int                rc = 0;

    server_start(s, answer);
    req.url = "http://127.0.0.1:18447/apis/tinkerbell.org/v1alpha1/hardware";
    req.token_file = token_path;
    req.timeout = 5;
    req.max_body = max_body;
    req.if_none_match = etag;
    memset(err, 0, sizeof(*err));
    rc = boots_http_fetch(&req, resp, err);
    server_join(s);
    return rc;
}

static void test_ok_and_what_is_sent(void **state)
{
    server              s;
    boots_http_response resp;
    boots_error         err;

    (void)state;
    assert_int_equal(fetch(&s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        "ETag: \"v1-abc\"\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
        "{\"items\":[]}\n", NULL, 0, &resp, &err), 0);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.len, 13);
    assert_memory_equal(resp.body, "{\"items\":[]}\n", 13);
    assert_string_equal(resp.etag, "\"v1-abc\"");
    /* the token from the file, trimmed, and nothing around it */
    assert_non_null(strstr(s.request,
                           "\r\nAuthorization: Bearer tok.en-123_XYZ\r\n"));
    assert_non_null(strstr(s.request, "\r\nAccept: application/json\r\n"));
    assert_null(strstr(s.request, "If-None-Match"));
    assert_non_null(strstr(s.request,
        "GET /apis/tinkerbell.org/v1alpha1/hardware HTTP/1.1\r\n"));
    boots_http_response_free(&resp);
    assert_null(resp.body);
}

/* libcurl runs on allocation functions that wipe what it frees (its
 * copies of the Authorization header among them): a fetch makes it free
 * blocks through them.  Their realloc keeps the contents. */
static void test_curl_frees_are_wiped(void **state)
{
    server              s;
    boots_http_response resp;
    boots_error         err;
    unsigned long       before = 0;
    char               *p = NULL;
    int                 i;

    (void)state;
    assert_int_equal(boots_http_global_init(&err), 0);
    before = boots_http_wiped_blocks();
    assert_int_equal(fetch(&s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        "Content-Length: 13\r\nConnection: close\r\n\r\n"
        "{\"items\":[]}\n", NULL, 0, &resp, &err), 0);
    boots_http_response_free(&resp);
    assert_true(boots_http_wiped_blocks() > before);

    p = boots_http_wiping_realloc(NULL, 16);
    assert_non_null(p);
    memcpy(p, "0123456789abcdef", 16);
    p = boots_http_wiping_realloc(p, 4096);         /* grows: moved */
    assert_non_null(p);
    assert_memory_equal(p, "0123456789abcdef", 16);
    for (i = 16; i < 4096; i++)
        p[i] = (char)i;
    p = boots_http_wiping_realloc(p, 8);            /* shrinks */
    assert_non_null(p);
    assert_memory_equal(p, "01234567", 8);
    before = boots_http_wiped_blocks();
    assert_null(boots_http_wiping_realloc(p, 0));   /* frees */
    assert_int_equal(boots_http_wiped_blocks(), before + 1);
    boots_http_wiping_free(NULL);
    assert_int_equal(boots_http_wiped_blocks(), before + 1);
}

static void test_304_not_modified(void **state)
{
    server              s;
    boots_http_response resp;
    boots_error         err;

    (void)state;
    assert_int_equal(fetch(&s,
        "HTTP/1.1 304 Not Modified\r\nETag: \"v1-abc\"\r\n"
        "Connection: close\r\n\r\n", "\"v1-abc\"", 0, &resp, &err), 0);
    assert_int_equal(resp.status, 304);
    assert_null(resp.body);
    assert_non_null(strstr(s.request, "\r\nIf-None-Match: \"v1-abc\"\r\n"));
    boots_http_response_free(&resp);
}

static void test_failures_table(void **state)
{
    static const struct {
        const char *answer;
        size_t      max_body;
        int         rc;
        const char *message;     /* part of err.message */
    } cases[] = {
        { "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
          "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
          0, BOOTS_ESOURCE, "not JSON" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
          "Connection: close\r\n\r\n{}",
          0, BOOTS_ESOURCE, "not JSON" },
        { "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
          "Content-Length: 100\r\nConnection: close\r\n\r\n{\"items\":",
          0, BOOTS_ESOURCE, "truncated" },
        { "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
          "Content-Length: 40\r\nConnection: close\r\n\r\n"
          "{\"items\":[1,2,3,4,5,6,7,8,9,10,11,12]}  ",
          16, BOOTS_ETOOBIG, "larger than 16 bytes" },
        { "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
          "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
          0, BOOTS_ESOURCE, "HTTP 401" },
        { "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
          "Connection: close\r\n\r\n",
          0, BOOTS_ESOURCE, "HTTP 403" },
        { "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
          "Connection: close\r\n\r\n",
          0, BOOTS_ESOURCE, "HTTP 500" },
        /* a redirect is not followed (the token stays with this host) */
        { "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:18447/x\r\n"
          "Content-Length: 0\r\nConnection: close\r\n\r\n",
          0, BOOTS_ESOURCE, "HTTP 302" },
        /* 304 without having asked for it */
        { "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
          0, BOOTS_ESOURCE, "HTTP 304" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        server              s;
        boots_http_response resp;
        boots_error         err;
        int                 rc = fetch(&s, cases[i].answer, NULL,
                                       cases[i].max_body, &resp, &err);

        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc,
                     err.message);
        if (strstr(err.message, cases[i].message) == NULL)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i,
                     err.message, cases[i].message);
        assert_int_equal(err.code, cases[i].rc);
        assert_null(resp.body);
        assert_null(strstr(err.message, "tok.en"));
        boots_http_response_free(&resp);
    }
}

static void test_connection_refused(void **state)
{
    boots_http_request  req = { 0 };
    boots_http_response resp;
    boots_error         err;

    (void)state;
    /* nothing listens on 18447 now */
    req.url = "http://127.0.0.1:18447/hw";
    req.timeout = 2;
    assert_int_equal(boots_http_fetch(&req, &resp, &err), BOOTS_ESOURCE);
    assert_non_null(strstr(err.message, "127.0.0.1:18447/hw"));
    assert_null(resp.body);
}

static void test_bad_token_file(void **state)
{
    boots_http_request  req = { 0 };
    boots_http_response resp;
    boots_error         err;
    FILE               *fp = fopen(token_path, "w");

    (void)state;
    assert_non_null(fp);
    fputs("two words\n", fp);
    fclose(fp);
    req.url = "http://127.0.0.1:18447/hw";
    req.token_file = token_path;
    req.timeout = 2;
    /* refused before any connection is made */
    assert_int_equal(boots_http_fetch(&req, &resp, &err), BOOTS_EIO);
    assert_null(strstr(err.message, "two"));
    assert_non_null(strstr(err.message, token_path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ok_and_what_is_sent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_curl_frees_are_wiped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_304_not_modified, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failures_table, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_connection_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_token_file, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
