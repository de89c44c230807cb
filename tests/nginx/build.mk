# tests/nginx: Debian's nginx loading the built module, driven by curl
# (check-nginx), and the wrk benchmark against a static file and njs
# (bench-http).

NGX_TEST_MODULE := $(abspath $(BUILD))/ngx_http_boots_module.so

.PHONY: check-nginx bench-http

check-nginx: $(BUILD)/ngx_http_boots_module.so
	BOOTS_NGINX_MODULE=$(NGX_TEST_MODULE) bash tests/nginx/check-nginx.sh

bench-http: $(BUILD)/ngx_http_boots_module.so
	BOOTS_NGINX_MODULE=$(NGX_TEST_MODULE) bash tests/nginx/bench-http.sh

CHECK_TARGETS += check-nginx
BENCH_TARGETS += bench-http
