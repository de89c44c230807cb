
/*
 * ngx_http_boots_module - per-worker iPXE scripts for network boots.
 *
 * The hardware file is loaded once per configuration cycle, in the master,
 * while the configuration is read: a bad file fails "nginx -t" and the
 * reload, and the old cycle keeps serving.  Workers inherit the parsed,
 * immutable snapshot copy-on-write; nothing is parsed or fetched in a
 * worker.  A request is matched to its hardware by the client address (as
 * rewritten by the realip module, if the user configures it), and the
 * Boots core renders the script into one buffer from the request pool.
 *
 * Counters for boots_status live in a small shared memory zone so that
 * every worker reports the same totals and they survive a reload.
 *
 * The snapshot is released by a cleanup on the cycle's pool (cf->pool):
 * the module creates no pool of its own, so no pool outlives the log of
 * the cycle that created it.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <boots.h>


#define NGX_HTTP_BOOTS_SCRIPT_NAME      "auto.ipxe"
#define NGX_HTTP_BOOTS_RENDER_SIZE      4096
#define NGX_HTTP_BOOTS_RENDER_MAX       (1024 * 1024)
#define NGX_HTTP_BOOTS_PASSWORD_MAX     1024


typedef struct {
    ngx_atomic_t                scripts;
    ngx_atomic_t                forbidden;
    ngx_atomic_t                not_found;
    ngx_atomic_t                errors;
} ngx_http_boots_counters_t;


typedef struct {
    ngx_str_t                   hardware_file;
    boots_hwdb                 *db;
    time_t                      loaded_at;

    /* registry settings from the master's environment, read at load */
    ngx_str_t                   env_registry;
    ngx_str_t                   env_username;
    ngx_str_t                   env_password;

    ngx_shm_zone_t             *shm_zone;
    ngx_http_boots_counters_t  *counters;
    ngx_flag_t                  used;
} ngx_http_boots_main_conf_t;


typedef struct {
    ngx_flag_t                  ipxe;
    ngx_str_t                   osie_url;
    ngx_str_t                   tink_server;
    ngx_flag_t                  tink_tls;
    ngx_str_t                   syslog_host;
    ngx_str_t                   facility;
    ngx_str_t                   registry;
    ngx_str_t                   registry_username;
    ngx_str_t                   registry_password_file;
    ngx_str_t                   registry_password;  /* secret */
    ngx_str_t                   tink_worker_image;
    ngx_str_t                   kernel_args;

    boots_script_settings       settings;
    size_t                      render_size;  /* longest script + 1 */
} ngx_http_boots_loc_conf_t;


static ngx_int_t ngx_http_boots_ipxe_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_boots_status_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_boots_send(ngx_http_request_t *r,
    ngx_str_t *type, u_char *data, size_t len);
static const boots_hw *ngx_http_boots_client_hw(ngx_http_request_t *r);
static ngx_int_t ngx_http_boots_path_mac(ngx_str_t *uri, ngx_uint_t *has_mac,
    uint8_t mac[6]);
static void ngx_http_boots_count(ngx_http_request_t *r, ngx_uint_t what);

static ngx_int_t ngx_http_boots_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);

static ngx_int_t ngx_http_boots_add_variables(ngx_conf_t *cf);
static void *ngx_http_boots_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_boots_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_boots_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_boots_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_boots_check_hardware(ngx_conf_t *cf,
    ngx_http_boots_main_conf_t *bmcf, ngx_http_boots_loc_conf_t *blcf);
static ngx_int_t ngx_http_boots_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static ngx_int_t ngx_http_boots_env(ngx_conf_t *cf, const char *name,
    ngx_str_t *value);
static void ngx_http_boots_unref(void *data);
static void ngx_http_boots_wipe(void *data);

