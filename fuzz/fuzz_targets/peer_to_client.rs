//! Bytes from a hostile server, fed to a ferrossl client through memory BIOs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ferrossl_fuzz::feed(false, data);
});
