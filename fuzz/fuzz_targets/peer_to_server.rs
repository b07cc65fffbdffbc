//! Bytes from a hostile client, fed to a ferrossl server through memory BIOs: the
//! ClientHello parser, the client-hello callback's accessors, the handshake trace.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ferrossl_fuzz::feed(true, data);
});