static char *ngx_http_boots_ipxe(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_boots_status(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_boots_password_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


#define NGX_HTTP_BOOTS_SCRIPTS    0
#define NGX_HTTP_BOOTS_FORBIDDEN  1
#define NGX_HTTP_BOOTS_NOT_FOUND  2
#define NGX_HTTP_BOOTS_ERRORS     3


#define NGX_HTTP_BOOTS_VAR_MAC       0
#define NGX_HTTP_BOOTS_VAR_HOSTNAME  1
#define NGX_HTTP_BOOTS_VAR_WORKER_ID 2


static ngx_command_t  ngx_http_boots_commands[] = {

    { ngx_string("boots_hardware_file"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_boots_main_conf_t, hardware_file),
      NULL },

    { ngx_string("boots_ipxe"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_boots_ipxe,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("boots_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_boots_status,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("boots_osie_url"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, osie_url),
      NULL },

    { ngx_string("boots_tink_server"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, tink_server),
      NULL },

    { ngx_string("boots_tink_tls"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, tink_tls),
      NULL },

    { ngx_string("boots_syslog_host"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, syslog_host),
      NULL },

    { ngx_string("boots_facility"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, facility),
      NULL },

    { ngx_string("boots_registry"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, registry),
      NULL },

    { ngx_string("boots_registry_username"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, registry_username),
      NULL },

    { ngx_string("boots_registry_password_file"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_boots_password_file,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("boots_tink_worker_image"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, tink_worker_image),
      NULL },

    { ngx_string("boots_kernel_args"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_boots_loc_conf_t, kernel_args),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_boots_module_ctx = {
    ngx_http_boots_add_variables,          /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_boots_create_main_conf,       /* create main configuration */
    ngx_http_boots_init_main_conf,         /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_boots_create_loc_conf,        /* create location configuration */
    ngx_http_boots_merge_loc_conf          /* merge location configuration */
};


ngx_module_t  ngx_http_boots_module = {
    NGX_MODULE_V1,
    &ngx_http_boots_module_ctx,            /* module context */
    ngx_http_boots_commands,               /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_variable_t  ngx_http_boots_vars[] = {

    { ngx_string("boots_mac"), NULL, ngx_http_boots_variable,
      NGX_HTTP_BOOTS_VAR_MAC, 0, 0 },

    { ngx_string("boots_hostname"), NULL, ngx_http_boots_variable,
      NGX_HTTP_BOOTS_VAR_HOSTNAME, 0, 0 },

    { ngx_string("boots_worker_id"), NULL, ngx_http_boots_variable,
      NGX_HTTP_BOOTS_VAR_WORKER_ID, 0, 0 },

      ngx_http_null_variable
};


static ngx_str_t  ngx_http_boots_text_plain = ngx_string("text/plain");
static ngx_str_t  ngx_http_boots_prometheus =
    ngx_string("text/plain; version=0.0.4");
static ngx_str_t  ngx_http_boots_zone_name = ngx_string("boots_status");


/* request handling */


static ngx_int_t
ngx_http_boots_ipxe_handler(ngx_http_request_t *r)
{
    long                         n;
    size_t                       size;
    u_char                      *buf;
    uint8_t                      mac[6];
    ngx_int_t                    rc;
    ngx_uint_t                   has_mac;
    boots_error                  err;
    const boots_hw              *hw, *other;
    ngx_http_boots_loc_conf_t   *blcf;
    ngx_http_boots_main_conf_t  *bmcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    /* r->uri is already percent-decoded: iPXE sends the MAC as %3A */

    if (ngx_http_boots_path_mac(&r->uri, &has_mac, mac) != NGX_OK) {
        ngx_http_boots_count(r, NGX_HTTP_BOOTS_NOT_FOUND);
        return NGX_HTTP_NOT_FOUND;
    }

    hw = ngx_http_boots_client_hw(r);

    if (hw == NULL || !hw->allow_pxe) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "boots: no %s hardware for client %V",
                      hw == NULL ? "known" : "PXE-enabled",
                      &r->connection->addr_text);
        ngx_http_boots_count(r, NGX_HTTP_BOOTS_NOT_FOUND);
        return NGX_HTTP_NOT_FOUND;
    }

    if (has_mac && ngx_memcmp(mac, hw->mac, 6) != 0) {
        bmcf = ngx_http_get_module_main_conf(r, ngx_http_boots_module);
        other = boots_hwdb_by_mac(bmcf->db, mac);

        if (other == NULL || ngx_strcmp(other->id, hw->id) != 0) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "boots: client %V (hardware \"%s\") asked for "
                          "the script of MAC %02xd:%02xd:%02xd:%02xd:%02xd:"
                          "%02xd, which is not its own",
                          &r->connection->addr_text, hw->id,
                          mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
            ngx_http_boots_count(r, NGX_HTTP_BOOTS_FORBIDDEN);
            return NGX_HTTP_FORBIDDEN;
        }
    }

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_boots_module);

    /*
     * The configuration-time check rendered every script, so render_size
     * fits the longest one and the retry below is only a safety net.
     */

    size = blcf->render_size;

    buf = ngx_pnalloc(r->pool, size);
    if (buf == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    n = boots_ipxe_script_render(&blcf->settings, hw, (char *) buf, size,
                                 &err);

    if (n >= 0 && (size_t) n >= size) {
        /* longer than expected: one retry with the exact size */

        size = (size_t) n + 1;

        buf = ngx_pnalloc(r->pool, size);
        if (buf == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        n = boots_ipxe_script_render(&blcf->settings, hw, (char *) buf,
                                     size, &err);
    }

    if (n < 0 || (size_t) n >= size) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "boots: cannot render the script of hardware "
                      "\"%s\": %s", hw->id,
                      n < 0 ? err.message : "script changed size");
        ngx_http_boots_count(r, NGX_HTTP_BOOTS_ERRORS);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "boots: script for \"%s\", %l bytes", hw->id, n);

    ngx_http_boots_count(r, NGX_HTTP_BOOTS_SCRIPTS);

    return ngx_http_boots_send(r, &ngx_http_boots_text_plain, buf,
                               (size_t) n);
}


static ngx_int_t
ngx_http_boots_status_handler(ngx_http_request_t *r)
{
    size_t                       size;
    u_char                      *buf, *p;
    ngx_int_t                    rc;
    ngx_atomic_uint_t            scripts, forbidden, not_found, errors;
    ngx_http_boots_counters_t   *c;
    ngx_http_boots_main_conf_t  *bmcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    bmcf = ngx_http_get_module_main_conf(r, ngx_http_boots_module);
    c = bmcf->counters;

    scripts = c ? (ngx_atomic_uint_t) c->scripts : 0;
    forbidden = c ? (ngx_atomic_uint_t) c->forbidden : 0;
    not_found = c ? (ngx_atomic_uint_t) c->not_found : 0;
    errors = c ? (ngx_atomic_uint_t) c->errors : 0;

    size = 2048 + 5 * NGX_ATOMIC_T_LEN;

    buf = ngx_pnalloc(r->pool, size);
    if (buf == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_slprintf(buf, buf + size,
        "# HELP boots_ipxe_scripts_served_total iPXE scripts served.\n"
        "# TYPE boots_ipxe_scripts_served_total counter\n"
        "boots_ipxe_scripts_served_total %uA\n"
        "# HELP boots_ipxe_forbidden_total Script requests refused with 403 "
        "(MAC in the path not the client's).\n"
        "# TYPE boots_ipxe_forbidden_total counter\n"
        "boots_ipxe_forbidden_total %uA\n"
        "# HELP boots_ipxe_not_found_total Script requests answered 404 "
        "(unknown client, allowPXE false, bad path).\n"
        "# TYPE boots_ipxe_not_found_total counter\n"
        "boots_ipxe_not_found_total %uA\n"
        "# HELP boots_ipxe_errors_total Scripts that failed to render "
        "(500).\n"
        "# TYPE boots_ipxe_errors_total counter\n"
        "boots_ipxe_errors_total %uA\n"
        "# HELP boots_hardware_records Hardware records loaded.\n"
        "# TYPE boots_hardware_records gauge\n"
        "boots_hardware_records %uz\n"
        "# HELP boots_hardware_interfaces Hardware interfaces loaded.\n"
        "# TYPE boots_hardware_interfaces gauge\n"
        "boots_hardware_interfaces %uz\n"
        "# HELP boots_hardware_last_load_timestamp_seconds Unix time of "
        "the last hardware load.\n"
        "# TYPE boots_hardware_last_load_timestamp_seconds gauge\n"
        "boots_hardware_last_load_timestamp_seconds %T\n",
        scripts, forbidden, not_found, errors,
        bmcf->db ? boots_hwdb_records(bmcf->db) : (size_t) 0,
        bmcf->db ? boots_hwdb_count(bmcf->db) : (size_t) 0,
        bmcf->loaded_at);

    return ngx_http_boots_send(r, &ngx_http_boots_prometheus, buf,
                               (size_t) (p - buf));
}


static ngx_int_t
ngx_http_boots_send(ngx_http_request_t *r, ngx_str_t *type, u_char *data,
    size_t len)
{
    ngx_int_t         rc;
    ngx_buf_t        *b;
    ngx_chain_t       out;
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");
    ngx_str_set(&h->value, "no-store");

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = len;
    r->headers_out.content_type = *type;
    r->headers_out.content_type_len = type->len;
    r->headers_out.content_type_lowcase = NULL;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = data;
    b->last = data + len;
    b->memory = len ? 1 : 0;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/*
 * The path must end in "/auto.ipxe"; when the segment before it parses as
 * a MAC (":", "-" or no separators, any case), it is returned in mac.
 */

static ngx_int_t
ngx_http_boots_path_mac(ngx_str_t *uri, ngx_uint_t *has_mac, uint8_t mac[6])
{
    size_t   name_len;
    u_char  *p, *end, *seg;

    *has_mac = 0;
    name_len = sizeof(NGX_HTTP_BOOTS_SCRIPT_NAME) - 1;

    if (uri->len < name_len + 1) {
        return NGX_DECLINED;
    }

    end = uri->data + uri->len - name_len;

    if (ngx_strncmp(end, NGX_HTTP_BOOTS_SCRIPT_NAME, name_len) != 0
        || end[-1] != '/')
    {
        return NGX_DECLINED;
    }

    end--;

    for (p = end; p > uri->data && p[-1] != '/'; p--) {
        /* void */
    }

    seg = p;

    if (seg < end
        && boots_mac_parse((const char *) seg, end - seg, mac) == BOOTS_OK)
    {
        *has_mac = 1;
    }

    return NGX_OK;
}


/* The hardware entry whose IPv4 address is the client's, or NULL. */

static const boots_hw *
ngx_http_boots_client_hw(ngx_http_request_t *r)
{
    uint32_t                     ip;
    struct sockaddr_in          *sin;
    ngx_http_boots_main_conf_t  *bmcf;
#if (NGX_HAVE_INET6)
    u_char                      *a;
    struct sockaddr_in6         *sin6;
#endif

    bmcf = ngx_http_get_module_main_conf(r, ngx_http_boots_module);

    if (bmcf == NULL || bmcf->db == NULL) {
        return NULL;
    }

    switch (r->connection->sockaddr->sa_family) {

#if (NGX_HAVE_INET6)
    case AF_INET6:
        sin6 = (struct sockaddr_in6 *) r->connection->sockaddr;

        if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
            return NULL;
        }

        a = sin6->sin6_addr.s6_addr;
        ip = ((uint32_t) a[12] << 24) | ((uint32_t) a[13] << 16)
             | ((uint32_t) a[14] << 8) | a[15];
        break;
#endif

    case AF_INET:
        sin = (struct sockaddr_in *) r->connection->sockaddr;
        ip = ntohl(sin->sin_addr.s_addr);
        break;

    default:
        return NULL;
    }

    return boots_hwdb_by_ip(bmcf->db, ip);
}


static void
ngx_http_boots_count(ngx_http_request_t *r, ngx_uint_t what)
{
    ngx_http_boots_counters_t   *c;
    ngx_http_boots_main_conf_t  *bmcf;

    bmcf = ngx_http_get_module_main_conf(r, ngx_http_boots_module);
    c = bmcf->counters;

    if (c == NULL) {
        return;
    }

    switch (what) {

    case NGX_HTTP_BOOTS_SCRIPTS:
        (void) ngx_atomic_fetch_add(&c->scripts, 1);
        break;

    case NGX_HTTP_BOOTS_FORBIDDEN:
        (void) ngx_atomic_fetch_add(&c->forbidden, 1);
        break;

    case NGX_HTTP_BOOTS_NOT_FOUND:
        (void) ngx_atomic_fetch_add(&c->not_found, 1);
        break;

    default:
        (void) ngx_atomic_fetch_add(&c->errors, 1);
        break;
    }
}


static ngx_int_t
ngx_http_boots_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
    uintptr_t data)
{
    size_t           len;
    u_char          *p;
    const char      *s;
    const boots_hw  *hw;

    hw = ngx_http_boots_client_hw(r);

    switch (data) {

    case NGX_HTTP_BOOTS_VAR_MAC:
        s = hw ? hw->mac_str : NULL;
        break;

    case NGX_HTTP_BOOTS_VAR_HOSTNAME:
        s = hw ? hw->hostname : NULL;
        break;

    default: /* NGX_HTTP_BOOTS_VAR_WORKER_ID */
        s = hw ? hw->id : NULL;
        break;
    }

    if (s == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    /*
     * copied into the request pool: the value never points into the
     * snapshot, whatever a log or filter does with it later
     */

    len = ngx_strlen(s);

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(p, s, len);

    v->data = p;
    v->len = len;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    return NGX_OK;
}


/* configuration */


static ngx_int_t
ngx_http_boots_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_boots_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static void *
ngx_http_boots_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_boots_main_conf_t  *bmcf;

    bmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_boots_main_conf_t));
    if (bmcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     bmcf->hardware_file = { 0, NULL };
     *     bmcf->db = NULL;
     *     bmcf->env_* = { 0, NULL };
     *     bmcf->shm_zone = NULL;
     *     bmcf->counters = NULL;
     *     bmcf->used = 0;
     */

    return bmcf;
}


/*
 * Runs once the whole http block is read, before the locations are merged:
 * loads the hardware file and reads the registry environment variables.
 * This is configuration time, in the master (or in "nginx -t"), so an
 * error here refuses the configuration and the old cycle keeps serving.
 */

static char *
ngx_http_boots_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_boots_main_conf_t *bmcf = conf;

    int                  rc;
    ngx_str_t            path;
    ngx_msec_t           start;
    boots_error          err;
    boots_hwdb          *db;
    ngx_pool_cleanup_t  *cln;

    db = NULL;

    if (bmcf->used) {

        /*
         * Workers only see TZ and the "env" directive's variables, so the
         * registry settings are read here, in the master's environment.
         */

        if (ngx_http_boots_env(cf, "DOCKER_REGISTRY", &bmcf->env_registry)
            != NGX_OK
            || ngx_http_boots_env(cf, "REGISTRY_USERNAME",
                                  &bmcf->env_username)
               != NGX_OK
            || ngx_http_boots_env(cf, "REGISTRY_PASSWORD",
                                  &bmcf->env_password)
               != NGX_OK)
        {
            return NGX_CONF_ERROR;
        }

        bmcf->shm_zone = ngx_shared_memory_add(cf, &ngx_http_boots_zone_name,
                                               8 * ngx_pagesize,
                                               &ngx_http_boots_module);
        if (bmcf->shm_zone == NULL) {
            return NGX_CONF_ERROR;
        }

        bmcf->shm_zone->init = ngx_http_boots_init_zone;
        bmcf->shm_zone->data = bmcf;
    }

    if (bmcf->hardware_file.data == NULL) {
        if (bmcf->used) {
            ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                               "boots: no \"boots_hardware_file\", "
                               "every script request will get 404");
        }

        return NGX_CONF_OK;
    }

    path = bmcf->hardware_file;

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_time_update();
    start = ngx_current_msec;

    boots_error_clear(&err);

    rc = boots_hwdb_load_file((const char *) path.data, &db, &err);

#if defined(__GLIBC__)
    /* hand the parser's freed heap back, or every worker inherits it */
    (void) malloc_trim(0);
#endif

    if (rc != BOOTS_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "boots: cannot load hardware: %s",
                           err.message[0] ? err.message
                                          : boots_strerror(rc));
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_boots_unref;
    cln->data = db;

    ngx_time_update();

    bmcf->db = db;
    bmcf->loaded_at = ngx_time();

    ngx_log_error(NGX_LOG_INFO, cf->log, 0,
                  "boots: loaded %uz hardware records (%uz interfaces) "
                  "from \"%V\" in %M ms",
                  boots_hwdb_records(db), boots_hwdb_count(db), &path,
                  ngx_current_msec - start);

    return NGX_CONF_OK;
}


static void *
ngx_http_boots_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_boots_loc_conf_t  *blcf;

    blcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_boots_loc_conf_t));
    if (blcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     blcf->osie_url = { 0, NULL };
     *     ... every string = { 0, NULL };
     *     blcf->settings = { 0 };
     */

    blcf->ipxe = 0;
    blcf->tink_tls = NGX_CONF_UNSET;

    return blcf;
}


