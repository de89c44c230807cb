# check-tftp: a real in.tftpd (with configs/tftpd-hpa.remap) serving the
# staged $(BUILD)/tftp-root inside namespaces be-tsrv/be-tcli, checked with
# tftp-hpa's `tftp` and curl.  Needs root (namespaces).

.PHONY: check-tftp
check-tftp: $(TFTP_STAGED)
	BUILD=$(BUILD) bash tests/tftp/check-tftp.sh

CHECK_TARGETS += check-tftp
