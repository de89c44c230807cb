# nginx-module: build/ngx_http_boots_module.so, a dynamic module for
# Debian's stock /usr/sbin/nginx.
#
# Built out of tree against nginx-dev (/usr/share/nginx/src) the way Debian
# builds its own modules: the flags of conf_flags (--with-compat, so the
# module's binary signature matches /usr/sbin/nginx), Debian's compiler
# flags, and a builddir under $(BUILD).  Nothing is written into
# /usr/share/nginx/src.  The Boots core archive is linked in.

NGX_SRC         := /usr/share/nginx/src
NGX_MOD_BUILD   := $(BUILD)/nginx-module
NGX_MOD_SO      := $(BUILD)/ngx_http_boots_module.so
NGX_MOD_SOURCES := $(wildcard nginx-module/*.c nginx-module/*.h)

# configure is slow (about 8 s): it reruns only when the config fragment,
# the list of sources or nginx-dev change.
$(NGX_MOD_BUILD)/Makefile: nginx-module/config nginx-module/build.mk \
		$(NGX_SRC)/conf_flags | $(CORE_LIB)
	@mkdir -p $(@D)
	cd $(NGX_SRC) && BOOTS_CORE_LIB="$(abspath $(CORE_LIB))" bash -c ' \
	    set -e; . ./conf_flags; \
	    ./configure \
	        --with-cc-opt="$$(dpkg-buildflags --get CFLAGS) -fPIC $$(dpkg-buildflags --get CPPFLAGS)" \
	        --with-ld-opt="$$(dpkg-buildflags --get LDFLAGS) -fPIC" \
	        "$${NGX_CONF_FLAGS[@]}" \
	        --add-dynamic-module="$(abspath nginx-module)" \
	        --builddir="$(abspath $(NGX_MOD_BUILD))"' \
	    > $(abspath $(NGX_MOD_BUILD))/configure.log 2>&1 \
	    || { tail -20 $(abspath $(NGX_MOD_BUILD))/configure.log; exit 1; }

$(NGX_MOD_SO): $(NGX_MOD_BUILD)/Makefile $(NGX_MOD_SOURCES) $(CORE_LIB) \
		shared/boots.h
	$(MAKE) --no-print-directory -f $(abspath $(NGX_MOD_BUILD))/Makefile \
	    -C $(NGX_SRC) modules
	cp $(NGX_MOD_BUILD)/ngx_http_boots_module.so $@

ALL_TARGETS += $(NGX_MOD_SO)