#define ngx_http_boots_merge_str(conf, prev)                                 \
    if ((conf).data == NULL) {                                               \
        (conf) = (prev);                                                     \
    }

#define ngx_http_boots_cstr(s)  ((s).data ? (const char *) (s).data : NULL)


static char *
ngx_http_boots_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_boots_loc_conf_t *prev = parent;
    ngx_http_boots_loc_conf_t *conf = child;

    boots_error                  err;
    boots_script_settings       *s;
    ngx_http_boots_main_conf_t  *bmcf;

    ngx_http_boots_merge_str(conf->osie_url, prev->osie_url);
    ngx_http_boots_merge_str(conf->tink_server, prev->tink_server);
    ngx_http_boots_merge_str(conf->syslog_host, prev->syslog_host);
    ngx_http_boots_merge_str(conf->facility, prev->facility);
    ngx_http_boots_merge_str(conf->registry, prev->registry);
    ngx_http_boots_merge_str(conf->registry_username,
                             prev->registry_username);
    ngx_http_boots_merge_str(conf->registry_password_file,
                             prev->registry_password_file);
    ngx_http_boots_merge_str(conf->registry_password,
                             prev->registry_password);
    ngx_http_boots_merge_str(conf->tink_worker_image,
                             prev->tink_worker_image);
    ngx_http_boots_merge_str(conf->kernel_args, prev->kernel_args);
    ngx_conf_merge_value(conf->tink_tls, prev->tink_tls, 0);

    /* boots_ipxe itself is not inherited: it is this location's handler */

    if (!conf->ipxe) {
        return NGX_CONF_OK;
    }

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_boots_module);

    /* directives first, then the master's environment */

    ngx_http_boots_merge_str(conf->registry, bmcf->env_registry);
    ngx_http_boots_merge_str(conf->registry_username, bmcf->env_username);
    ngx_http_boots_merge_str(conf->registry_password, bmcf->env_password);

    s = &conf->settings;

    s->osie_url = ngx_http_boots_cstr(conf->osie_url);
    s->tink_server = ngx_http_boots_cstr(conf->tink_server);
    s->tink_tls = conf->tink_tls ? true : false;
    s->syslog_host = ngx_http_boots_cstr(conf->syslog_host);
    s->facility = ngx_http_boots_cstr(conf->facility);
    s->registry = ngx_http_boots_cstr(conf->registry);
    s->registry_username = ngx_http_boots_cstr(conf->registry_username);
    s->registry_password = ngx_http_boots_cstr(conf->registry_password);
    s->tink_worker_image = ngx_http_boots_cstr(conf->tink_worker_image);
    s->kernel_args = ngx_http_boots_cstr(conf->kernel_args);
    s->console = NULL;
    s->retries = -1;
    s->retry_delay = -1;

    conf->render_size = NGX_HTTP_BOOTS_RENDER_SIZE;

    if (s->osie_url == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "boots: \"boots_ipxe\" needs \"boots_osie_url\"");
        return NGX_CONF_ERROR;
    }

    boots_error_clear(&err);

    if (boots_script_settings_check(s, &err) != BOOTS_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "boots: invalid script settings: %s",
                           err.message);
        return NGX_CONF_ERROR;
    }

    return ngx_http_boots_check_hardware(cf, bmcf, conf);
}


