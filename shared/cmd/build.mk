# Commands built on the core: build/boots-sync (hardware data from an
# HTTP(S) source written atomically to a file, for nginx).

$(BUILD)/boots-sync: shared/cmd/boots-sync.c $(CORE_LIB) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(filter-out -fvisibility=hidden,$(CORE_CFLAGS)) $< $(CORE_LIB) \
	    $(CORE_LIBS) -o $@

ALL_TARGETS += $(BUILD)/boots-sync