/*
 * Render every PXE-enabled entry once with this location's settings, so a
 * value that cannot go into a script fails "nginx -t" (naming the record
 * and field) instead of answering 500 to a booting machine later.
 */

static char *
ngx_http_boots_check_hardware(ngx_conf_t *cf,
    ngx_http_boots_main_conf_t *bmcf, ngx_http_boots_loc_conf_t *blcf)
{
    long             n;
    char            *buf, *bigger;
    char            *rv;
    size_t           i, count, size, longest;
    boots_error      err;
    const boots_hw  *hw;

    if (bmcf->db == NULL) {
        return NGX_CONF_OK;
    }

    rv = NGX_CONF_ERROR;
    longest = 0;
    size = NGX_HTTP_BOOTS_RENDER_SIZE * 4;

    buf = ngx_alloc(size, cf->log);
    if (buf == NULL) {
        return NGX_CONF_ERROR;
    }

    count = boots_hwdb_count(bmcf->db);

    for (i = 0; i < count; i++) {
        hw = boots_hwdb_at(bmcf->db, i);

        if (hw == NULL || !hw->allow_pxe) {
            continue;
        }

        boots_error_clear(&err);

        n = boots_ipxe_script_render(&blcf->settings, hw, buf, size, &err);

        if (n >= 0 && (size_t) n >= size) {
            bigger = ngx_alloc((size_t) n + 1, cf->log);
            if (bigger == NULL) {
                goto failed;
            }

            ngx_free(buf);
            buf = bigger;
            size = (size_t) n + 1;

            n = boots_ipxe_script_render(&blcf->settings, hw, buf, size,
                                         &err);
        }

        if (n < 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "boots: hardware \"%V\": %s",
                               &bmcf->hardware_file,
                               err.message[0] ? err.message
                                              : boots_strerror((int) n));
            goto failed;
        }

        if ((size_t) n > longest) {
            longest = (size_t) n;
        }
    }

    if (longest > 0 && longest < NGX_HTTP_BOOTS_RENDER_MAX) {
        blcf->render_size = longest + 1;
    }

    rv = NGX_CONF_OK;

failed:

    ngx_explicit_memzero(buf, size);
    ngx_free(buf);

    return rv;
}


static ngx_int_t
ngx_http_boots_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_slab_pool_t             *shpool;
    ngx_http_boots_main_conf_t  *bmcf;

    bmcf = shm_zone->data;
    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (data || shm_zone->shm.exists) {
        /* a reload reuses the zone: the counters carry on */
        bmcf->counters = shpool->data;
        return NGX_OK;
    }

    bmcf->counters = ngx_slab_calloc(shpool,
                                     sizeof(ngx_http_boots_counters_t));
    if (bmcf->counters == NULL) {
        return NGX_ERROR;
    }

    shpool->data = bmcf->counters;

    return NGX_OK;
}


/* Copy an environment variable of the master into the cycle's pool. */

static ngx_int_t
ngx_http_boots_env(ngx_conf_t *cf, const char *name, ngx_str_t *value)
{
    size_t               len;
    char                *env;
    ngx_pool_cleanup_t  *cln;

    env = getenv(name);

    if (env == NULL || env[0] == '\0') {
        return NGX_OK;
    }

    len = ngx_strlen(env);

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    value->data = ngx_pnalloc(cf->pool, len + 1);
    if (value->data == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(value->data, env, len + 1);
    value->len = len;

    cln->handler = ngx_http_boots_wipe;
    cln->data = value;

    return NGX_OK;
}


static void
ngx_http_boots_unref(void *data)
{
    boots_hwdb_unref(data);

#if defined(__GLIBC__)

    /*
     * The master drops the old cycle's snapshot before it starts the new
     * workers: give that heap back so they do not inherit it.  A worker
     * only gets here when it exits.
     */

    if (ngx_process != NGX_PROCESS_WORKER) {
        (void) malloc_trim(0);
    }

#endif
}


static void
ngx_http_boots_wipe(void *data)
{
    ngx_str_t  *s = data;

    if (s->data) {
        ngx_explicit_memzero(s->data, s->len);
    }
}


/* directives */


static char *
ngx_http_boots_ipxe(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_boots_loc_conf_t *blcf = conf;

    ngx_http_core_loc_conf_t    *clcf;
    ngx_http_boots_main_conf_t  *bmcf;

    if (blcf->ipxe) {
        return "is duplicate";
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->handler != NULL) {
        return "conflicts with another content handler in this location";
    }

    clcf->handler = ngx_http_boots_ipxe_handler;
    blcf->ipxe = 1;

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_boots_module);
    bmcf->used = 1;

    return NGX_CONF_OK;
}


static char *
ngx_http_boots_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t    *clcf;
    ngx_http_boots_main_conf_t  *bmcf;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->handler == ngx_http_boots_status_handler) {
        return "is duplicate";
    }

    if (clcf->handler != NULL) {
        return "conflicts with another content handler in this location";
    }

    clcf->handler = ngx_http_boots_status_handler;

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_boots_module);
    bmcf->used = 1;

    return NGX_CONF_OK;
}


/*
 * Read the registry password when the configuration is read: workers
 * never see the file (or the environment).  Surrounding whitespace and
 * the trailing newline are dropped.  The value is wiped when the cycle
 * goes away and is never logged.
 */

static char *
ngx_http_boots_password_file(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_boots_loc_conf_t *blcf = conf;

    char                *rv;
    u_char              *buf, *p, *last;
    ssize_t              n;
    ngx_fd_t             fd;
    ngx_str_t           *value, name;
    ngx_file_info_t      fi;
    ngx_pool_cleanup_t  *cln;

    if (blcf->registry_password_file.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name = value[1];
    rv = NGX_CONF_ERROR;
    buf = NULL;

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    fd = ngx_open_file(name.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);

    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", &name);
        return NGX_CONF_ERROR;
    }

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_fd_info_n " \"%V\" failed", &name);
        goto done;
    }

    if (fi.st_mode & S_IROTH) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "boots: registry password file \"%V\" is "
                           "readable by every user", &name);
    }

    buf = ngx_pnalloc(cf->pool, NGX_HTTP_BOOTS_PASSWORD_MAX + 1);
    if (buf == NULL) {
        goto done;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        goto done;
    }

    blcf->registry_password.data = buf;
    blcf->registry_password.len = 0;
    cln->handler = ngx_http_boots_wipe;
    cln->data = &blcf->registry_password;

    n = ngx_read_fd(fd, buf, NGX_HTTP_BOOTS_PASSWORD_MAX + 1);

    if (n == -1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_read_fd_n " \"%V\" failed", &name);
        goto done;
    }

    blcf->registry_password.len = n;

    if (n > NGX_HTTP_BOOTS_PASSWORD_MAX) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "boots: registry password file \"%V\" is longer "
                           "than %d bytes", &name,
                           NGX_HTTP_BOOTS_PASSWORD_MAX);
        goto done;
    }

    p = buf;
    last = buf + n;

    while (p < last && (*p == ' ' || *p == '\t' || *p == '\r'
                        || *p == '\n'))
    {
        p++;
    }

    while (last > p && (last[-1] == ' ' || last[-1] == '\t'
                        || last[-1] == '\r' || last[-1] == '\n'))
    {
        last--;
    }

    if (p == last) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "boots: registry password file \"%V\" is empty",
                           &name);
        goto done;
    }

    ngx_memmove(buf, p, last - p);
    ngx_memzero(buf + (last - p), n - (last - p));
    buf[last - p] = '\0';

    blcf->registry_password.len = last - p;
    blcf->registry_password_file = name;

    rv = NGX_CONF_OK;

done:

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_ALERT, cf, ngx_errno,
                           ngx_close_file_n " \"%V\" failed", &name);
    }

    return rv;
}
